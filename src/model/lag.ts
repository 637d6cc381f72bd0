/**
 * Lag per partition: `lag = logEndOffset (Kafka) − endOffset of Spark's latest committed batch`,
 * lag seconds = lag ÷ produce rate, and a trend status in the spirit of LinkedIn Burrow, judged on
 * Spark's commits (micro-batches) rather than on consumer-group commits, which Spark never makes.
 */
import type { LagUnknownReason, PartitionRow, PartitionStatus, SourceState } from './derivedTypes.js';
import { currentReference } from './commitTopic.js';
import { kafkaResetAt, logEndAt, produceRates, type KafkaState } from './kafkaState.js';
import type { ModelThresholds, ModelWindows } from './options.js';
import { otherRunActive, runEnded, type QueriesState } from './queries.js';
import { Ring } from './ring.js';
import type { QueryProgress, SourceName } from './samples.js';
import { endOffsetsOf } from './sparkOffsets.js';
import { checkpointSeen } from './checkpointRun.js';
import { etaOf, expectedBatchIntervalMs, growing, lastMeasuredCommits, lagSlope, partitionLag, partitionLogEnd, trendCommits } from './lagTrend.js';

/** One micro-batch as far as lag is concerned. */
export interface Commit {
  runId: string;
  appId: string | null;
  batchId: number;
  /** Batch start (Spark's clock): its end offsets are what Kafka had then. */
  plannedAt: number;
  /** Batch end: start + triggerExecution, never later than its delivery. */
  committedAt: number;
  durationMs: number | null;
  offsets: Map<number, number>;
  /** Lag right at the commit (log-end interpolated at committedAt); null when Kafka was not sampled around it. */
  lagAtCommit: Map<number, number> | null;
  totalLagAtCommit: number | null;
  /** False while no Kafka sample after committedAt has arrived yet. */
  lagResolved: boolean;
}

export interface LagState {
  commits: Ring<Commit>;
  /** The newest commit (by batch start): the offsets lag is measured against. */
  reference: Commit | null;
  /** Per partition: the reference offset and when it last moved. */
  moved: Map<number, { offset: number; at: number }>;
  /** Total lag at each Kafka sample (null while Kafka is unreachable or Spark's offsets are unknown). */
  series: Ring<{ t: number; lag: number | null }>;
  version: number;
}

export function createLagState(commitCapacity: number, seriesCapacity: number): LagState {
  return { commits: new Ring(commitCapacity), reference: null, moved: new Map(), series: new Ring(seriesCapacity), version: 0 };
}

function resolveLagAtCommit(c: Commit, kafka: KafkaState): void {
  const newest = kafka.history.newest();
  if (!newest || newest.t < c.committedAt) return; // wait for a Kafka sample after the commit
  c.lagResolved = true;
  const logEnd = logEndAt(kafka, c.committedAt);
  if (!logEnd) return;
  const lags = new Map<number, number>();
  let total = 0;
  for (const [partition, offset] of c.offsets) {
    const end = logEnd(partition);
    if (end === null) continue;
    const lag = Math.max(0, Math.round(end - offset));
    lags.set(partition, lag);
    total += lag;
  }
  if (lags.size > 0) {
    c.lagAtCommit = lags;
    c.totalLagAtCommit = total;
  }
}

export function resolvePending(state: LagState, kafka: KafkaState): void {
  for (let i = state.commits.size - 1; i >= 0; i--) {
    const c = state.commits.at(i)!;
    if (!c.lagResolved) resolveLagAtCommit(c, kafka);
  }
}

/** New listener events (delivery order) → commits; the newest by batch start becomes the reference. */
export function applyCommits(state: LagState, kafka: KafkaState, t: number, events: QueryProgress[], appId: string | null): void {
  const topic = kafka.topic;
  if (topic === null) return;
  for (const p of events) {
    const offsets = endOffsetsOf(p, topic);
    const plannedAt = Date.parse(p.timestamp);
    if (!offsets || !Number.isFinite(plannedAt)) continue;
    const durationMs = typeof p.durationMs.triggerExecution === 'number' ? p.durationMs.triggerExecution : null;
    pushCommit(state, {
      runId: p.runId,
      appId,
      batchId: p.batchId,
      plannedAt,
      committedAt: Math.min(t, plannedAt + (durationMs ?? 0)),
      durationMs,
      offsets,
      lagAtCommit: null,
      totalLagAtCommit: null,
      lagResolved: false,
    });
  }
  resolvePending(state, kafka);
  state.version++;
}

