import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bar } from '../../src/ui/bar.js';
import { frameTop } from '../../src/ui/Panel.js';
import { composeLine } from '../../src/ui/segments.js';
import { fitColumns, headerSpans, rowSpans, visibleWindow, type Column } from '../../src/ui/table.js';
import { fit, fitSpans, oneLine, spansWidth, textWidth, truncate, type Span } from '../../src/text/cells.js';
import { makeTheme } from '../../src/ui/theme.js';
import { trendOf } from '../../src/ui/trend.js';

const joined = (spans: Span[]) => spans.map((s) => s.text).join('');

describe('ui text: exact widths', () => {
  it('measures cells, wide characters included', () => {
    assert.equal(textWidth('abc'), 3);
    assert.equal(textWidth('┌─●…–'), 5);
    assert.equal(textWidth('日本'), 4);
  });

  it('cuts with an ellipsis and pads to the exact width', () => {
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abc', 4), 'abc');
    assert.equal(fit('abc', 5), 'abc  ');
    assert.equal(fit('abc', 5, 'right'), '  abc');
    assert.equal(fit('日本語', 5), '日本…');
    assert.equal(textWidth(fit('日本語', 4)), 4);
  });

  it('keeps outside text on one line', () => {
    assert.equal(oneLine('connect\nECONNREFUSED\t127.0.0.1\x07'), 'connect ECONNREFUSED 127.0.0.1');
  });

  it('fits spans to the width, cutting the last visible one with an ellipsis', () => {
    const spans: Span[] = [{ text: 'abc', bold: true }, { text: 'defgh', tone: 'bad' }];
    assert.equal(joined(fitSpans(spans, 10)), 'abcdefgh  ');
    assert.equal(joined(fitSpans(spans, 6)), 'abcde…');
    assert.equal(joined(fitSpans(spans, 3)), 'ab…');
    assert.equal(fitSpans(spans, 6)[1]?.tone, 'bad', 'styles survive the cut');
    for (let w = 0; w < 12; w++) assert.equal(spansWidth(fitSpans(spans, w)), w);
  });
});

describe('ui text: lines of segments', () => {
  const left = [
    { spans: [{ text: 'sparktop' }], priority: 0 },
    { spans: [{ text: 'app-20260115093012-0001' }], short: [{ text: 'app-…0001' }], priority: 2 },
    { spans: [{ text: 'up 00:12:31' }], priority: 1 },
  ];
  const right = [{ spans: [{ text: 'KEEPING UP' }], priority: 0 }];

  it('right-aligns the right group and fills the width exactly', () => {
    const line = joined(composeLine(left, right, 80));
    assert.equal(textWidth(line), 80);
    assert.ok(line.startsWith('sparktop  app-20260115093012-0001  up 00:12:31'));
    assert.ok(line.endsWith('KEEPING UP'));
  });

  it('shortens, then drops, the least important piece first', () => {
    assert.equal(joined(composeLine(left, right, 45)).replace(/ +/g, ' '), 'sparktop app-…0001 up 00:12:31 KEEPING UP');
    assert.equal(joined(composeLine(left, right, 33)).replace(/ +/g, ' '), 'sparktop up 00:12:31 KEEPING UP');
    assert.equal(joined(composeLine(left, right, 32)).replace(/ +/g, ' '), 'sparktop app-…0001 KEEPING UP', 'a short form comes back where a dropped piece left room');
    const tiny = composeLine(left, right, 12);
    assert.equal(spansWidth(tiny), 12, 'always exactly the width');
  });
});

describe('ui text: tables', () => {
  interface Row {
    id: number;
    name: string;
    lag: number;
  }
  const columns: Column<Row>[] = [
    { header: 'id', width: 3, align: 'right', priority: 0, cell: (r) => String(r.id) },
    { header: 'name', width: 10, priority: 2, grow: 1, cell: (r) => r.name },
    { header: 'lag', width: 8, align: 'right', priority: 0, cell: (r) => String(r.lag) },
    { header: 'x', width: 2, priority: 3, cell: () => 'x' },
  ];

  it('drops the least important columns that do not fit, keeps narrow ones that still do', () => {
    assert.deepEqual(fitColumns(columns, 40).map((p) => p.column.header), ['id', 'name', 'lag', 'x']);
    assert.deepEqual(fitColumns(columns, 15).map((p) => p.column.header), ['id', 'lag', 'x']);
    assert.deepEqual(fitColumns(columns, 12).map((p) => p.column.header), ['id', 'lag']);
  });

  it('fills the width exactly with the growing column and cuts long cells', () => {
    const placed = fitColumns(columns, 40);
    const row = rowSpans(placed, { id: 7, name: 'a-very-long-executor-host-name', lag: 19111 });
    assert.equal(spansWidth(row), 40);
    assert.equal(spansWidth(headerSpans(placed)), 40);
    assert.match(joined(row), /a-very-long-[a-z-]+… /);
  });

  it('scrolls within bounds', () => {
    assert.deepEqual(visibleWindow(100, 10, 0), { start: 0, end: 10 });
    assert.deepEqual(visibleWindow(100, 10, 95), { start: 90, end: 100 });
    assert.deepEqual(visibleWindow(5, 10, 3), { start: 0, end: 5 });
  });
});

describe('ui text: frames, bars, trends', () => {
  const glyphs = makeTheme({ color: true, ascii: false }).glyphs;

  it('puts the title left and the figures right in the top border, exactly as wide as the panel', () => {
    const top = joined(frameTop('Rates', '(rec/s)', [{ text: 'in 19.8k  out 21.0k' }], 60, glyphs, false));
    assert.equal(textWidth(top), 60);
    assert.match(top, /^┌ Rates \(rec\/s\) ─+ in 19\.8k {2}out 21\.0k ┐$/);
    const narrow = joined(frameTop('Rates', '(rec/s)', [{ text: 'in 19.8k  out 21.0k' }], 31, glyphs, false));
    assert.equal(textWidth(narrow), 31);
    assert.match(narrow, /^┌ Rates ─+ in 19\.8k {2}out 21\.0k ┐$/, 'the subtitle goes first');
    const cut = joined(frameTop('Rates', '(rec/s)', [{ text: 'in 19.8k  out 21.0k' }], 28, glyphs, false));
    assert.equal(cut, '┌ Rates ─ in 19.8k  out 2… ┐', 'then the figures are cut');
    const tiny = joined(frameTop('Partitions', 'logs', [{ text: 'lag 38 222' }], 14, glyphs, false));
    assert.equal(textWidth(tiny), 14);
    assert.match(tiny, /^┌ Partitions ─*┐$/);
  });

  it('draws share bars in eighths, or whole # cells in ASCII', () => {
    assert.equal(bar(1, 4, '█', glyphs.barPartial), '████');
    assert.equal(bar(0.5, 4, '█', glyphs.barPartial), '██');
    assert.equal(bar(0.51, 5, '█', glyphs.barPartial), '██▌');
    assert.equal(bar(0.5, 4, '#', []), '##');
    assert.equal(bar(null, 4, '#', []), '');
    assert.equal(bar(7, 4, '#', []), '####');
  });

  it('calls a trend only when the newest value clearly differs', () => {
    assert.equal(trendOf([100, 100, 100, 120]), 'up');
    assert.equal(trendOf([100, 100, 100, 80]), 'down');
    assert.equal(trendOf([100, 100, 100, 102]), null);
    assert.equal(trendOf([100, null]), null);
    assert.equal(trendOf([]), null);
  });
});
