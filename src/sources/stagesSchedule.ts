/**
 * When the sampler re-reads the driver's completed stages. Spark answers with every stage it
 * retains (spark.ui.retainedStages, 1000 by default) at about 4 kB a stage: 3.5 MB on a busy job
 * after a few minutes, which the driver serialises and the monitor parses and validates. The list
 * only changes when stages end, so it is read for a new app, and otherwise only after a change (a
 * batch ended, the active stages changed): every 10 rounds at most while the list is short, every
 * 30 once it is long. Stages seen leaving the active list are read on their own in between.
 */

export interface CompletedStagesFetch {
  /** The sampler round of the last full read. */
  tick: number;
  appId: string;
  /** The sampler's change count at that read. */
  changes: number;
  /** How many stages it returned. */
  rows: number;
}

/** Above this many stages a full read is a megabyte or more. */
export const LONG_STAGE_LIST = 200;
export const ROUNDS_BETWEEN_READS = { short: 10, long: 30 } as const;

export function completedStagesDue(now: { tick: number; appId: string; changes: number }, last: CompletedStagesFetch | null): boolean {
  if (last === null || last.appId !== now.appId) return true;
  if (now.changes === last.changes) return false;
  const rounds = last.rows > LONG_STAGE_LIST ? ROUNDS_BETWEEN_READS.long : ROUNDS_BETWEEN_READS.short;
  return now.tick - last.tick >= rounds;
}
