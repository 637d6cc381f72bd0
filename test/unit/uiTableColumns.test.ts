import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnsOf, type TableColumn } from '../../src/ui/table.js';

describe('one column list per table, in its full and compact forms', () => {
  it('compact overrides what differs and leaves out what is full-only', () => {
    const cols: TableColumn<number>[] = [
      { header: 'value', width: 8, priority: 0, cell: String, compact: { header: 'v', width: 3 } },
      { header: 'detail', width: 20, priority: 3, cell: String, compact: false },
      { header: 'x', width: 2, priority: 1, cell: String },
    ];
    assert.deepEqual(columnsOf(cols, 'full').map((c) => [c.header, c.width]), [['value', 8], ['detail', 20], ['x', 2]]);
    assert.deepEqual(columnsOf(cols, 'compact').map((c) => [c.header, c.width]), [['v', 3], ['x', 2]]);
    assert.ok(columnsOf(cols, 'full').every((c) => !('compact' in c)));
  });
});
