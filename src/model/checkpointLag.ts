/**
 * The newest complete batch of the query's checkpoint (--checkpoint) → a lag commit, so the
 * partitions table has Spark's committed offsets when the listener gives none. Its run id is
 * `checkpoint:<query id>`; it belongs to the application the driver serves now (a checkpoint says
 * nothing of applications). While the listener answers, its own commits (with run ids and
 * durations) are used instead.
 */
import { checkpointRunId } from './checkpointRun.js';
import { pushCommit, resolvePending } from './lag.js';
import type { CheckpointSample } from './samples.js';
import type { ModelState } from './store.js';

/** How many of the newest commits are looked at to tell whether a checkpoint batch was applied already. */
const RECENT = 4;

export function applyCheckpoint(state: ModelState, t: number, sample: CheckpointSample): void {
  if (state.sources.progress.ok === true) return;
  if (state.kafka.topic === null) state.kafka.topic = sample.topic;
  if (state.kafka.topic !== sample.topic) return;
  const runId = checkpointRunId(sample.queryId);
  const lag = state.lag;
  for (let i = lag.commits.size - 1; i >= Math.max(0, lag.commits.size - RECENT); i--) {
    const c = lag.commits.at(i)!;
    if (c.runId === runId && c.batchId === sample.batchId) return;
  }
  const committedAt = Math.max(sample.plannedAt, Math.min(t, sample.committedAt));
  pushCommit(lag, {
    runId,
    appId: state.app.id,
    batchId: sample.batchId,
    plannedAt: sample.plannedAt,
    committedAt,
    durationMs: committedAt - sample.plannedAt,
    offsets: new Map(sample.offsets.map((o) => [o.partition, o.offset])),
    lagAtCommit: null,
    totalLagAtCommit: null,
    lagResolved: false,
  });
  resolvePending(lag, state.kafka);
  lag.version++;
}
