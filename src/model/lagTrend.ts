/**
 * The lag's trend on Spark's commits: whether the lag at commit grows (Burrow's WARN), how fast it
 * changes, and when the backlog drains or doubles at that pace.
 */
import { offsetsNotAbove } from './commitTopic.js';
import type { PartitionRow } from './derivedTypes.js';
import type { Commit, LagState } from './lag.js';

/** The reference run's commits on the current topic, newest first (at most `max`). */
function runCommits(state: LagState, max: number, accept: (c: Commit) => boolean = () => true): Commit[] {
  const ref = state.reference;
  const out: Commit[] = [];
  if (!ref) return out;
  for (let i = state.commits.size - 1; i >= 0 && out.length < max; i--) {
    const c = state.commits.at(i)!;
    if (c.runId === ref.runId && c.plannedAt <= ref.plannedAt && offsetsNotAbove(c, ref) && accept(c)) out.push(c);
  }
  return out;
}

/** How long a batch normally takes to come: max(last duration, last start-to-start interval). */
export function expectedBatchIntervalMs(state: LagState): number | null {
  const ref = state.reference;
  if (!ref) return null;
  const [, previous] = runCommits(state, 2);
  return Math.max(ref.durationMs ?? 0, previous ? ref.plannedAt - previous.plannedAt : 0);
}

/**
 * The reference run's last `n` commits, oldest first, when each of them has a known lag at commit
 * (consecutive: a commit whose lag could not be measured, e.g. during a Kafka outage, breaks the run).
 */
export function lastMeasuredCommits(state: LagState, n: number, since: number | null = null): Commit[] | null {
  const commits = runCommits(state, n, (c) => c.lagResolved && (since === null || c.plannedAt >= since));
  if (commits.length < Math.max(2, n) || commits.some((c) => c.lagAtCommit === null)) return null;
  return commits.reverse();
}

/**
 * Burrow's WARN, on Spark's commits: the lag at commit did not go down across the commits, and it
 * grew by at least `minGrowthSeconds` of what Kafka received meanwhile (so sampling noise is not a trend).
 * `lagOf(c)` / `logEndOf(c)`: the lag and the log-end offset at commit c (undefined: unknown).
 */
export function growing(commits: Commit[], lagOf: (c: Commit) => number | undefined, logEndOf: (c: Commit) => number | undefined, minGrowthSeconds: number): boolean {
  let previous: number | undefined;
  for (const c of commits) {
    const lag = lagOf(c);
    if (lag === undefined || (previous !== undefined && lag < previous)) return false;
    previous = lag;
  }
  const first = commits[0]!;
  const last = commits[commits.length - 1]!;
  const seconds = (last.committedAt - first.committedAt) / 1000;
  const received = (logEndOf(last) ?? NaN) - (logEndOf(first) ?? NaN);
  const produceRps = seconds > 0 && received >= 0 ? received / seconds : 0;
  return lagOf(last)! - lagOf(first)! >= Math.max(1, produceRps * minGrowthSeconds);
}

export function partitionLag(partition: number) {
  return (c: Commit) => c.lagAtCommit?.get(partition);
}

export function partitionLogEnd(partition: number) {
  return (c: Commit) => {
    const lag = c.lagAtCommit?.get(partition);
    const offset = c.offsets.get(partition);
    return lag === undefined || offset === undefined ? undefined : lag + offset;
  };
}

/**
 * The total lag at commit grew over the run's last `commits` commits (null: not measurable);
 * `since`: the topic's last recreation (commits planned before it do not count).
 */
export function totalLagGrowing(state: LagState, commits: number, minGrowthSeconds: number, since: number | null = null): boolean | null {
  const measured = lastMeasuredCommits(state, commits, since);
  if (!measured) return null;
  const totalLogEnd = (c: Commit) => {
    let sum = 0;
    for (const [p, lag] of c.lagAtCommit!) sum += lag + (c.offsets.get(p) ?? 0);
    return sum;
  };
  return growing(measured, (c) => c.totalLagAtCommit ?? undefined, totalLogEnd, minGrowthSeconds);
}

/**
 * The two measured commits the lag trend is taken between: the run's newest commit with a known
 * lag at commit, and the newest one at least `windowMs` before it (else the oldest measured).
 */
export function trendCommits(state: LagState, windowMs: number, since: number | null): { base: Commit; newest: Commit } | null {
  const measured = runCommits(state, state.commits.capacity, (c) => c.lagAtCommit !== null && (since === null || c.plannedAt >= since));
  const newest = measured[0];
  let base: Commit | null = null;
  for (let i = 1; i < measured.length; i++) {
    base = measured[i]!;
    if (base.committedAt <= newest!.committedAt - windowMs) break;
  }
  return newest && base && base.committedAt < newest.committedAt ? { base, newest } : null;
}

/** How fast the partition's lag at commit changes (records/s); negative while Spark catches up. */
export function lagSlope(trend: { base: Commit; newest: Commit } | null, partition: number): number | null {
  if (!trend) return null;
  const from = trend.base.lagAtCommit!.get(partition);
  const to = trend.newest.lagAtCommit!.get(partition);
  if (from === undefined || to === undefined) return null;
  return (to - from) / ((trend.newest.committedAt - trend.base.committedAt) / 1000);
}

/**
 * At the current trend of the lag (records/s): when the backlog drains (lag falling) or doubles
 * (lag rising); null when the lag is zero or unknown, or changes by less than `steadyFraction` of
 * the produce rate per second (steady).
 */
export function etaOf(lag: number | null, slope: number | null, produceRps: number | null, steadyFraction: number): PartitionRow['eta'] {
  if (lag === null || lag === 0 || slope === null || slope === 0) return null;
  if (produceRps !== null && Math.abs(slope) <= steadyFraction * produceRps) return null;
  return slope < 0 ? { kind: 'drain', seconds: lag / -slope } : { kind: 'double', seconds: lag / slope };
}