/** One commit (from the listener or a checkpoint); the newest by batch start becomes the reference. */
export function pushCommit(state: LagState, commit: Commit): void {
  const { plannedAt, offsets } = commit;
  state.commits.push(commit);
  const ref = state.reference;
  if (ref && (plannedAt < ref.plannedAt || (plannedAt === ref.plannedAt && commit.runId === ref.runId && commit.batchId < ref.batchId))) return;
  state.reference = commit;
  for (const [partition, offset] of offsets) {
    const m = state.moved.get(partition);
    if (!m || m.offset !== offset) state.moved.set(partition, { offset, at: commit.committedAt });
  }
  if (state.moved.size > offsets.size) for (const partition of state.moved.keys()) if (!offsets.has(partition)) state.moved.delete(partition);
}

/**
 * After each applied Kafka sample: the total lag point for the chart (unknown while another run has
 * taken over, see referenceRun), and pending lags at commit.
 */
export function onKafkaSample(state: LagState, kafka: KafkaState, t: number, runs?: Pick<LagContext, 'appId' | 'appStartedAt' | 'sources' | 'queries'>): void {
  const point = kafka.history.newest();
  const committed = currentReference(state, kafka);
  const ref = committed && runs && referenceRun(committed, runs) === 'superseded' ? null : committed;
  let total: number | null = null;
  if (point && ref) {
    for (let i = 0; i < point.layout.ids.length; i++) {
      const offset = ref.offsets.get(point.layout.ids[i]!);
      if (offset !== undefined) total = (total ?? 0) + Math.max(0, point.logEnd[i]! - offset);
    }
  }
  state.series.push({ t, lag: total });
  resolvePending(state, kafka);
  state.version++;
}

export function onKafkaUnreachable(state: LagState, t: number): void {
  state.series.push({ t, lag: null });
  state.version++;
}

export interface LagContext {
  now: number;
  appId: string | null;
  /** When the current application started (the driver's word), if known. */
  appStartedAt?: number | null;
  sources: Record<SourceName, SourceState>;
  queries: QueriesState;
  windows: ModelWindows;
  thresholds: ModelThresholds;
}

export interface PartitionsDerived {
  rows: PartitionRow[];
  totalLag: number | null;
  produceRps: number | null;
  lagUnknown: LagUnknownReason | null;
}

/**
 * What became of the run that committed the reference offsets (offsets belong to the run that
 * committed them):
 * - 'consuming': it may still be running; its offsets are the lag's reference;
 * - 'gone': nothing consumes until a successor commits (the driver is unreachable, or the listener
 *   lists no active run any more): the lag grows as Kafka receives (STOP);
 * - 'superseded': another application or run consumes now (the driver serves another application,
 *   or the listener lists another active run): its position is unknown until its first commit is
 *   seen, so the lag is unknown, never STOP.
 */
export type ReferenceRun = 'consuming' | 'gone' | 'superseded';

export function referenceRun(ref: Commit, ctx: Pick<LagContext, 'appId' | 'appStartedAt' | 'sources' | 'queries'>): ReferenceRun {
  // The listener lives in the driver and says which runs are active. Its word counts unless the
  // driver failed after its last answer (then that answer is stale): a driver's REST API that still
  // fails for the previous application while the new one's listener answers does not stop a run.
  const { progress, driver } = ctx.sources;
  // A commit read while the driver did not answer has no application id; one made before the
  // current application started is still another application's.
  const otherApp =
    ref.appId !== null
      ? ctx.appId !== null && ref.appId !== ctx.appId
      : ctx.appStartedAt !== null && ctx.appStartedAt !== undefined && ref.committedAt < ctx.appStartedAt;
  if (otherApp && driver.ok === true) return 'superseded';
  const listenerFresher = progress.ok === true && (driver.ok !== false || (progress.lastOkAt ?? -Infinity) > (driver.since ?? Infinity));
  if (listenerFresher) {
    if (!runEnded(ctx.queries, ref.runId)) return 'consuming';
    return otherRunActive(ctx.queries, ref.runId) ? 'superseded' : 'gone';
  }
  if (driver.ok === false) return 'gone';
  return otherApp ? 'superseded' : 'consuming';
}

