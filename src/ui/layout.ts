/**
 * Where everything goes for a terminal of `columns` × `rows`. Pure. The screen uses at most
 * `rows - 1` lines: Ink 6.8 clears the whole terminal on every frame once a frame is as tall as the
 * terminal (docs/ARCHITECTURE.md "Ink and the terminal").
 */

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

/** Title line and resources line. */
export const HEADER_LINES = 2;
/** Status and findings line. */
export const MESSAGE_LINES = 1;
export const FOOTER_LINES = 1;

/** Top and bottom border of a panel. */
export const FRAME_LINES = 2;
/** Left and right border of a panel. */
export const FRAME_COLUMNS = 2;
/** The line under a chart that carries app-change and mark labels. */
export const MARKER_LINES = 1;

const MIN_CHART_LINES = 3;
/**
 * Chart height cap: every new batch redraws every chart line; at 120×40 with one batch a second,
 * 12 lines keep the output near 4 KB/s with incremental rendering. Taller terminals get a
 * little more (35 % of the body in chart lines).
 */
const MAX_CHART_LINES = 12;
const MAX_CHART_SHARE = 0.35;
/** Many partitions never squeeze the chart panels below 40 % of the body. */
const MIN_CHART_SHARE = 0.4;
const MIN_TABLE_ROWS = 2;

export interface PanelSize {
  /** Outer size, borders included. */
  width: number;
  height: number;
}

export interface OverviewLayout {
  rates: PanelSize;
  batches: PanelSize;
  partitions: PanelSize;
  executors: PanelSize;
  /** Lines of chart inside the Rates and Batches panels (the marker line comes on top of these). */
  chartLines: number;
  /** Data rows the Partitions and Executors tables can show under their header. */
  tableRows: number;
}

export interface FittingLayout {
  fits: true;
  columns: number;
  /** Lines the whole screen takes: rows - 1. */
  height: number;
  body: PanelSize;
  overview: OverviewLayout;
  /** A full-screen view: lines of chart above its table (0: no chart at this height). */
  viewChartLines: number;
}

export interface TooSmallLayout {
  fits: false;
  columns: number;
  height: number;
  minColumns: number;
  minRows: number;
}

export type ScreenLayout = FittingLayout | TooSmallLayout;

export interface LayoutHints {
  /** Rows the overview tables would like to show (max of partitions and executors). */
  tableRows?: number;
}

export function computeLayout(size: { columns: number; rows: number }, hints: LayoutHints = {}): ScreenLayout {
  const columns = Math.max(0, Math.floor(size.columns));
  const height = Math.max(0, Math.floor(size.rows) - 1);
  if (columns < MIN_COLUMNS || size.rows < MIN_ROWS) {
    return { fits: false, columns, height, minColumns: MIN_COLUMNS, minRows: MIN_ROWS };
  }
  const bodyHeight = height - HEADER_LINES - MESSAGE_LINES - FOOTER_LINES;
  const body = { width: columns, height: bodyHeight };
  return { fits: true, columns, height, body, overview: overviewLayout(body, hints), viewChartLines: viewChartLines(bodyHeight) };
}

function overviewLayout(body: PanelSize, hints: LayoutHints): OverviewLayout {
  const chrome = FRAME_LINES + MARKER_LINES;
  const topMin = chrome + MIN_CHART_LINES;
  const topMax = chrome + Math.max(MAX_CHART_LINES, Math.round(body.height * MAX_CHART_SHARE));
  const bottomMin = FRAME_LINES + 1 + MIN_TABLE_ROWS;
  // One row more than the tables have, so an outage notice does not push a row out.
  const wantedRows = Math.max(MIN_TABLE_ROWS, (hints.tableRows ?? 3) + 1);
  const bottomWanted = FRAME_LINES + 1 + wantedRows;

  // The tables get what they need, the charts the rest, within the floor and cap above.
  const topFloor = Math.max(topMin, Math.round(body.height * MIN_CHART_SHARE));
  let top = Math.max(topFloor, Math.min(topMax, body.height - bottomWanted));
  top = Math.min(top, body.height - bottomMin);
  const bottom = body.height - top;

  const left = Math.floor(body.width / 2);
  const right = body.width - left;
  return {
    rates: { width: left, height: top },
    batches: { width: right, height: top },
    partitions: { width: left, height: bottom },
    executors: { width: right, height: bottom },
    chartLines: top - chrome,
    tableRows: bottom - FRAME_LINES - 1,
  };
}

function viewChartLines(bodyHeight: number): number {
  if (bodyHeight < 16) return 0;
  return Math.max(MIN_CHART_LINES, Math.min(12, Math.round(bodyHeight * 0.3)));
}

/** Rows a full-screen table view can show: the body minus its frame, header and optional chart. */
export function viewTableRows(layout: FittingLayout, withChart: boolean): number {
  const chart = withChart && layout.viewChartLines > 0 ? layout.viewChartLines + MARKER_LINES : 0;
  return Math.max(0, layout.body.height - FRAME_LINES - 1 - chart);
}

/** Inner width of a panel. */
export function innerWidth(panel: PanelSize): number {
  return Math.max(0, panel.width - FRAME_COLUMNS);
}
