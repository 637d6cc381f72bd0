/**
 * Spark's committed Kafka offsets, read from a progress event: each Kafka source's `endOffset` is
 * `{"<topic>": {"<partition>": <offset>}}` (an object, or the same JSON as a string).
 */
import type { QueryProgress } from './samples.js';

function offsetObject(value: unknown): Record<string, unknown> | null {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** The topics the event's sources carry offsets for (Kafka sources only). */
export function topicsOf(progress: QueryProgress): string[] {
  const topics: string[] = [];
  for (const source of progress.sources) {
    const end = offsetObject(source.endOffset);
    if (!end) continue;
    for (const [topic, partitions] of Object.entries(end)) if (offsetObject(partitions) && !topics.includes(topic)) topics.push(topic);
  }
  return topics;
}

/** Partition → committed end offset of `topic` in this event; null when no source reads the topic. */
export function endOffsetsOf(progress: QueryProgress, topic: string): Map<number, number> | null {
  for (const source of progress.sources) {
    const partitions = offsetObject(offsetObject(source.endOffset)?.[topic]);
    if (!partitions) continue;
    const offsets = new Map<number, number>();
    for (const [key, value] of Object.entries(partitions)) {
      const partition = Number(key);
      if (Number.isInteger(partition) && partition >= 0 && typeof value === 'number' && Number.isFinite(value) && value >= 0) offsets.set(partition, value);
    }
    return offsets;
  }
  return null;
}
