/** Commits read from a query's checkpoint folder (--checkpoint) rather than from the listener. */
import type { SourceState } from './derivedTypes.js';
import type { SourceName } from './samples.js';

/** Their run id: the checkpoint knows the query, not the run (Spark writes no run id there). */
export const checkpointRunId = (queryId: string) => `checkpoint:${queryId}`;

export const isCheckpointRun = (runId: string) => runId.startsWith('checkpoint:');

/**
 * Whether Spark's commits can be seen through the checkpoint: the reference commit came from it
 * and the checkpoint is being read (so time since that commit says something, as with the listener).
 */
export function checkpointSeen(ref: { runId: string } | null, sources: Record<SourceName, SourceState>): boolean {
  return ref !== null && isCheckpointRun(ref.runId) && sources.checkpoint.ok === true;
}
