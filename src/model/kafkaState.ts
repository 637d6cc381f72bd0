/**
 * Kafka's side: a bounded history of the input topic's log-end offsets, from which produce rates
 * (offset deltas over a window) and the log-end offset at any recent moment (interpolated) follow.
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
}

export interface KafkaState {
  topic: string | null;
  history: Ring<KafkaPoint>;
  group: KafkaSample['group'];
  version: number;
}

/** Interpolating across a longer gap (an outage) would invent offsets: beyond it the value is unknown. */
const MAX_INTERPOLATION_GAP_MS = 5_000;

export function createKafkaState(capacity: number, topic: string | null): KafkaState {
  return { topic, history: new Ring<KafkaPoint>(capacity), group: null, version: 0 };
}

function sameIds(layout: PartitionLayout, partitions: KafkaSample['partitions']): boolean {
  if (layout.ids.length !== partitions.length) return false;
  for (let i = 0; i < partitions.length; i++) if (layout.ids[i] !== partitions[i]!.partition) return false;
  return true;
}

/** Returns false (and keeps nothing) for a sample of another topic than the one watched, or one older than the newest. */
export function applyKafkaSample(state: KafkaState, t: number, sample: KafkaSample): boolean {
  if (state.topic === null) state.topic = sample.topic;
  else if (sample.topic !== state.topic) return false;
  const previous = state.history.newest();
  if (previous && t < previous.t) return false; // the history must stay sorted by time
  const layout =
    previous && sameIds(previous.layout, sample.partitions)
      ? previous.layout
      : { ids: sample.partitions.map((p) => p.partition), indexOf: new Map(sample.partitions.map((p, i) => [p.partition, i])) };
  state.history.push({ t, layout, logEnd: sample.partitions.map((p) => p.logEndOffset) });
  state.group = sample.group;
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
 * delta from the oldest point inside the window. Null with a single point, or when the offset went
 * down (topic recreated).
 */
export function produceRates(state: KafkaState, windowMs: number): Array<number | null> {
  const latest = state.history.newest();
  if (!latest) return [];
  const firstInside = state.history.lastIndexAtOrBefore(latest.t - windowMs, (p) => p.t) + 1;
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
 * `t` is outside the history, after the newest sample, or inside a gap longer than 5 s.
 */
export function logEndAt(state: KafkaState, t: number): ((partition: number) => number | null) | null {
  const i = state.history.lastIndexAtOrBefore(t, (p) => p.t);
  if (i < 0) return null;
  const before = state.history.at(i)!;
  if (before.t === t) return (p) => offsetIn(before, p);
  const after = state.history.at(i + 1);
  if (!after || after.t - before.t > MAX_INTERPOLATION_GAP_MS) return null;
  const f = (t - before.t) / (after.t - before.t);
  return (p) => {
    const a = offsetIn(before, p);
    const b = offsetIn(after, p);
    return a === null || b === null ? null : a + (b - a) * f;
  };
}
