/**
 * Whether Spark's committed offsets belong to the topic Kafka has now: after the topic is deleted and
 * created again its offsets restart, and `log end − Spark's offset` is no longer a lag.
 */
import { kafkaResetAt, type KafkaState } from './kafkaState.js';
import type { Commit, LagState } from './lag.js';

/**
 * A Kafka sample read this long after a commit was read after Spark read the commit's end offsets
 * (Kafka reads time out well before): within one topic its log end cannot be below them.
 */
export const OFFSETS_SETTLED_MS = 5_000;

/**
 * Whether Spark's committed offsets `ref` are offsets of the topic Kafka has now, so that
 * `log end − Spark's offset` is a lag. Not when the topic was recreated after the batch was
 * planned (its offsets restarted), nor when a Kafka sample read well after the commit has a log end
 * below Spark's offset or lacks one of its partitions (the monitor did not see the reset happen,
 * e.g. `sparktop status` started after it).
 */
export function commitMatchesTopic(ref: Commit, kafka: KafkaState): boolean {
  const resetAt = kafkaResetAt(kafka);
  if (resetAt !== null && ref.plannedAt < resetAt) return false;
  const latest = kafka.history.newest();
  if (!latest || latest.t - ref.committedAt <= OFFSETS_SETTLED_MS) return true;
  for (const [partition, offset] of ref.offsets) {
    const i = latest.layout.indexOf.get(partition);
    if (i === undefined || latest.logEnd[i]! < offset) return false;
  }
  return true;
}

/** The reference commit when its offsets are the current topic's (else lag is unknown until Spark commits again). */
export function currentReference(state: Pick<LagState, 'reference'>, kafka: KafkaState): Commit | null {
  const ref = state.reference;
  return ref && commitMatchesTopic(ref, kafka) ? ref : null;
}

/**
 * Whether `c` can precede `ref` on the same topic: a run's committed offsets never go down, so a
 * commit above the reference on some partition read an earlier incarnation of the topic.
 */
export function offsetsNotAbove(c: Commit, ref: Commit): boolean {
  for (const [partition, offset] of c.offsets) {
    const later = ref.offsets.get(partition);
    if (later !== undefined && offset > later) return false;
  }
  return true;
}