export function derivePartitions(state: LagState, kafka: KafkaState, ctx: LagContext): PartitionsDerived {
  const { now, thresholds: th } = ctx;
  const latest = kafka.history.newest() ?? null;
  const committed = currentReference(state, kafka);
  const run = committed ? referenceRun(committed, ctx) : null;
  const ref = run === 'superseded' ? null : committed;
  const kafkaUp = ctx.sources.kafka.ok === true;
  const ids = latest ? latest.layout.ids : ref ? [...ref.offsets.keys()].sort((a, b) => a - b) : [];
  const rates = kafkaUp ? produceRates(kafka, ctx.windows.produceMs) : [];

  // Spark's side, the same for every partition.
  const expected = expectedBatchIntervalMs(state) ?? 0;
  const stallAfter = Math.max(th.stallFloorMs, th.stallBatches * expected);
  const stopAfter = Math.max(th.stopFloorMs, th.stopBatches * expected);
  const gone = run === 'gone';
  const blind = ctx.sources.progress.ok !== true && !checkpointSeen(ref, ctx.sources); // commits cannot be seen: time since the last one means nothing
  const sinceCommit = ref ? now - ref.committedAt : 0;
  const resetAt = kafkaResetAt(kafka);
  const measured = lastMeasuredCommits(state, th.warnCommits, resetAt);
  const trend = trendCommits(state, ctx.windows.lagTrendMs, resetAt);

  const group = kafka.group;
  const groupOffsets = group ? new Map(group.offsets.map((o) => [o.partition, o.offset])) : null;

  const rows: PartitionRow[] = new Array(ids.length);
  let totalLag: number | null = null;
  let totalProduce: number | null = null;
  for (let i = 0; i < ids.length; i++) {
    const partition = ids[i]!;
    const logEndOffset = latest ? (latest.logEnd[latest.layout.indexOf.get(partition) ?? -1] ?? null) : null;
    const sparkOffset = ref?.offsets.get(partition) ?? null;
    const lag = logEndOffset !== null && sparkOffset !== null ? Math.max(0, logEndOffset - sparkOffset) : null;
    const produceRps = rates[i] ?? null;
    const lagSeconds = lag === null || produceRps === null ? null : lag === 0 ? 0 : produceRps > 0 ? lag / produceRps : null;

    let status: PartitionStatus;
    if (lag === null || ref === null) status = 'UNKNOWN';
    else if (lag === 0) status = kafkaUp ? 'OK' : 'UNKNOWN';
    else if (gone) status = 'STOP';
    else if (blind) status = 'UNKNOWN';
    else if (sinceCommit > stopAfter) status = 'STOP';
    else if (now - (state.moved.get(partition)?.at ?? ref.committedAt) > stallAfter) status = 'STALL';
    else if (measured && growing(measured, partitionLag(partition), partitionLogEnd(partition), th.warnMinGrowthSeconds)) status = 'WARN';
    else status = 'OK';

    // Nothing is consumed while stalled or stopped: the lag grows as fast as Kafka receives.
    const slope = status === 'STOP' || status === 'STALL' ? produceRps : status === 'UNKNOWN' ? null : lagSlope(trend, partition);

    const groupOffset = groupOffsets?.get(partition) ?? null;
    rows[i] = {
      partition,
      logEndOffset,
      sparkOffset,
      lag,
      lagSeconds,
      produceRps,
      status,
      eta: kafkaUp ? etaOf(lag, slope, produceRps, th.steadyFraction) : null,
      groupOffset,
      groupLag: groupOffset !== null && logEndOffset !== null ? Math.max(0, logEndOffset - groupOffset) : null,
    };
    if (lag !== null) totalLag = (totalLag ?? 0) + lag;
    if (produceRps !== null) totalProduce = (totalProduce ?? 0) + produceRps;
  }
  return { rows, totalLag, produceRps: totalProduce, lagUnknown: rows.length === 0 || totalLag !== null ? null : lagUnknownReason(state, run, ref, ctx) };
}

/**
 * How long a new run may go without a progress source answering before its commits count as unseen
 * (a resubmitted job's listener starts with its first query, seconds after its driver answers).
 */
const NEW_RUN_LISTENER_GRACE_MS = 30_000;

function lagUnknownReason(state: LagState, run: ReferenceRun | null, ref: Commit | null, ctx: LagContext): LagUnknownReason {
  if (run === 'superseded') {
    // A new run whose commits nothing reports (a job without the listener): say what would show them.
    const progress = ctx.sources.progress;
    const unseen = progress.ok !== true && progress.since !== null && ctx.now - progress.since > NEW_RUN_LISTENER_GRACE_MS;
    return unseen ? 'no-progress' : 'new-run';
  }
  if (state.reference !== null && ref === null) return 'topic-recreated';
  return ctx.sources.progress.ok === true ? 'no-commit-yet' : 'no-progress';
}
