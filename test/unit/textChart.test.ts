import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildChart, cleanPoints, downsample, niceStep, type Chart, type ChartInput } from '../../src/text/chart.js';
import { formatCompactAxis as formatCompact } from '../../src/text/format.js';
import { textWidth } from '../../src/text/cells.js';
import { makeTheme } from '../../src/ui/theme.js';

const g = makeTheme({ color: true, ascii: false }).glyphs;
const glyphs = { symbols: g.chartSymbols, secondary: null, target: g.targetLine, markerColumn: g.markerColumn, marker: g.marker };

function chart(overrides: Partial<ChartInput>): Chart | null {
  return buildChart({ series: [[1, 2, 3]], width: 40, lines: 6, labelWidth: 5, formatLabel: formatCompact, glyphs, ...overrides });
}

function text(c: Chart): string[] {
  return c.rows.map((runs) => runs.map((r) => r.text).join(''));
}

describe('ui chart', () => {
  it('has nothing to draw for empty, all-null or all-NaN series (asciichart would throw)', () => {
    assert.equal(chart({ series: [[]] }), null);
    assert.equal(chart({ series: [[null, null]] }), null);
    assert.equal(chart({ series: [[Number.NaN, Number.NaN]] }), null);
    assert.equal(chart({ series: [] }), null);
    assert.equal(chart({ series: [[1, null], [null, 2]] }), null, 'no point where both series are known');
  });

  it('drops points with a null or NaN value and keeps the series aligned', () => {
    const clean = cleanPoints(
      [
        [1, null, 3, 4],
        [5, 6, Number.NaN, 8],
      ],
      [10, 20, 30, 40],
    );
    assert.deepEqual(clean, { series: [[1, 4], [5, 8]], times: [10, 40] });
  });

  it('keeps the height fixed and the width within the box', () => {
    for (const values of [[0], [0, 0, 0], [5], [1, 1e9], Array.from({ length: 500 }, (_, i) => i % 17)]) {
      const c = chart({ series: [values], width: 37, lines: 7 });
      assert.ok(c);
      assert.equal(c.rows.length, 7, `height for ${values.length} points`);
      for (const line of text(c)) assert.ok(textWidth(line) <= 37, `width of "${line}"`);
    }
  });

  it('downsamples to the plot width, keeping spikes with max', () => {
    const values = Array.from({ length: 120 }, (_, i) => (i === 61 ? 100 : 1));
    assert.equal(downsample(values, 30, 'max').values.length, 30);
    assert.ok(downsample(values, 30, 'max').values.includes(100));
    assert.ok(!downsample(values, 30, 'mean').values.includes(100));
    assert.deepEqual(downsample([1, 2, 3], 10, 'mean'), { values: [1, 2, 3], starts: [0, 1, 2] });
    const c = chart({ series: [values], width: 36, labelWidth: 5, aggregate: 'max' });
    assert.ok(c);
    assert.equal(c.columns, 36 - 5 - 1);
  });

  it('puts round numbers on the axis so the labels stay put', () => {
    assert.equal(niceStep(0, 5), 1);
    assert.equal(niceStep(7, 7), 1);
    assert.equal(niceStep(21_000, 11), 2000);
    assert.equal(niceStep(19_800, 8), 2500);
    assert.equal(niceStep(9020, 4), 2500);
    assert.equal(niceStep(0.7, 7), 0.1);
    const c = chart({ series: [[19_000, 21_000]], lines: 12 });
    assert.ok(c);
    assert.equal(c.max, 22_000);
    const labels = c.rows.map((runs) => runs.map((r) => r.text).join('').slice(0, 5).trim());
    assert.deepEqual(labels, ['22k', '20k', '18k', '16k', '14k', '12k', '10k', '8k', '6k', '4k', '2k', '0']);
  });

  it('draws the target line and keeps it on the scale', () => {
    const c = chart({ series: [[1000, 2000, 1500]], target: 20_000, lines: 8 });
    assert.ok(c);
    assert.ok(c.max >= 20_000);
    assert.ok(c.rows.some((runs) => runs.some((r) => r.kind === 'target' && r.text.includes(g.targetLine))));
  });

  it('overlays two series, the first on top, the second in dots without colour', () => {
    const dotted = { ...glyphs, secondary: '·' };
    const c = chart({ series: [[10, 10, 10, 10], [5, 5, 5, 5]], glyphs: dotted, lines: 6 });
    assert.ok(c);
    const kinds = new Set(c.rows.flatMap((runs) => runs.map((r) => r.kind)));
    assert.ok(kinds.has('primary') && kinds.has('secondary'));
    assert.ok(c.rows.flatMap((runs) => runs.filter((r) => r.kind === 'secondary')).every((r) => /^·+$/.test(r.text)));
  });

  it('marks app changes and marks inside the charted time range', () => {
    const times = Array.from({ length: 20 }, (_, i) => 1000 * i);
    const c = chart({
      series: [times.map((t) => t / 100)],
      times,
      markers: [
        { t: 9500, label: 'app …0002' },
        { t: -5, label: 'before the chart' },
        { t: 99_999, label: 'after the chart' },
      ],
    });
    assert.ok(c);
    const markerText = c.markerLine.map((r) => r.text).join('');
    assert.match(markerText, /↑app …0002/);
    assert.doesNotMatch(markerText, /before|after/);
    const column = markerText.indexOf('↑');
    assert.equal(column, 5 + 10, 'the first point at or after the mark, counted from the axis');
    assert.ok(c.rows.some((runs) => runs.some((r) => r.kind === 'marker')), 'a dotted column through the chart');
  });

  it('draws with ASCII symbols in --ascii', () => {
    const a = makeTheme({ color: false, ascii: true }).glyphs;
    const c = chart({ series: [[1, 5, 2, 8]], glyphs: { symbols: a.chartSymbols, secondary: a.secondarySeries, target: a.targetLine, markerColumn: a.markerColumn, marker: a.marker } });
    assert.ok(c);
    for (const line of text(c)) assert.match(line, /^[\x20-\x7e]*$/);
  });
});
