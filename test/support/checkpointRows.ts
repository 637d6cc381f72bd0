/** Rows per batch as Spark consumed them: from the recorded checkpoint answers (`checkpoint:offsets`). */
import assert from 'node:assert/strict';
import type { BatchRow } from '../../src/model/derivedTypes.js';
import type { CheckpointSample } from '../../src/model/samples.js';
import type { EndpointAnswer } from '../../src/sources/answers.js';

const sumOffsets = (c: CheckpointSample) => c.offsets.reduce((s, o) => s + o.offset, 0);

/**
 * Asserts each batch's rows equal Σ over partitions of the checkpoint's end offsets of N minus
 * those of N−1, where the recording has both; returns how many batches were compared.
 */
export function assertRowsAreConsumedOffsets(rows: readonly BatchRow[], answers: readonly EndpointAnswer[]): number {
  const checkpoints = new Map<number, CheckpointSample>();
  for (const a of answers) if (a.endpoint === 'checkpoint:offsets' && a.status === 0) checkpoints.set((a.body as CheckpointSample).batchId, a.body as CheckpointSample);
  let compared = 0;
  for (const r of rows) {
    const end = checkpoints.get(r.batchId);
    const start = checkpoints.get(r.batchId - 1);
    if (!end || !start || r.numInputRows === null) continue;
    assert.equal(r.numInputRows, sumOffsets(end) - sumOffsets(start), `batch ${r.batchId}`);
    compared++;
  }
  return compared;
}
