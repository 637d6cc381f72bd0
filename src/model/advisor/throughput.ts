/** Does Spark keep up? falling-behind, batch-over-target, and partitions Spark stopped committing. */
import { processedBelowInput } from '../health.js';
import { plural, rate, secs } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

/** Growth of the backlog (rec/s) from the partitions' lag trend, else input − processed. */
function lagGrowth(ctx: AdvisorContext): number | null {
  let growth: number | null = null;
  for (const p of ctx.d.partitions.rows) {
    if (p.eta?.kind === 'double' && p.lag !== null) growth = (growth ?? 0) + p.lag / p.eta.seconds;
  }
  if (growth !== null) return growth;
  const { inputRps, processedRps } = ctx.d.rates;
  return inputRps !== null && processedRps !== null && inputRps > processedRps ? inputRps - processedRps : null;
}

/** Cores that would process the input at the rate each core processes now (null: not measurable). */
export function coresNeeded(ctx: AdvisorContext, inputRps: number | null): number | null {
  const processed = ctx.d.rates.processedRps;
  if (inputRps === null || processed === null || processed <= 0 || ctx.totalCores === null || ctx.totalCores === 0) return null;
  return Math.ceil((inputRps / (processed / ctx.totalCores)) * 1.2);
}

export function fallingBehind(ctx: AdvisorContext): RawFinding | null {
  const below = processedBelowInput(ctx.recent, ctx.behindBatches) && ctx.lagGrowing === true;
  const warned = ctx.d.partitions.rows.filter((p) => p.status === 'WARN');
  if (!below && warned.length === 0) return null;
  const { inputRps, processedRps } = ctx.d.rates;
  const growth = lagGrowth(ctx);
  const totalLag = ctx.d.partitions.totalLag;
  const doubling = growth !== null && growth > 0 && totalLag !== null && totalLag > 0 ? (totalLag / growth) * 1000 : null;
  const cores = coresNeeded(ctx, inputRps);
  const why = below
    ? `processed < input in each of the last ${ctx.behindBatches} batches and the lag grew`
    : `the lag grew across the last commits of ${plural(warned.length, 'partition')} (${warned.map((p) => p.partition).join(', ')})`;
  return finding(
    'falling-behind',
    'warn',
    'Spark falls behind the input',
    {
      input: rate(inputRps),
      processed: rate(processedRps),
      'lag growth': growth === null ? 'unknown' : `+${rate(growth)}`,
      'backlog doubles in': secs(doubling),
      'total lag': totalLag === null ? 'unknown' : `${totalLag} rec`,
    },
    `${why}: the backlog grows by ${growth === null ? 'an unknown rate' : rate(growth)}${doubling === null ? '' : ` and doubles in ${secs(doubling)}`}.`,
    cores !== null && ctx.totalCores !== null && cores > ctx.totalCores
      ? `Give the job more cores: --total-executor-cores ${cores} (now ${ctx.totalCores}; at today's ${rate(processedRps !== null ? processedRps / ctx.totalCores : null)} per core), or lower the input rate.`
      : 'Give the job more cores (--total-executor-cores, --executor-cores) or lower the input rate; check view 5 for the slow stage.',
  );
}

/** "10 seconds", "500 ms", "1 minute" → ms (null: unknown or not a duration). */
export function triggerMs(trigger: string | null): number | null {
  const m = trigger ? /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|seconds?|m|min|minutes?)\s*$/i.exec(trigger) : null;
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('m') ? 60_000 : 1000;
  return Number(m[1]) * factor;
}

export function batchOverTarget(ctx: AdvisorContext): RawFinding | null {
  const { p95Ms, targetMs } = ctx.d.batches;
  const trigger = triggerMs(ctx.d.resources.trigger);
  if (p95Ms === null) return null;
  const overTarget = p95Ms > targetMs;
  const overTrigger = trigger !== null && p95Ms > trigger;
  if (!overTarget && !overTrigger) return null;
  const limit = overTrigger && (!overTarget || trigger! < targetMs) ? { what: 'trigger', ms: trigger! } : { what: 'target', ms: targetMs };
  const processed = ctx.d.rates.processedRps;
  const cap = processed !== null && processed > 0 ? Math.floor((processed * limit.ms) / 1000 / 1000) * 1000 : null;
  return finding(
    'batch-over-target',
    'warn',
    'Batches take longer than the target',
    {
      'p95 batch': secs(p95Ms),
      target: secs(targetMs),
      trigger: ctx.d.resources.trigger ?? 'unknown',
      'max batch': secs(ctx.d.batches.maxMs),
    },
    `p95 batch duration ${secs(p95Ms)} is above the ${limit.what} ${secs(limit.ms)} (over the app's recent batches).`,
    `${cap !== null && cap > 0 ? `Cap a batch with --max-offsets-per-trigger ${cap} (about ${secs(limit.ms)} at ${rate(processed)}), or add` : 'Add'} cores (--total-executor-cores); if the target is too strict for this job, raise --target-batch.`,
  );
}

function stoppedPartitions(ctx: AdvisorContext, status: 'STOP' | 'STALL'): RawFinding | null {
  const rows = ctx.d.partitions.rows.filter((p) => p.status === status);
  if (rows.length === 0) return null;
  const lag = rows.reduce((s, p) => s + (p.lag ?? 0), 0);
  const stop = status === 'STOP';
  return finding(
    stop ? 'partitions-stop' : 'partitions-stall',
    'error',
    stop ? 'Spark stopped committing batches' : "Spark's offsets do not move",
    {
      partitions: `${rows.length} of ${ctx.d.partitions.rows.length} ${status}`,
      'their lag': `${lag} rec`,
      'last batch': ctx.d.batches.last ? `#${ctx.d.batches.last.batchId}` : 'none',
    },
    stop
      ? `${plural(rows.length, 'partition')} STOP: no batch committed for a while (or the app is gone) while ${lag} records wait.`
      : `${plural(rows.length, 'partition')} STALL: Spark's committed offsets have not moved for a while although there is lag.`,
    stop
      ? 'Check that the Spark app is running (view 6 events, `sparktop lab status`); resubmit it with `r` if it died.'
      : 'A batch hangs: look at view 5 for the running stage and at the driver log; a lost Kafka broker also stalls the read.',
  );
}

export const partitionsStop = (ctx: AdvisorContext) => stoppedPartitions(ctx, 'STOP');
export const partitionsStall = (ctx: AdvisorContext) => stoppedPartitions(ctx, 'STALL');
