/** Batch-based figures: the rates chart series and batch duration percentiles. */
import type { BatchRow, Derived } from './derivedTypes.js';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** p50/p95/max of the given batches' durations (running batches, without one, are left out). */
export function durationPercentiles(batches: BatchRow[]): { p50Ms: number | null; p95Ms: number | null; maxMs: number | null } {
  const durations = batches.map((b) => b.durationMs).filter((d): d is number => d !== null && Number.isFinite(d));
  durations.sort((a, b) => a - b);
  return { p50Ms: percentile(durations, 0.5), p95Ms: percentile(durations, 0.95), maxMs: durations.length > 0 ? durations[durations.length - 1]! : null };
}

/** Input and processed rows/s of the last `max` batches, oldest first. */
export function batchSeries(rows: BatchRow[], max: number): Derived['rates']['series'] {
  return rows.slice(Math.max(0, rows.length - max)).map((r) => ({ batchId: r.batchId, t: r.t, input: r.inputRps, processed: r.processedRps }));
}
