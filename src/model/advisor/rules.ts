/** Every advisor rule, in the order findings of equal severity are listed. */
import { executorLost, failedTasks } from './failures.js';
import { gcPressure, memoryPressure, skew } from './executors.js';
import { generatorBound } from './generators.js';
import { idleCores, readParallelism, shufflePartitions } from './parallelism.js';
import { resourcesMismatch } from './resources.js';
import { stateGrowth } from './state.js';
import { batchOverTarget, fallingBehind, partitionsStall, partitionsStop } from './throughput.js';
import type { RuleEntry } from './types.js';

export const RULES: readonly RuleEntry[] = [
  // STOP/STALL and lost executors are already qualified in time (60 s without a commit, a removal in the window).
  { id: 'partitions-stop', rule: partitionsStop, raiseAfter: 1 },
  { id: 'partitions-stall', rule: partitionsStall, raiseAfter: 1 },
  { id: 'executor-lost', rule: executorLost, raiseAfter: 1 },
  { id: 'failed-tasks', rule: failedTasks, raiseAfter: 1 },
  { id: 'falling-behind', rule: fallingBehind },
  { id: 'batch-over-target', rule: batchOverTarget },
  // The produce rate is a 10 s average: after a rate change it lags the target for that long.
  { id: 'generator-bound', rule: generatorBound, raiseAfter: 12 },
  { id: 'skew', rule: skew },
  { id: 'gc-pressure', rule: gcPressure },
  { id: 'memory-pressure', rule: memoryPressure },
  { id: 'state-growth', rule: stateGrowth },
  { id: 'resources-mismatch', rule: resourcesMismatch },
  { id: 'read-parallelism', rule: readParallelism },
  { id: 'shuffle-partitions', rule: shufflePartitions },
  { id: 'idle-cores', rule: idleCores },
];

/** Every id a finding can have (`check --fail-on` accepts these). */
export const FINDING_IDS: readonly string[] = [...RULES.map((r) => r.id), 'healthy'];
