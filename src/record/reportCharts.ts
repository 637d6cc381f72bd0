/**
 * The run as text charts (the monitor's asciichart charts, src/text/chart.ts, over the whole
 * recording): input vs processed rate, batch duration against the target, total lag. Marks, app
 * changes and control actions are lettered on a marker row under each chart, with a legend.
 */
import { buildChart, cleanPoints, type ChartGlyphs, type ChartInput } from '../text/chart.js';
import { formatCompactAxis, formatDurationShort } from '../text/format.js';
import type { RunSeries } from './reportBatches.js';
import { utcTime, whenIn } from './reportText.js';

export interface ReportMarker {
  letter: string;
  t: number;
  text: string;
}

export const CHART_WIDTH = 100;
const CHART_LINES = 12;
const LABEL_WIDTH = 7;

const GLYPHS: ChartGlyphs = {
  symbols: ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  secondary: '·',
  target: '╌',
  markerColumn: '┊',
  marker: '↑',
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Events in time order, lettered A, B, … (then a, b, …; then numbers). */
export function letterMarkers(events: ReadonlyArray<{ t: number; text: string }>): ReportMarker[] {
  return [...events].sort((a, b) => a.t - b.t).map((e, i) => ({ letter: LETTERS[i] ?? String(i + 1), t: e.t, text: e.text }));
}

/** Each marker's letters under its column (┊ in the chart), pushed right where they would overlap. */
function letterRow(columns: ReadonlyMap<number, string>): string {
  let row = '';
  for (const [column, label] of [...columns].sort((a, b) => a[0] - b[0])) {
    const text = label.replace(/,/g, '');
    row = row.padEnd(Math.max(column, row.length === 0 ? 0 : row.length + 1)) + text;
  }
  return row;
}

function chartBlock(title: string, what: string, legend: string, input: Omit<ChartInput, 'width' | 'lines' | 'labelWidth' | 'glyphs'>, markers: readonly ReportMarker[], start: number): string[] {
  const lines = [`### ${title}`, ''];
  const chart = buildChart({ ...input, width: CHART_WIDTH, lines: CHART_LINES, labelWidth: LABEL_WIDTH, glyphs: GLYPHS, markers: markers.map((m) => ({ t: m.t, label: m.letter })) });
  const { times } = cleanPoints(input.series, input.times);
  if (!chart || times.length === 0) return [...lines, `Nothing to chart: no ${what} in the recording.`, ''];
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const perColumn = times.length / chart.columns;
  lines.push(
    `${what[0]!.toUpperCase()}${what.slice(1)}${legend ? ` (${legend})` : ''} from ${utcTime(first)} to ${utcTime(last)} UTC, ${times.length} points${perColumn > 1.05 ? ` (one column ≈ ${perColumn.toFixed(1)} points)` : ''}.`,
    '',
    '```text',
    ...chart.rows.map((runs) => runs.map((r) => r.text).join('').trimEnd()),
  );
  const markerRow = letterRow(chart.markerColumns);
  if (markerRow !== '') lines.push(markerRow);
  lines.push('```', '');
  if (markers.length > 0) {
    const placed = new Set([...chart.markerColumns.values()].flatMap((label) => label.split(',')));
    for (const m of markers) lines.push(`- **${m.letter}** ${whenIn(m.t, start)}: ${m.text}${placed.has(m.letter) ? '' : ' (outside this chart)'}`);
    lines.push('');
  }
  return lines;
}

export function chartsSection(run: RunSeries, targetMs: number, markers: readonly ReportMarker[], start: number): string[] {
  const b = run.batches;
  const times = b.map((x) => x.t);
  return [
    '## Charts',
    '',
    ...chartBlock(
      'Input vs processed rate (rows/s)',
      'per-batch rates',
      '─ input, · processed',
      { series: [b.map((x) => x.inputRps), b.map((x) => x.processedRps)], times, formatLabel: formatCompactAxis },
      markers,
      start,
    ),
    ...chartBlock(
      `Batch duration (╌ target ${formatDurationShort(targetMs)})`,
      'batch durations',
      '',
      { series: [b.map((x) => x.durationMs)], times, formatLabel: formatDurationShort, target: targetMs, aggregate: 'max' },
      markers,
      start,
    ),
    ...chartBlock(
      run.lagView === 'spark' ? "Total lag (records; Spark's view at each batch)" : 'Total lag (records)',
      run.lagView === 'spark' ? "total lag as Spark saw it when it planned each batch (latestOffset − endOffset; Kafka's log end between batches is not in an event log)" : 'total lag',
      '',
      { series: [run.lag.lag], times: run.lag.t, formatLabel: formatCompactAxis, aggregate: 'max' },
      markers,
      start,
    ),
  ];
}
