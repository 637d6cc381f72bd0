/**
 * Kafka's side: a bounded history of the input topic's log-end offsets, from which produce rates
 * (offset deltas over a window) and the log-end offset at any recent moment (interpolated) follow.
 *
 * A topic deleted and created again under the same name starts its offsets at 0 again, possibly
 * with another partition count. Log-end offsets never go down and partitions never disappear within
 * one topic, so a sample where either happens starts a new incarnation (an `epoch`): rates and
 * interpolation never span two incarnations, and `resetAt` tells the lag model that Spark's
 * offsets committed before it belong to the old topic.
 */
import type { KafkaSample } from './samples.js';
import { Ring } from './ring.js';

/** The partitions of one sample; shared by consecutive samples while the partition set is unchanged. */
export interface PartitionLayout {
  ids: number[];
  indexOf: Map<number, number>;
}

export interface KafkaPoint {
  t: number;
  layout: PartitionLayout;
  logEnd: number[];
  /** Incarnation of the topic this point was read from (see `KafkaState.epoch`). */
  epoch: number;
}

/** What showed that the topic was recreated: a log-end offset that went down, or a partition that disappeared. */
export interface KafkaReset {
  /** Time of the first sample of the new incarnation. */
  t: number;
  partitionsBefore: number;
  partitionsAfter: number;
  /** The first partition whose log-end offset went down (`to` null: the partition is gone). */
  partition: number;
  from: number;
  to: number | null;
}

export interface KafkaState {
  topic: string | null;
  history: Ring<KafkaPoint>;
  group: KafkaSample['group'];
  /** Incarnations of the topic seen so far, minus one: 0 until a reset is seen. */
  epoch: number;
  /** The newest reset (null: none seen). Spark offsets committed before `reset.t` are not this topic's. */
  reset: KafkaReset | null;
  /** Whose log end the newest sample gave: Kafka's, or Spark's view at a batch (an event log; KafkaSample.view). */
  view: 'kafka' | 'spark';
  version: number;
}

/** Interpolating across a longer gap (an outage) would invent offsets: beyond it the value is unknown. */
const MAX_INTERPOLATION_GAP_MS = 5_000;

export function createKafkaState(capacity: number, topic: string | null): KafkaState {
  return { topic, history: new Ring<KafkaPoint>(capacity), group: null, epoch: 0, reset: null, view: 'kafka', version: 0 };
}

/** When the topic was last recreated (null: never, as far as the history shows). */
export function kafkaResetAt(state: KafkaState): number | null {
  return state.reset?.t ?? null;
}

function sameIds(layout: PartitionLayout, partitions: KafkaSample['partitions']): boolean {
  if (layout.ids.length !== partitions.length) return false;
  for (let i = 0; i < partitions.length; i++) if (layout.ids[i] !== partitions[i]!.partition) return false;
  return true;
}

/** Whether `sample` cannot be the same topic as `previous`: a log-end offset went down, or a partition is gone. */
export function resetBetween(previous: KafkaPoint, t: number, sample: KafkaSample): KafkaReset | null {
  const now = new Map(sample.partitions.map((p) => [p.partition, p.logEndOffset]));
  for (let i = 0; i < previous.layout.ids.length; i++) {
    const partition = previous.layout.ids[i]!;
    const from = previous.logEnd[i]!;
    const to = now.get(partition);
    if (to === undefined || to < from) {
      return { t, partitionsBefore: previous.layout.ids.length, partitionsAfter: sample.partitions.length, partition, from, to: to ?? null };
    }
  }
  return null;
}

/** Returns false (and keeps nothing) for a sample of another topic than the one watched, or one older than the newest. */
export function applyKafkaSample(state: KafkaState, t: number, sample: KafkaSample): boolean {
  if (state.topic === null) state.topic = sample.topic;
  else if (sample.topic !== state.topic) return false;
  const previous = state.history.newest();
  if (previous && t < previous.t) return false; // the history must stay sorted by time
  const reset = previous ? resetBetween(previous, t, sample) : null;
  if (reset) {
    state.epoch++;
    state.reset = reset;
  }
  const layout =
    previous && sameIds(previous.layout, sample.partitions)
      ? previous.layout
      : { ids: sample.partitions.map((p) => p.partition), indexOf: new Map(sample.partitions.map((p, i) => [p.partition, i])) };
  state.history.push({ t, layout, logEnd: sample.partitions.map((p) => p.logEndOffset), epoch: state.epoch });
  state.group = sample.group;
  state.view = sample.view ?? 'kafka';
  state.version++;
  return true;
}

export function latestKafkaPoint(state: KafkaState): KafkaPoint | null {
  return state.history.newest() ?? null;
}

function offsetIn(point: KafkaPoint, partition: number): number | null {
  const i = point.layout.indexOf.get(partition);
  return i === undefined ? null : (point.logEnd[i] ?? null);
}

/**
 * Produce rate per partition of the latest point (records/s, aligned with its layout): offset
 * delta from the oldest point inside the window that read the same incarnation of the topic. Null
 * with a single point of it, or for a partition the base point did not have.
 */
export function produceRates(state: KafkaState, windowMs: number): Array<number | null> {
  const latest = state.history.newest();
  if (!latest) return [];
  let firstInside = state.history.lastIndexAtOrBefore(latest.t - windowMs, (p) => p.t) + 1;
  while (firstInside < state.history.size - 1 && state.history.at(firstInside)!.epoch !== latest.epoch) firstInside++;
  const base = state.history.at(firstInside);
  const rates = new Array<number | null>(latest.layout.ids.length).fill(null);
  if (!base || base === latest || latest.t - base.t <= 0) return rates;
  const seconds = (latest.t - base.t) / 1000;
  const aligned = base.layout === latest.layout;
  for (let i = 0; i < latest.layout.ids.length; i++) {
    const before = aligned ? (base.logEnd[i] ?? null) : offsetIn(base, latest.layout.ids[i]!);
    const now = latest.logEnd[i]!;
    if (before !== null && now >= before) rates[i] = (now - before) / seconds;
  }
  return rates;
}

/**
 * Log-end offsets of the topic at time `t`, interpolated between the samples around it; null when
 * `t` is outside the history, after the newest sample, inside a gap longer than 5 s, or between
 * two incarnations of the topic.
 */
export function logEndAt(state: KafkaState, t: number): ((partition: number) => number | null) | null {
  const i = state.history.lastIndexAtOrBefore(t, (p) => p.t);
  if (i < 0) return null;
  const before = state.history.at(i)!;
  if (before.t === t) return (p) => offsetIn(before, p);
  const after = state.history.at(i + 1);
  if (!after || after.t - before.t > MAX_INTERPOLATION_GAP_MS || after.epoch !== before.epoch) return null;
  const f = (t - before.t) / (after.t - before.t);
  return (p) => {
    const a = offsetIn(before, p);
    const b = offsetIn(after, p);
    return a === null || b === null ? null : a + (b - a) * f;
  };
}
