/**
 * The monitor's snapshot as Prometheus/OpenMetrics text (`/metrics` of `--metrics` and `serve`):
 * the same `Derived` the screen shows, rendered purely. Every series carries the application's
 * *name* and the query's name (never the application id, which changes at each resubmission), so a
 * dashboard's series continue across resubmissions. Unknown values are left out, never 0.
 */
import type { Derived } from '../model/derivedTypes.js';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

type Labels = Record<string, string | number | null | undefined>;

interface Family {
  name: string;
  type: 'gauge' | 'summary';
  help: string;
  unit?: string;
  samples: Array<{ suffix?: string; labels: Labels; value: number | null }>;
}

/** OpenMetrics label values: backslash, double quote and line feed escaped. */
const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).flatMap(([k, v]) => (v === null || v === undefined || v === '' ? [] : [`${k}="${escape(String(v))}"`]));
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function valueText(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(12)));
}

function render(families: Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    const samples = f.samples.filter((s) => s.value !== null && Number.isFinite(s.value));
    out.push(`# TYPE ${f.name} ${f.type}`);
    if (f.unit) out.push(`# UNIT ${f.name} ${f.unit}`);
    out.push(`# HELP ${f.name} ${f.help}`);
    for (const s of samples) out.push(`${f.name}${s.suffix ?? ''}${labelText(s.labels)} ${valueText(s.value!)}`);
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : ms / 1000);

/** Nearest-rank quantile of sorted values. */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/** The application and query names the series carry. */
export interface SeriesNames {
  app: string | null;
  query: string | null;
}

/**
 * The exposition of one snapshot. `names` default to the snapshot's own; a server scraped over time
 * gives those of openMetricsRenderer, which outlast a moment without a running application.
 */
export function openMetricsText(d: Derived, names: SeriesNames = { app: d.app.name, query: d.selection.query?.name ?? null }): string {
  const base: Labels = { app: names.app, query: names.query };
  const topic = d.partitions.topic;
  const partitions = d.partitions.rows;
  const perPartition = (value: (r: (typeof partitions)[number]) => number | null) =>
    partitions.map((r) => ({ labels: { ...base, topic, partition: r.partition }, value: value(r) }));
  const ofApp = d.batches.rows.filter((r) => r.appId === d.app.id && r.durationMs !== null);
  const durations = ofApp.map((r) => r.durationMs! / 1000).sort((a, b) => a - b);
  const summary: Family['samples'] =
    durations.length === 0
      ? []
      : [
          { labels: { ...base, quantile: '0.5' }, value: quantile(durations, 0.5) },
          { labels: { ...base, quantile: '0.95' }, value: quantile(durations, 0.95) },
          { suffix: '_sum', labels: base, value: durations.reduce((a, x) => a + x, 0) },
          { suffix: '_count', labels: base, value: durations.length },
        ];
  const families: Family[] = [
    { name: 'sparktop_partition_lag_records', type: 'gauge', help: "Records between Kafka's log end and the offsets Spark committed.", samples: perPartition((r) => r.lag) },
    { name: 'sparktop_partition_lag_seconds', type: 'gauge', unit: 'seconds', help: 'The lag in seconds of input at the partition\'s current produce rate.', samples: perPartition((r) => r.lagSeconds) },
    { name: 'sparktop_partition_log_end_offset', type: 'gauge', help: "Kafka's log end offset.", samples: perPartition((r) => r.logEndOffset) },
    { name: 'sparktop_partition_produce_rate', type: 'gauge', help: 'Records per second written to the partition (log end offset deltas).', samples: perPartition((r) => r.produceRps) },
    { name: 'sparktop_input_rows_per_second', type: 'gauge', help: "Spark's input rate of the last batch (rows per second since the batch before).", samples: [{ labels: base, value: d.rates.inputRps }] },
    { name: 'sparktop_processed_rows_per_second', type: 'gauge', help: "Spark's processing rate of the last batch (rows per second of its duration).", samples: [{ labels: base, value: d.rates.processedRps }] },
    { name: 'sparktop_batch_duration_seconds', type: 'gauge', unit: 'seconds', help: 'Duration of the newest completed micro-batch.', samples: [{ labels: base, value: seconds(ofApp.at(-1)?.durationMs) }] },
    { name: 'sparktop_batch_duration_window_seconds', type: 'summary', unit: 'seconds', help: "Durations of the application's recent micro-batches (the monitor's window).", samples: summary },
    { name: 'sparktop_executor_task_share', type: 'gauge', help: "The executor's share of the recent task time (1 = all of it).", samples: d.executors.rows.map((e) => ({ labels: { ...base, executor: e.id }, value: e.taskShare })) },
    { name: 'sparktop_executor_gc_ratio', type: 'gauge', help: "GC time over task time of the executor's recent tasks.", samples: d.executors.rows.map((e) => ({ labels: { ...base, executor: e.id }, value: e.gcRatio })) },
    { name: 'sparktop_finding_active', type: 'gauge', help: "An advisor finding in force (1); the advisor's rules and thresholds are sparktop's.", samples: d.findings.map((f) => ({ labels: { ...base, id: f.id, severity: f.severity }, value: 1 })) },
    {
      name: 'sparktop_source_up',
      type: 'gauge',
      help: 'Whether sparktop reads the source (1) or not (0): kafka, driver, master, progress (the listener), checkpoint.',
      samples: Object.entries(d.sources).map(([source, s]) => ({ labels: { source }, value: s.ok === null ? null : s.ok ? 1 : 0 })),
    },
  ];
  return render(families);
}

/**
 * openMetricsText for a server scraped over time. While a resubmission runs, the master lists no
 * application (and the listener no query) for a few seconds, but the lag is still that of the last
 * job's commits: its series keep the last known names instead of starting label-less series that a
 * dashboard would see as new ones. Another application's name (or its query's) replaces them.
 */
export function openMetricsRenderer(): (d: Derived) => string {
  let names: SeriesNames = { app: null, query: null };
  return (d) => {
    const app = d.app.name;
    const query = d.selection.query?.name ?? null;
    if (app !== null && app !== names.app) names = { app, query };
    else if (query !== null) names = { app: names.app, query };
    return openMetricsText(d, names);
  };
}
