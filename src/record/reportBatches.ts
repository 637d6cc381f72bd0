/**
 * Every batch and every total-lag point of the run, and every counted batch duration of each
 * experiment segment: the model keeps the last 500 batches, 600 lag points and 512 durations per
 * segment, a report covers the whole recording.
 */
import type { BatchRow, ExperimentRow } from '../model/derivedTypes.js';
import { verdictOf } from '../model/experimentRows.js';
import type { BatchStats } from '../model/experimentSegments.js';
import type { ModelState } from '../model/index.js';
import { percentile } from '../model/rates.js';
import type { Sample } from '../model/samples.js';
import type { ReplayObserver } from './reportReplay.js';

/** What the report reads of a batch (a whole row holds ids and strings a long run cannot keep). */
export type ReportBatch = Pick<BatchRow, 't' | 'appId' | 'origin' | 'inputRps' | 'processedRps' | 'durationMs' | 'breakdown'>;

const reportBatchOf = (r: BatchRow): ReportBatch => ({
  t: r.t,
  appId: r.appId,
  origin: r.origin,
  inputRps: r.inputRps,
  processedRps: r.processedRps,
  durationMs: r.durationMs,
  breakdown: r.breakdown,
});

export interface RunSeries {
  /** Listener batches, else (no listener) batches from the jobs API; by start time. */
  batches: ReportBatch[];
  lag: { t: number[]; lag: Array<number | null> };
  /** Whose log end the lag was measured from (the newest Kafka sample's): Kafka's, or Spark's view at each batch. */
  lagView: 'kafka' | 'spark';
}

interface SegmentDurations {
  listener: number[];
  derived: number[];
}

export interface BatchCollector extends ReplayObserver {
  series(): RunSeries;
  /** The model's experiment rows with p50/p95 (and the verdict) over all counted batches. */
  fullRows(rows: readonly ExperimentRow[], model: ModelState): ExperimentRow[];
}

const keyOf = (r: { runId: string; batchId: number }) => `${r.runId}/${r.batchId}`;

/** Numbers appended one by one into a typed array that doubles when full (8 bytes a value). */
class GrowingNumbers {
  private values = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }
  toArray(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

/** Batch ids already taken, per run: numbers in a set of each run, not a string key per batch. */
class SeenBatches {
  private runs = new Map<string, Set<number>>();
  add(runId: string, batchId: number): boolean {
    let ids = this.runs.get(runId);
    if (!ids) this.runs.set(runId, (ids = new Set()));
    if (ids.has(batchId)) return false;
    ids.add(batchId);
    return true;
  }
}

/** The durations a segment's stats gained since `before` counted batches (newest last in its ring). */
function gained(stats: BatchStats, before: number): number[] {
  const added = stats.batches - before;
  if (added <= 0) return [];
  const all = stats.durations.toArray();
  return all.slice(Math.max(0, all.length - added));
}

export function createBatchCollector(): BatchCollector {
  const listener: ReportBatch[] = [];
  const listenerSeen = new SeenBatches();
  // Without the listener: the jobs API reports a batch again as its duration and rows become known.
  const derived = new Map<string, ReportBatch>();
  const lagT = new GrowingNumbers();
  const lagValue = new GrowingNumbers();
  const durations = new Map<number, SegmentDurations>();
  let counts = new Map<number, { listener: number; derived: number }>();
  let lastLagPoint: unknown = null;
  let lagView: RunSeries['lagView'] = 'kafka';

  const durationsOf = (index: number) => {
    let d = durations.get(index);
    if (!d) durations.set(index, (d = { listener: [], derived: [] }));
    return d;
  };

  return {
    before(s: Sample, model: ModelState) {
      if (s.kind !== 'progress') return;
      counts = new Map(model.experiments.segments.toArray().map((g) => [g.index, { listener: g.listener.batches, derived: g.derived.batches }]));
    },
    after(s: Sample, model: ModelState) {
      const point = model.lag.series.newest();
      if (point && point !== lastLagPoint) {
        lastLagPoint = point;
        lagT.push(point.t);
        lagValue.push(point.lag ?? NaN);
      }
      if (s.kind === 'kafka') lagView = model.kafka.view;
      if (s.kind !== 'progress') return;
      for (const g of model.experiments.segments.toArray()) {
        const was = counts.get(g.index) ?? { listener: 0, derived: 0 };
        const d = durationsOf(g.index);
        d.listener.push(...gained(g.listener, was.listener));
        d.derived.push(...gained(g.derived, was.derived));
      }
      for (const p of s.data.progress) {
        const row = model.batches.byKey.get(keyOf(p));
        if (row?.origin === 'listener' && listenerSeen.add(p.runId, p.batchId)) listener.push(reportBatchOf(row));
      }
      for (const b of s.data.derivedBatches) {
        const row = model.batches.byKey.get(keyOf(b));
        if (row?.origin === 'derived' && row.durationMs !== null) derived.set(keyOf(b), reportBatchOf(row));
      }
    },
    series() {
      const rows = listener.length > 0 ? [...listener] : [...derived.values()];
      const lag = { t: Array.from(lagT.toArray()), lag: Array.from(lagValue.toArray(), (v) => (Number.isNaN(v) ? null : v)) };
      return { batches: rows.sort((a, b) => a.t - b.t), lag, lagView };
    },
    fullRows(rows, model) {
      const segments = new Map(model.experiments.segments.toArray().map((g) => [g.index, g]));
      return rows.map((row) => {
        const seg = segments.get(row.index);
        const d = durations.get(row.index);
        if (!seg || !d) return row;
        const useListener = seg.listener.batches + seg.listener.warmupBatches > 0;
        const sorted = [...(useListener ? d.listener : d.derived)].sort((a, b) => a - b);
        if (sorted.length !== row.batches) return row; // not seen whole (the segment began before a ring evicted it)
        const base = { ...row, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
        return { ...base, verdict: verdictOf(base, model.options.targetBatchMs) };
      });
    },
  };
}
