/**
 * Line charts for a fixed box: asciichart, made safe and stable. Points with a null/NaN value are
 * left out (asciichart throws on NaN and on an empty series), series are downsampled to the width,
 * min/max are fixed to round numbers so the chart keeps its height, and several series are
 * overlaid cell by cell so each keeps its own colour (or, without colour, its own character).
 * Pure.
 */
import asciichart from 'asciichart';
import { fit } from './cells.js';

export type ChartCellKind = 'axis' | 'primary' | 'secondary' | 'target' | 'marker' | 'blank';

export interface ChartRun {
  text: string;
  kind: ChartCellKind;
}

export interface ChartMarker {
  t: number;
  label: string;
}

export interface ChartGlyphs {
  /** asciichart's ten symbols: ┼ ┤ ╶ ╴ ─ ╰ ╭ ╮ ╯ │ */
  symbols: readonly string[];
  /** Without colour the secondary series is drawn with this character (null: own line glyphs). */
  secondary: string | null;
  target: string;
  markerColumn: string;
  marker: string;
}

export interface ChartInput {
  /** Aligned series, oldest first; the first is drawn on top. */
  series: ReadonlyArray<ReadonlyArray<number | null | undefined>>;
  /** Time of each point (epoch ms), for placing markers. */
  times?: readonly number[];
  /** Cells available, labels included. */
  width: number;
  /** Lines the chart takes. */
  lines: number;
  labelWidth: number;
  formatLabel: (value: number) => string;
  /** How points that share a column are combined: `max` keeps spikes visible. */
  aggregate?: 'mean' | 'max';
  /** A horizontal line, e.g. the batch-duration target. */
  target?: number | null;
  markers?: readonly ChartMarker[];
  glyphs: ChartGlyphs;
}

export interface Chart {
  rows: ChartRun[][];
  /** The line under the chart: a marker glyph and label at each app change or mark. */
  markerLine: ChartRun[];
  /** The column of each marker drawn (labels joined by commas where they share one). */
  markerColumns: ReadonlyMap<number, string>;
  /** Points drawn after downsampling. */
  columns: number;
  max: number;
}

/** Points where every series has a finite value, with their times. */
export function cleanPoints(
  series: ReadonlyArray<ReadonlyArray<number | null | undefined>>,
  times?: readonly number[],
): { series: number[][]; times: number[] } {
  const length = Math.min(...series.map((s) => s.length), times?.length ?? Infinity);
  const out: number[][] = series.map(() => []);
  const keptTimes: number[] = [];
  for (let i = 0; i < (Number.isFinite(length) ? length : 0); i++) {
    const values = series.map((s) => s[i]);
    if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) continue;
    values.forEach((v, j) => out[j]!.push(v));
    keptTimes.push(times?.[i] ?? i);
  }
  return { series: out, times: keptTimes };
}

/** `values` in at most `columns` buckets; `starts[k]` is the index of bucket k's first point. */
export function downsample(values: readonly number[], columns: number, aggregate: 'mean' | 'max'): { values: number[]; starts: number[] } {
  const n = values.length;
  if (n <= columns) return { values: [...values], starts: values.map((_, i) => i) };
  const out: number[] = [];
  const starts: number[] = [];
  for (let k = 0; k < columns; k++) {
    const from = Math.floor((k * n) / columns);
    const to = Math.max(from + 1, Math.floor(((k + 1) * n) / columns));
    const bucket = values.slice(from, to);
    out.push(aggregate === 'max' ? Math.max(...bucket) : bucket.reduce((a, b) => a + b, 0) / bucket.length);
    starts.push(from);
  }
  return { values: out, starts };
}

const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The smallest round step (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) such that `divisions` steps
 * reach `highest`: every axis label is then a round number, and the top stays put while the values
 * move a little.
 */
export function niceStep(highest: number, divisions: number): number {
  const raw = highest / Math.max(1, divisions);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = NICE_STEPS.find((n) => n * magnitude >= raw * (1 - 1e-9)) ?? 10;
  return step * magnitude;
}

/** The chart, or null when there is nothing to draw yet (the caller says "waiting for batches"). */
export function buildChart(input: ChartInput): Chart | null {
  const { labelWidth, lines, glyphs } = input;
  const plotColumns = input.width - labelWidth - 1;
  if (lines < 2 || plotColumns < 2) return null;
  const clean = cleanPoints(input.series, input.times);
  const primary = clean.series[0];
  if (!primary || primary.length === 0) return null;

  // The last plotted column is always blank in asciichart's output: one point per remaining cell.
  const aggregate = input.aggregate ?? 'mean';
  const sampled = clean.series.map((s) => downsample(s, plotColumns, aggregate));
  const starts = sampled[0]!.starts;
  const points = sampled.map((s) => s.values);
  const count = points[0]!.length;

  const target = typeof input.target === 'number' && Number.isFinite(input.target) && input.target > 0 ? input.target : null;
  const highest = Math.max(...points.flat(), target ?? 0);
  const lowest = Math.min(0, ...points.flat());
  const max = niceStep(highest * 1.02, lines - 1) * (lines - 1);
  const config = {
    min: lowest,
    max,
    height: lines - 1,
    offset: 2,
    symbols: [...glyphs.symbols],
    format: (value: number) => fit(input.formatLabel(value), labelWidth, 'right'),
  };

  const layers: Array<{ grid: string[][]; kind: ChartCellKind }> = points.map((values, i) => ({
    grid: toGrid(asciichart.plot(values, config), lines),
    kind: i === 0 ? 'primary' : 'secondary',
  }));
  if (target !== null) layers.push({ grid: toGrid(asciichart.plot(new Array<number>(count).fill(target), config), lines), kind: 'target' });

  // asciichart marks its top axis row with ┼ (it means the zero line, which with min 0 is the
  // bottom); keep ┼ only where a series starts, as asciichart does for the first value.
  const ratio = (lines - 1) / (max - lowest);
  const firstRows = new Set(points.map((values) => lines - 1 - (Math.round(values[0]! * ratio) - Math.round(lowest * ratio))));
  const markerColumns = placeMarkers(input.markers ?? [], clean.times, starts, labelWidth);
  const rows = layers[0]!.grid.map((_, r) => mergeRow(layers, r, labelWidth, markerColumns, glyphs, firstRows.has(r)));
  return { rows, markerLine: markerLine(markerColumns, labelWidth + 1 + count, glyphs), markerColumns, columns: count, max };
}

