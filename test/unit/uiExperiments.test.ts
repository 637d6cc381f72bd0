/** View 7 on the recording with load and resource changes, in a virtual terminal of each size. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createElement } from 'react';
import type { Derived } from '../../src/model/derivedTypes.js';
import { App } from '../../src/ui/App.js';
import { textWidth } from '../../src/text/cells.js';
import { renderVirtual, type VirtualTerminal } from '../support/virtualTerminal.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';

const open: VirtualTerminal[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.unmount();
});

// eslint-disable-next-line no-control-regex
const plain = (frame: string) => frame.replace(/\x1b\[[0-9;]*m/g, '');

async function view7(derived: Derived, size: { columns: number; rows: number }): Promise<string[]> {
  const t = renderVirtual(createElement(App, { derived, onQuit: () => {}, color: true, ascii: false }), size);
  open.push(t);
  await t.press('7');
  const lines = plain(t.lastFrame()).split('\n');
  assert.ok(lines.length <= size.rows - 1, `${lines.length} lines in a ${size.rows}-row terminal`);
  for (const line of lines) assert.ok(textWidth(line) <= size.columns, `line wider than ${size.columns}:\n${line}`);
  return lines;
}

/** The table rows of the view: lines that start with a segment number (newest first). */
const tableRows = (lines: string[]) => lines.filter((l) => /^│ +\*?\d+ /.test(l));

describe('ui view 7: experiments', () => {
  const derived = derivedFromFixture('experiments');

  for (const size of [
    { columns: 80, rows: 24 },
    { columns: 120, rows: 40 },
  ]) {
    it(`at ${size.columns}×${size.rows}: one row per segment, newest first and marked, verdict with its first reason`, async () => {
      const lines = await view7(derived, size);
      const frame = lines.join('\n');
      assert.match(frame, new RegExp(`┌ Experiments ─+ ${derived.experiments.length} segments · target 20 s`));
      const rows = tableRows(lines);
      assert.equal(rows.length, derived.experiments.length);
      const newestFirst = [...derived.experiments].reverse();
      rows.forEach((line, i) => {
        const r = newestFirst[i]!;
        assert.match(line, new RegExp(`^│ +${r.current ? '\\*' : ''}${r.index} `), `row ${i}`);
        assert.ok(line.includes(r.resourcesLabel), `resources of segment ${r.index}`);
        const word = r.verdict.sustainable === true ? 'yes' : r.verdict.sustainable === false ? 'NO' : '–';
        const reason = r.verdict.reasons[0]!.slice(0, 8);
        assert.ok(line.includes(`${word} ${reason}`), `verdict of segment ${r.index}: ${line}`);
      });
      assert.match(rows[0]!, /^│ +\*\d+ /, 'the current segment on top, marked');
      assert.equal(rows.filter((l) => /^│ +\*/.test(l)).length, 1);
      assert.match(rows.find((l) => / NO /.test(l))!, /2×12k/);
      assert.match(frame, /first 2 batches/, 'the legend says what the averages leave out');
    });
  }

  it('shows unknown values as – (steady: no generator stats, too short for a verdict), never 0', async () => {
    const lines = await view7(derivedFromFixture('steady'), { columns: 120, rows: 40 });
    const [row] = tableRows(lines);
    assert.ok(row);
    assert.match(row, /2×1c 1G sp200 +– /, `the load is unknown: ${row}`);
    assert.match(row, /– too short: 2 batches/);
    assert.doesNotMatch(row, / 0 /);
  });
});
