/** Experiment segments → display-ready rows with a verdict (view 7, the `e` export, status JSON). */
import { positiveInt } from './cluster.js';
import type { ExperimentRow, ExperimentVerdict } from './derivedTypes.js';
import { lagSlope } from './experiments.js';
import type { ExperimentsState, Segment } from './experimentSegments.js';
import { percentile } from './rates.js';

/** Fewer counted batches than this: no verdict. */
export const MIN_VERDICT_BATCHES = 3;
/**
 * Lag "grows" when its least-squares slope exceeds this fraction of the input rate (at least
 * 1 rec/s): the saw-tooth of lag between commits must not read as a trend.
 */
export const LAG_GROWTH_FRACTION = 0.02;

function resourcesOf(s: Segment): ExperimentRow['resources'] {
  const p = s.properties ?? {};
  const r = s.requested;
  const coresPerExecutor =
    positiveInt(p['spark.executor.cores']) ??
    r?.executorCores ??
    (s.executors && s.executorCores !== null && s.executorCores % s.executors === 0 ? s.executorCores / s.executors : null);
  return {
    executors: s.executors ?? r?.numExecutors ?? null,
    coresPerExecutor,
    executorMemory: p['spark.executor.memory'] ?? r?.executorMemory ?? (s.masterMemoryMb === null ? null : `${s.masterMemoryMb}m`),
    totalCores: positiveInt(p['spark.cores.max']) ?? r?.totalExecutorCores ?? s.masterCores ?? null,
    shufflePartitions: positiveInt(p['spark.sql.shuffle.partitions']) ?? r?.shufflePartitions ?? s.stateShufflePartitions,
    maxOffsetsPerTrigger: r?.maxOffsetsPerTrigger ?? null,
    trigger: r?.trigger ?? null,
    requested: r,
    commandLine: s.commandLine,
  };
}

/** "2×1c 1G sp4": executors × cores each, executor memory, shuffle partitions ('?' where unknown). */
export function resourcesLabel(r: ExperimentRow['resources']): string {
  const parts = [`${r.executors ?? '?'}×${r.coresPerExecutor ?? '?'}c`];
  if (r.executorMemory) parts.push(r.executorMemory);
  if (r.shufflePartitions !== null) parts.push(`sp${r.shufflePartitions}`);
  if (r.maxOffsetsPerTrigger !== null) parts.push(`max${r.maxOffsetsPerTrigger}`);
  if (r.trigger) parts.push(`trig ${r.trigger.replace(' seconds', 's').replace(' milliseconds', 'ms')}`);
  return parts.join(' ');
}

const rate = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Sustainable: processed ≥ input, lag not growing, p95 batch < target. False as soon as one known
 * criterion fails (every failing one is a reason); true only when all three are known and hold.
 */
export function verdictOf(
  row: Pick<ExperimentRow, 'batches' | 'inputRps' | 'processedRps' | 'lagSlope' | 'p95Ms'> & { lagSlopeError?: number | null },
  targetMs: number,
): ExperimentVerdict {
  // A slope within two standard errors of zero is noise, not growth (short windows, few batches).
  const limit = Math.max(1, LAG_GROWTH_FRACTION * (row.inputRps ?? 0), 2 * (row.lagSlopeError ?? 0));
  if (row.batches < MIN_VERDICT_BATCHES) {
    // No verdict yet, but a lag already running away is worth saying (e.g. a first batch that never ends).
    const hint = row.lagSlope !== null && row.lagSlope > limit ? [`lag growing +${rate(row.lagSlope)}/s so far`] : [];
    return { sustainable: null, reasons: [`too short: ${row.batches} batch${row.batches === 1 ? '' : 'es'}`, ...hint] };
  }
  const failed: string[] = [];
  const held: string[] = [];
  const unknown: string[] = [];
  if (row.inputRps === null || row.processedRps === null) unknown.push('rates unknown (no listener)');
  else if (row.processedRps < row.inputRps) failed.push(`out ${rate(row.processedRps)}/s < in ${rate(row.inputRps)}/s`);
  else held.push(`out ${rate(row.processedRps)}/s ≥ in ${rate(row.inputRps)}/s`);
  if (row.lagSlope === null) unknown.push('lag trend unknown');
  else if (row.lagSlope > limit) failed.push(`lag growing +${rate(row.lagSlope)}/s${row.lagSlopeError ? ` (±${rate(row.lagSlopeError)})` : ''}`);
  else held.push(`lag not growing (${row.lagSlope >= 0 ? '+' : '−'}${rate(Math.abs(row.lagSlope))}/s)`);
  if (row.p95Ms === null) unknown.push('batch durations unknown');
  else if (row.p95Ms >= targetMs) failed.push(`p95 batch ${secs(row.p95Ms)} ≥ target ${secs(targetMs)}`);
  else held.push(`p95 batch ${secs(row.p95Ms)} < target ${secs(targetMs)}`);
  if (failed.length > 0) return { sustainable: false, reasons: failed };
  if (unknown.length > 0) return { sustainable: null, reasons: unknown };
  return { sustainable: true, reasons: held };
}

function rowOf(s: Segment, now: number, targetMs: number, current: boolean): ExperimentRow {
  const stats = s.listener.batches + s.listener.warmupBatches > 0 ? s.listener : s.derived;
  const sorted = stats.durations.toArray().sort((a, b) => a - b);
  const resources = resourcesOf(s);
  const base: Omit<ExperimentRow, 'verdict'> = {
    index: s.index,
    current,
    cause: s.cause,
    appId: s.appId,
    start: s.start,
    end: s.end,
    durationMs: Math.max(0, (s.end ?? now) - s.start),
    resources,
    resourcesLabel: resourcesLabel(resources),
    generators: s.load ? { ...s.load } : null,
    batches: stats.batches,
    warmupBatches: stats.warmupBatches,
    inputRps: stats.inputSeconds > 0 ? stats.rateRows / stats.inputSeconds : null,
    processedRps: stats.processSeconds > 0 ? stats.rateRows / stats.processSeconds : null,
    rowsPerBatch: stats.rateBatches > 0 ? stats.rateRows / stats.rateBatches : null,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: stats.maxMs,
    lagStart: s.lag.first,
    lagEnd: s.lag.last,
    lagSlope: lagSlope(s.lag),
  };
  return { ...base, verdict: verdictOf(base, targetMs) };
}

/** Oldest first; the newest segment is the current one (its end is null, its duration runs to `now`). */
export function deriveExperiments(exp: ExperimentsState, now: number, targetMs: number): ExperimentRow[] {
  const segments = exp.segments.toArray();
  return segments.map((s, i) => rowOf(s, now, targetMs, i === segments.length - 1));
}
