import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeLayout,
  FOOTER_LINES,
  FRAME_LINES,
  HEADER_LINES,
  MARKER_LINES,
  MESSAGE_LINES,
  MIN_COLUMNS,
  MIN_ROWS,
  viewTableRows,
  type FittingLayout,
} from '../../src/ui/layout.js';

function fitting(columns: number, rows: number, tableRows?: number): FittingLayout {
  const layout = computeLayout({ columns, rows }, { tableRows });
  assert.ok(layout.fits, `${columns}×${rows} should fit`);
  return layout;
}

function assertConsistent(layout: FittingLayout, columns: number, rows: number) {
  const o = layout.overview;
  assert.equal(layout.height, rows - 1, 'the screen is one line shorter than the terminal');
  assert.equal(layout.columns, columns);
  assert.equal(HEADER_LINES + layout.body.height + MESSAGE_LINES + FOOTER_LINES, layout.height);
  assert.equal(o.rates.width + o.batches.width, columns, 'top row fills the width exactly');
  assert.equal(o.partitions.width + o.executors.width, columns, 'bottom row fills the width exactly');
  assert.equal(o.rates.height, o.batches.height);
  assert.equal(o.partitions.height, o.executors.height);
  assert.equal(o.rates.height + o.partitions.height, layout.body.height, 'panels fill the body exactly');
  assert.equal(o.chartLines, o.rates.height - FRAME_LINES - MARKER_LINES);
  assert.equal(o.tableRows, o.partitions.height - FRAME_LINES - 1);
  assert.ok(o.chartLines >= 3, 'charts keep at least 3 lines');
  assert.ok(o.tableRows >= 2, 'tables keep at least 2 rows');
}

describe('ui layout', () => {
  it('keeps every overview panel at 80×24, with fewer rows', () => {
    const layout = fitting(80, 24, 2);
    assertConsistent(layout, 80, 24);
    assert.deepEqual(layout.overview.rates, { width: 40, height: 13 });
    assert.equal(layout.overview.chartLines, 10);
    assert.equal(layout.overview.tableRows, 3);
  });

  it('gives 120×40 and 160×48 taller charts and room for more table rows', () => {
    const mid = fitting(120, 40, 2);
    const big = fitting(160, 48, 2);
    assertConsistent(mid, 120, 40);
    assertConsistent(big, 160, 48);
    const small = fitting(80, 24, 2);
    assert.ok(mid.overview.chartLines >= small.overview.chartLines);
    assert.ok(big.overview.chartLines >= mid.overview.chartLines);
    assert.ok(big.overview.tableRows > small.overview.tableRows);
    // Chart height is capped: every line is redrawn on each new batch (bytes over SSH).
    assert.equal(mid.overview.chartLines, 12);
    assert.equal(big.overview.rates.width, 80);
  });

  it('gives the tables the rows they ask for before the charts grow', () => {
    const few = fitting(80, 24, 2);
    const many = fitting(80, 24, 12);
    assertConsistent(many, 80, 24);
    assert.ok(many.overview.tableRows > few.overview.tableRows);
    assert.ok(many.overview.chartLines < few.overview.chartLines);
    assert.ok(fitting(120, 40, 12).overview.tableRows >= 13, 'twelve partitions and a notice line');
    const squeezed = fitting(120, 40, 60);
    assertConsistent(squeezed, 120, 40);
    assert.ok(squeezed.overview.rates.height >= Math.round(squeezed.body.height * 0.4), 'charts keep 40 % of the body');
  });

  it('splits odd widths without losing a column', () => {
    const layout = fitting(101, 30);
    assertConsistent(layout, 101, 30);
    assert.equal(layout.overview.rates.width, 50);
    assert.equal(layout.overview.batches.width, 51);
  });

  it('works at the minimum size', () => {
    const layout = fitting(MIN_COLUMNS, MIN_ROWS);
    assertConsistent(layout, MIN_COLUMNS, MIN_ROWS);
  });

  it('says the terminal is too small rather than drawing garbage', () => {
    for (const [columns, rows] of [
      [40, 10],
      [MIN_COLUMNS - 1, 40],
      [200, MIN_ROWS - 1],
      [0, 0],
    ] as const) {
      const layout = computeLayout({ columns, rows });
      assert.equal(layout.fits, false, `${columns}×${rows}`);
      if (!layout.fits) {
        assert.equal(layout.minColumns, MIN_COLUMNS);
        assert.equal(layout.minRows, MIN_ROWS);
        assert.ok(layout.height <= Math.max(0, rows - 1));
      }
    }
  });

  it('sizes full-screen tables to the body, with or without a chart', () => {
    const layout = fitting(120, 40);
    assert.equal(viewTableRows(layout, false), layout.body.height - FRAME_LINES - 1);
    assert.equal(viewTableRows(layout, true), layout.body.height - FRAME_LINES - 1 - layout.viewChartLines - MARKER_LINES);
    const small = fitting(80, 20);
    assert.equal(small.viewChartLines, 0, 'no chart where it would crowd the table out');
    assert.equal(viewTableRows(small, true), viewTableRows(small, false));
  });
});
