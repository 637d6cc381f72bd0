/** A progress sample touches three concerns: the queries, the batch history, and Spark's committed offsets (lag). */
import { applyProgressSample } from './batches.js';
import { noteExperimentBatch } from './experimentBatches.js';
import { applyCommits } from './lag.js';
import { applyQueries } from './queries.js';
import type { ProgressSample } from './samples.js';
import { topicsOf } from './sparkOffsets.js';
import { appQueries, ofChosenQuery, queryChoice } from './selection.js';
import type { ModelState } from './store.js';

export function applyProgress(state: ModelState, t: number, sample: ProgressSample): void {
  applyQueries(state.queries, state.events, t, sample);
  const fresh = applyProgressSample(state.batches, t, sample, state.app.id);
  const rowOf = (runId: string, batchId: number) => state.batches.byKey.get(`${runId}/${batchId}`);
  // While no driver answers, a new run's batches may be a new application's (see noteExperimentBatch).
  const driverAnswers = state.sources.driver.ok === true;
  for (const p of fresh) {
    const row = rowOf(p.runId, p.batchId);
    if (row) noteExperimentBatch(state.experiments, row, p, driverAnswers);
  }
  for (const b of sample.derivedBatches) {
    const row = b.durationMs === null ? undefined : rowOf(b.runId, b.batchId);
    if (row?.origin === 'derived') noteExperimentBatch(state.experiments, row, null);
  }
  if (fresh.length === 0) return;
  // Without a topic option or a Kafka answer yet, the query's only input topic is the one watched.
  if (state.kafka.topic === null) {
    const topics = topicsOf(fresh[fresh.length - 1]!);
    if (topics.length === 1) state.kafka.topic = topics[0]!;
  }
  // With several queries, the lag is the shown query's: another query's offsets are its own.
  const choice = queryChoice(state.selection.query, appQueries(state));
  const ofQuery = fresh.filter((p) => ofChosenQuery(choice, p.id));
  // A commit belongs to the application the driver serves; while the driver does not answer (a new
  // application may be starting in its place) that is not known.
  if (ofQuery.length > 0) applyCommits(state.lag, state.kafka, t, ofQuery, state.sources.driver.ok === true ? state.app.id : null);
}