function toGrid(plot: string, lines: number): string[][] {
  const rows = plot.split('\n').map((line) => [...line]);
  while (rows.length < lines) rows.unshift([]);
  return rows.slice(rows.length - lines);
}

function mergeRow(
  layers: ReadonlyArray<{ grid: string[][]; kind: ChartCellKind }>,
  r: number,
  labelWidth: number,
  markers: ReadonlyMap<number, string>,
  glyphs: ChartGlyphs,
  seriesStartsHere: boolean,
): ChartRun[] {
  const width = Math.max(...layers.map((l) => l.grid[r]?.length ?? 0));
  const cells: Array<{ ch: string; kind: ChartCellKind }> = [];
  for (let c = 0; c < width; c++) {
    if (c < labelWidth) {
      cells.push({ ch: layers[0]!.grid[r]?.[c] ?? ' ', kind: 'axis' });
      continue;
    }
    if (c === labelWidth) {
      const ch = layers[0]!.grid[r]?.[c] ?? ' ';
      cells.push({ ch: ch === glyphs.symbols[0] && !seriesStartsHere ? (glyphs.symbols[1] ?? ch) : ch, kind: 'axis' });
      continue;
    }
    let cell: { ch: string; kind: ChartCellKind } = { ch: ' ', kind: 'blank' };
    for (const layer of layers) {
      const ch = layer.grid[r]?.[c] ?? ' ';
      if (ch === ' ') continue;
      if (layer.kind === 'target') cell = { ch: glyphs.target, kind: 'target' };
      else if (layer.kind === 'secondary' && glyphs.secondary) cell = { ch: glyphs.secondary, kind: 'secondary' };
      else cell = { ch, kind: layer.kind };
      break;
    }
    if (cell.kind === 'blank' && markers.has(c)) cell = { ch: glyphs.markerColumn, kind: 'marker' };
    cells.push(cell);
  }
  return toRuns(cells);
}

function toRuns(cells: ReadonlyArray<{ ch: string; kind: ChartCellKind }>): ChartRun[] {
  const runs: ChartRun[] = [];
  for (const { ch, kind } of cells) {
    const last = runs[runs.length - 1];
    if (last && last.kind === kind) last.text += ch;
    else runs.push({ text: ch, kind });
  }
  return runs;
}

/** Column of each marker that falls inside the charted time range, with its label. */
function placeMarkers(markers: readonly ChartMarker[], times: readonly number[], starts: readonly number[], labelWidth: number): Map<number, string> {
  const columns = new Map<number, string>();
  const first = times[0];
  if (first === undefined || starts.length === 0) return columns;
  for (const marker of [...markers].sort((a, b) => a.t - b.t)) {
    if (marker.t < first) continue;
    const pointIndex = times.findIndex((t) => t >= marker.t);
    if (pointIndex < 0) continue;
    let bucket = 0;
    for (let k = 0; k < starts.length; k++) if (starts[k]! <= pointIndex) bucket = k;
    // Point k sits on column labelWidth + k (point 0 on the axis); keep markers off the axis.
    const column = labelWidth + Math.max(1, bucket);
    const previous = columns.get(column);
    columns.set(column, previous ? `${previous},${marker.label}` : marker.label);
  }
  return columns;
}

function markerLine(markers: ReadonlyMap<number, string>, width: number, glyphs: ChartGlyphs): ChartRun[] {
  if (markers.size === 0) return [];
  const cells: Array<{ ch: string; kind: ChartCellKind }> = Array.from({ length: width }, () => ({ ch: ' ', kind: 'blank' as const }));
  const sorted = [...markers.entries()].sort((a, b) => a[0] - b[0]);
  sorted.forEach(([column, label], i) => {
    if (column >= width) return;
    cells[column] = { ch: glyphs.marker, kind: 'marker' };
    const next = sorted[i + 1]?.[0] ?? width;
    const text = [...label].slice(0, Math.max(0, next - column - 2));
    text.forEach((ch, j) => {
      cells[column + 1 + j] = { ch, kind: 'marker' };
    });
  });
  return toRuns(cells);
}
