/**
 * One word for the pipeline:
 * - 'down': Kafka or the Spark driver is unreachable, or there is no application;
 * - 'idle': nothing is produced and there is no lag;
 * - 'falling-behind': Spark processed less than came in for N consecutive batches while the lag
 *   grew, or a partition is STOP, STALL or WARN, or the app has run longer than the STOP floor
 *   without completing a batch;
 * - 'unknown': neither the lag nor Spark's rates are known (no listener, no checkpoint, no streaming
 *   gauges, or another run has just taken over the topic): nothing to judge by;
 * - else 'keeping-up'.
 */
import type { BatchRow, Health, PartitionRow, SourceState } from './derivedTypes.js';
import type { SourceName } from './samples.js';

export interface HealthInput {
  now: number;
  sources: Record<SourceName, SourceState>;
  app: { id: string | null; startedAt: number | null };
  partitions: PartitionRow[];
  totalLag: number | null;
  produceRps: number | null;
  /** The current app's listener batches, newest first. */
  recentBatches: BatchRow[];
  behindBatches: number;
  /** Total lag at commit went up over those batches (null: unknown). */
  lagGrowing: boolean | null;
  /** Whether the current app has completed a batch at all. */
  appHasBatches: boolean;
  startupGraceMs: number;
  /** Spark's input or processed rate is known (listener batches or streaming gauges). */
  ratesKnown: boolean;
}

export function processedBelowInput(batches: BatchRow[], n: number): boolean {
  if (batches.length < n) return false;
  for (let i = 0; i < n; i++) {
    const b = batches[i]!;
    if (b.inputRps === null || b.processedRps === null || !(b.processedRps < b.inputRps)) return false;
  }
  return true;
}

export function healthOf(h: HealthInput): Health {
  if (h.sources.kafka.ok === false || h.sources.driver.ok === false || h.app.id === null) return 'down';
  if (h.produceRps === 0 && h.totalLag === 0) return 'idle';
  if (h.partitions.some((p) => p.status === 'STOP' || p.status === 'STALL' || p.status === 'WARN')) return 'falling-behind';
  if (processedBelowInput(h.recentBatches, h.behindBatches) && h.lagGrowing === true) return 'falling-behind';
  if (!h.appHasBatches && h.app.startedAt !== null && h.now - h.app.startedAt > h.startupGraceMs && (h.produceRps ?? 0) > 0) return 'falling-behind';
  if (h.totalLag === null && !h.ratesKnown) return 'unknown';
  return 'keeping-up';
}
