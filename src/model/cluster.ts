/** The cluster around the job: the standalone master, the job's resources, the load generators. */
import type { Derived } from './derivedTypes.js';
import type { GeneratorsSample, MasterSample, QueryProgress, QuerySettings } from './samples.js';

export function deriveMaster(sample: MasterSample | null): Derived['master'] {
  if (!sample) return { workers: null, coresTotal: null, coresUsed: null, memoryTotalMb: null, memoryUsedMb: null, largestWorker: null };
  const alive = sample.workers.filter((w) => w.state === 'ALIVE');
  return {
    workers: alive.length,
    coresTotal: sample.cores,
    coresUsed: sample.coresused,
    memoryTotalMb: sample.memory,
    memoryUsedMb: sample.memoryused,
    largestWorker:
      alive.length === 0 ? null : { cores: Math.max(...alive.map((w) => w.cores)), memoryMb: Math.max(...alive.map((w) => w.memory)) },
  };
}

export function deriveGenerators(sample: GeneratorsSample | null): Derived['generators'] {
  if (!sample) return { count: null, targetRps: null, achievedRps: null, errors: null };
  let targetRps = 0;
  let achievedRps: number | null = null;
  let errors = 0;
  for (const g of sample.generators) {
    if (!g.paused) targetRps += g.targetRps;
    if (g.achievedRps !== null) achievedRps = (achievedRps ?? 0) + g.achievedRps;
    errors += g.errors;
  }
  return { count: sample.generators.length, targetRps, achievedRps, errors };
}

export function positiveInt(s: string | undefined): number | null {
  if (s === undefined || !/^\d+$/.test(s.trim())) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/**
 * What the job runs with: Spark's properties where set, else what is observed (active executors,
 * their cores, the shuffle partitions of the state store). Trigger and maxOffsetsPerTrigger are
 * options of the query that Spark shows nowhere: known only when the job told the listener.
 */
export function deriveResources(
  properties: Record<string, string> | null,
  observed: { executors: number | null; coresEach: number | null },
  lastProgress: QueryProgress | null,
  querySettings: QuerySettings | null = null,
): Derived['resources'] {
  const props = properties ?? {};
  const stateShuffle = lastProgress?.stateOperators.find((o) => typeof o.numShufflePartitions === 'number')?.numShufflePartitions ?? null;
  return {
    executors: observed.executors,
    coresPerExecutor: positiveInt(props['spark.executor.cores']) ?? observed.coresEach,
    executorMemory: props['spark.executor.memory'] ?? null,
    shufflePartitions: positiveInt(props['spark.sql.shuffle.partitions']) ?? stateShuffle,
    trigger: querySettings?.trigger ?? null,
    maxOffsetsPerTrigger: querySettings?.maxOffsetsPerTrigger ?? null,
  };
}
