/** Can the job use its cores? read-parallelism, shuffle-partitions, idle-cores. */
import type { StageSample } from '../samples.js';
import { triggerMs } from './throughput.js';
import { plural, secs } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

/** The newest stage (highest id) that `pick` accepts. */
function newestStage(ctx: AdvisorContext, pick: (s: StageSample) => boolean): StageSample | null {
  let best: StageSample | null = null;
  for (const s of ctx.stages?.stages ?? []) if (pick(s) && (best === null || s.stageId > best.stageId)) best = s;
  return best;
}

export function readParallelism(ctx: AdvisorContext): RawFinding | null {
  const partitions = ctx.d.partitions.rows.length;
  const cores = ctx.totalCores;
  if (partitions === 0 || cores === null || partitions >= cores) return null;
  // The stage that reads Kafka is the one with input records; its task count shows minPartitions at work.
  const read = newestStage(ctx, (s) => s.inputRecords > 0);
  const readTasks = read?.numTasks ?? null;
  if (readTasks !== null && readTasks >= cores) return null;
  const minPartitions =
    readTasks === null
      ? 'unknown: neither the progress nor the Spark properties show it, and no read stage was seen yet'
      : readTasks > partitions
        ? `set: the read stage has ${readTasks} tasks, still fewer than the cores`
        : `not set: the read stage has ${readTasks} tasks, one per partition`;
  return finding(
    'read-parallelism',
    'info',
    'Fewer Kafka partitions than cores',
    {
      'topic partitions': String(partitions),
      'executor cores': String(cores),
      'read stage tasks': readTasks === null ? 'unknown' : String(readTasks),
      minPartitions: readTasks === null ? 'unknown' : readTasks > partitions ? 'set' : 'not set',
    },
    `The Kafka read stage runs ${readTasks ?? partitions} task(s) at a time on ${cores} cores, so ${cores - (readTasks ?? partitions)} core(s) wait; minPartitions ${minPartitions}.`,
    `Give the topic ≥ ${cores} partitions (kafka-topics.sh --alter --partitions ${cores}; local lab: lab up --partitions ${cores}) or split the read: .option("minPartitions", ${cores}) on the Kafka source.`,
  );
}

export function shufflePartitions(ctx: AdvisorContext): RawFinding | null {
  const n = ctx.d.resources.shufflePartitions;
  const cores = ctx.totalCores;
  if (n === null || cores === null || cores === 0) return null;
  const th = ctx.thresholds;
  const shuffle = newestStage(ctx, (s) => s.status === 'COMPLETE' && s.numTasks === n && s.inputRecords === 0 && s.numTasks > 0);
  const taskMs = shuffle ? shuffle.executorRunTime / shuffle.numTasks : null;
  const tooMany = n > th.shufflePerCore * cores && (taskMs === null || taskMs < th.tinyTaskMs);
  const tooFew = n < cores;
  if (!tooMany && !tooFew) return null;
  const from = ctx.properties?.['spark.sql.shuffle.partitions'] !== undefined ? 'spark.sql.shuffle.partitions' : "the state store's numShufflePartitions";
  const better = cores * 2;
  return finding(
    'shuffle-partitions',
    tooFew ? 'warn' : 'info',
    tooFew ? 'Fewer shuffle partitions than cores' : 'Too many shuffle partitions for the cores',
    {
      'shuffle partitions': `${n} (${from})`,
      'executor cores': String(cores),
      'avg shuffle task': taskMs === null ? 'unknown' : `${Math.round(taskMs)} ms`,
    },
    tooFew
      ? `${n} shuffle partitions for ${cores} cores: the aggregation after the shuffle can use only ${n} core(s).`
      : `${n} shuffle partitions for ${cores} core(s): every batch schedules ${n} tasks per shuffle${taskMs === null ? '' : ` of ${Math.round(taskMs)} ms each on average`}; scheduling overhead dominates.`,
    `Resubmit with --conf spark.sql.shuffle.partitions=${better} (about 2 per core). A stateful query keeps the number it started with in its checkpoint: the new value needs a fresh checkpoint.`,
  );
}

/**
 * Executors without a running task while batches take longer than the trigger. The trigger is
 * usually unknown (a query option Spark does not report); then the target batch time stands in:
 * with the default trigger the next batch starts as soon as one ends, so a core idle during a batch
 * longer than the target is throughput lost.
 */
export function idleCores(ctx: AdvisorContext): RawFinding | null {
  const p50 = ctx.d.batches.p50Ms;
  const trigger = triggerMs(ctx.d.resources.trigger);
  const limit = trigger ?? ctx.d.batches.targetMs;
  if (p50 === null || p50 <= limit) return null;
  const executors = ctx.d.executors.rows.filter((e) => e.id !== 'driver' && e.isActive);
  const idle = executors.filter((e) => e.activeTasks === 0);
  // All idle is the pause between batches (or driver-side work), not cores the batch cannot use.
  if (idle.length === 0 || idle.length === executors.length) return null;
  const idleCores = idle.reduce((s, e) => s + e.cores, 0);
  return finding(
    'idle-cores',
    'info',
    'Cores idle while batches run long',
    {
      'idle executors': idle.map((e) => e.id).join(', '),
      'idle cores': `${idleCores} of ${ctx.totalCores ?? 'unknown'}`,
      'p50 batch': secs(p50),
      [trigger === null ? 'target (trigger unknown)' : 'trigger']: secs(limit),
    },
    `${plural(idle.length, 'executor')} had no task to run while the median batch takes ${secs(p50)} (> ${trigger === null ? 'target' : 'trigger'} ${secs(limit)}).`,
    'The batch cannot spread over every core: raise the parallelism of the slow stage (topic partitions or minPartitions for the read, spark.sql.shuffle.partitions after the shuffle) to at least the cores, or give the job fewer cores.',
  );
}
