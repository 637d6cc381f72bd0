/**
 * The `e` key: the experiments table as Markdown (to read, paste into notes) and CSV (to plot).
 * Formatting is pure; `writeExperiments` is the only I/O.
 */
import path from 'node:path';
import { writeNewFiles } from '../files/outputFile.js';
import type { ExperimentRow } from '../model/derivedTypes.js';
import { loadLabel, slopeLabel, verdictLabel } from '../text/experimentText.js';
import { formatCompact, formatDuration, formatInt } from '../text/format.js';

export interface ExperimentsMeta {
  /** When the table was written, epoch ms. */
  at: number;
  /** The batch duration aimed at (Derived.batches.targetMs). */
  targetBatchMs: number;
  /** What was watched, e.g. "local lab" or a recording's file name. */
  source?: string;
}

export const METHOD_NOTES = [
  'A segment starts at each change of resources or load: a new Spark application id, a change in the generators (count, rate per generator, paused), or a resubmission made from sparktop.',
  "Rates and batch durations leave out the first two batches of each run that started during the watch: the first pays the JVM's and the planner's start-up, the second drains what Kafka received meanwhile. Lag still counts them.",
  'in/s and out/s are row-weighted: total rows ÷ total seconds Spark measured (since the previous batch for input, the batch duration for processing).',
  "Lag is the total lag measured against the segment's own application's committed offsets; its slope is a least-squares fit over the segment (records/s).",
  'Sustainable: out/s ≥ in/s, lag not growing (slope ≤ 2 % of in/s), and p95 batch duration < target. No verdict with fewer than 3 counted batches.',
];

const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
export const mdCell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** The experiments table alone: header, alignment and one line per segment (shared with the report). */
export function experimentsTable(rows: readonly ExperimentRow[]): string[] {
  const header = ['#', 'start (UTC)', 'duration', 'app', 'resources', 'load', 'in/s', 'out/s', 'rows/batch', 'p50', 'p95', 'max', 'lag start', 'lag end', 'lag/s', 'batches', 'sustainable', 'why'];
  const align = header.map((_, i) => (i >= 6 && i <= 15 ? '---:' : '---'));
  const lines = [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`];
  for (const r of rows) {
    const cells = [
      `${r.index}${r.current ? ' (current)' : ''}`,
      iso(r.start).slice(11, 19),
      formatDuration(r.durationMs),
      r.appId ?? '–',
      r.resourcesLabel,
      loadLabel(r.generators),
      formatCompact(r.inputRps),
      formatCompact(r.processedRps),
      formatCompact(r.rowsPerBatch),
      formatDuration(r.p50Ms),
      formatDuration(r.p95Ms),
      formatDuration(r.maxMs),
      formatInt(r.lagStart),
      formatInt(r.lagEnd),
      slopeLabel(r.lagSlope),
      `${r.batches} (+${r.warmupBatches} warm-up)`,
      verdictLabel(r.verdict, false),
      r.verdict.reasons.join('; '),
    ];
    lines.push(`| ${cells.map(mdCell).join(' | ')} |`);
  }
  return lines;
}

export function experimentsMarkdown(rows: readonly ExperimentRow[], meta: ExperimentsMeta): string {
  const lines = [
    '# sparktop experiments',
    '',
    `Written ${iso(meta.at)}${meta.source ? ` from ${meta.source}` : ''}; target batch duration ${formatDuration(meta.targetBatchMs)}.`,
    '',
    ...experimentsTable(rows),
  ];
  const submitted = rows.filter((r) => r.resources.commandLine);
  if (submitted.length > 0) {
    lines.push('', '## Submissions', '');
    for (const r of submitted) lines.push(`Segment ${r.index}:`, '', '```', r.resources.commandLine!, '```', '');
  }
  if (lines.at(-1) !== '') lines.push('');
  lines.push('## How the figures are made', '', ...METHOD_NOTES.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

export const CSV_COLUMNS = [
  'index',
  'current',
  'cause',
  'app_id',
  'start',
  'end',
  'duration_s',
  'resources',
  'executors',
  'cores_per_executor',
  'executor_memory',
  'total_cores',
  'shuffle_partitions',
  'max_offsets_per_trigger',
  'trigger',
  'generators',
  'rate_per_generator',
  'target_rps',
  'paused',
  'batches',
  'warmup_batches',
  'input_rps',
  'processed_rps',
  'rows_per_batch',
  'p50_ms',
  'p95_ms',
  'max_ms',
  'lag_start',
  'lag_end',
  'lag_slope_rps',
  'sustainable',
  'reasons',
  'command_line',
] as const;

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const round = (n: number | null, digits: number) => (n === null || !Number.isFinite(n) ? null : Number(n.toFixed(digits)));

function csvRecord(r: ExperimentRow): Array<string | number | boolean | null> {
  const res = r.resources;
  const g = r.generators;
  return [
    r.index,
    r.current,
    r.cause,
    r.appId,
    iso(r.start),
    r.end === null ? null : iso(r.end),
    round(r.durationMs / 1000, 1),
    r.resourcesLabel,
    res.executors,
    res.coresPerExecutor,
    res.executorMemory,
    res.totalCores,
    res.shufflePartitions,
    res.maxOffsetsPerTrigger,
    res.trigger,
    g?.count ?? null,
    g?.ratePerGenerator ?? null,
    g?.targetRps ?? null,
    g?.paused ?? null,
    r.batches,
    r.warmupBatches,
    round(r.inputRps, 1),
    round(r.processedRps, 1),
    round(r.rowsPerBatch, 1),
    r.p50Ms,
    r.p95Ms,
    r.maxMs,
    r.lagStart,
    r.lagEnd,
    round(r.lagSlope, 1),
    r.verdict.sustainable,
    r.verdict.reasons.join('; '),
    res.commandLine,
  ];
}

/** Header and one record per segment, oldest first, CRLF-terminated (RFC 4180); unknown is an empty field. */
export function experimentsCsv(rows: readonly ExperimentRow[]): string {
  const records = [CSV_COLUMNS.map(csvField), ...rows.map((r) => csvRecord(r).map(csvField))];
  return records.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/**
 * Writes `experiments.md` and `experiments.csv` into `dir`, or `experiments-2.md` and
 * `experiments-2.csv`, … when either is taken: never over an earlier export. Returns the absolute
 * paths written.
 */
export function writeExperiments(dir: string, rows: readonly ExperimentRow[], meta: ExperimentsMeta): { md: string; csv: string } {
  const [md, csv] = writeNewFiles([
    { path: path.resolve(dir, 'experiments.md'), data: experimentsMarkdown(rows, meta) },
    { path: path.resolve(dir, 'experiments.csv'), data: experimentsCsv(rows) },
  ]);
  return { md: md!, csv: csv! };
}
