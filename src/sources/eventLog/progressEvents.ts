/** Spark's streaming query listener events → what sparktop's progress listener serves, and Spark's view of the Kafka log end. */
import type { KafkaSample, ProgressSample } from '../../model/samples.js';
import { PayloadError } from '../payload.js';
import { parseListenerProgress } from '../parse.js';
import { isCount, isObject, isStr, need, type Json } from './eventJson.js';

export const STREAMING_EVENT = 'org.apache.spark.sql.streaming.StreamingQueryListener$';
export const QUERY_STARTED = `${STREAMING_EVENT}QueryStartedEvent`;
export const QUERY_PROGRESS = `${STREAMING_EVENT}QueryProgressEvent`;
export const QUERY_TERMINATED = `${STREAMING_EVENT}QueryTerminatedEvent`;

/** Jackson writes NaN and ±Infinity as strings; Spark's own JSON leaves such a field out. */
function finiteOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Offsets as the listener serves them: JSON text parsed (Spark's `json` does the same), else as given. */
function offsetValue(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A QueryProgressEvent's `progress` → the JSON the progress listener serves (StreamingQueryProgress.json). */
export function listenerJsonOf(raw: Json): Json {
  const rawSources = Array.isArray(raw.sources) ? raw.sources : null;
  if (rawSources === null) throw new PayloadError('QueryProgressEvent: "progress.sources" is not a list');
  const sources = rawSources.map((s: unknown) => {
    if (!isObject(s)) throw new PayloadError('QueryProgressEvent: a source is not an object');
    const out: Json = { ...s, startOffset: offsetValue(s.startOffset), endOffset: offsetValue(s.endOffset), latestOffset: offsetValue(s.latestOffset) };
    for (const k of ['inputRowsPerSecond', 'processedRowsPerSecond'] as const) {
      if (k in out && finiteOrUndefined(out[k]) === undefined) delete out[k];
    }
    return out;
  });
  const sum = (key: string): number | undefined => {
    let total = 0;
    for (const s of sources) {
      const v = s[key];
      if (typeof v === 'number') total += v;
      else if (v !== undefined) return undefined;
    }
    return Number.isFinite(total) ? total : undefined;
  };
  const { id, runId, name, timestamp, batchId, batchDuration, durationMs, eventTime, stateOperators, sources: _raw, sink, observedMetrics, ...rest } = raw;
  const out: Json = { id, runId, name, timestamp, batchId };
  if (batchDuration !== undefined) out.batchDuration = batchDuration;
  out.numInputRows = sum('numInputRows') ?? 0;
  const inRps = sum('inputRowsPerSecond');
  const outRps = sum('processedRowsPerSecond');
  if (inRps !== undefined) out.inputRowsPerSecond = inRps;
  if (outRps !== undefined) out.processedRowsPerSecond = outRps;
  Object.assign(out, { durationMs, eventTime, stateOperators, sources, sink, observedMetrics, ...rest });
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** A batch's end (start + triggerExecution), when its progress sample is stamped. */
export function batchEndOf(name: string, json: Json): number {
  const started = isStr(json.timestamp) ? Date.parse(json.timestamp) : NaN;
  if (!Number.isFinite(started)) throw new PayloadError(`${name}: "progress.timestamp" is not a time`);
  const durations = isObject(json.durationMs) ? json.durationMs : {};
  const took = isCount(durations.triggerExecution) ? durations.triggerExecution : 0;
  return started + took;
}

/** The query runs the progress listener lists, each once: started (or first seen in a batch), and terminated. */
export class QueryRuns {
  private readonly queries: ProgressSample['queries'] = [];
  private readonly terminated: ProgressSample['terminated'] = [];

  /** A QueryStartedEvent; returns its time (NaN when it has none). */
  started(name: string, event: Json): number {
    const run = { id: need(name, event, 'id', isStr, 'a query id'), runId: need(name, event, 'runId', isStr, 'a run id'), name: isStr(event.name) ? event.name : null };
    if (!this.queries.some((q) => q.runId === run.runId)) this.queries.push(run);
    return isStr(event.timestamp) ? Date.parse(event.timestamp) : NaN;
  }

  /** A batch's run (from listenerJsonOf), when no start event has named it. */
  seen(json: Json): void {
    if (isStr(json.runId) && !this.queries.some((q) => q.runId === json.runId) && isStr(json.id)) {
      this.queries.push({ id: json.id, runId: json.runId, name: isStr(json.name) ? json.name : null });
    }
  }

  /** A QueryTerminatedEvent. */
  ended(name: string, event: Json): void {
    const run = { id: need(name, event, 'id', isStr, 'a query id'), runId: need(name, event, 'runId', isStr, 'a run id'), exception: isStr(event.exception) ? event.exception : null };
    if (!this.terminated.some((q) => q.runId === run.runId)) this.terminated.push(run);
  }

  /** The progress listener's answer: these runs, `progress` (listener JSON) and the listener's `settings`. */
  sample(progress: Json[], settings: Json): ProgressSample {
    return parseListenerProgress({ queries: this.queries, progress, terminated: this.terminated, settings });
  }
}

/** The offsets-per-partition object of `topic` in a source's `latestOffset`, when it is Kafka's. */
function latestOffsetsOf(source: Json, topic: string): Array<{ partition: number; offset: number }> | null {
  const latest = source.latestOffset;
  if (!isObject(latest) || !isObject(latest[topic])) return null;
  const out: Array<{ partition: number; offset: number }> = [];
  for (const [key, value] of Object.entries(latest[topic] as Json)) {
    const partition = Number(key);
    if (Number.isInteger(partition) && partition >= 0 && isCount(value)) out.push({ partition, offset: value });
  }
  return out.sort((a, b) => a.partition - b.partition);
}

/** The first topic of a Kafka source's end offsets (`{"topic": {"0": 12}}`). */
function kafkaTopicOf(source: Json): string | null {
  const end = isObject(source.endOffset) ? source.endOffset : isObject(source.latestOffset) ? source.latestOffset : null;
  if (!end) return null;
  for (const [topic, partitions] of Object.entries(end)) if (isObject(partitions)) return topic;
  return null;
}

/** The topic of the first of a batch's sources that is Kafka's. */
export function firstKafkaTopic(sources: Json[]): string | null {
  for (const s of sources) {
    const topic = kafkaTopicOf(s);
    if (topic !== null) return topic;
  }
  return null;
}

/** Spark's view of the topic's log end when it planned the batch (its Kafka source's `latestOffset`). */
export function sparkKafkaView(topic: string, sources: Json[]): KafkaSample | null {
  for (const s of sources) {
    const latest = latestOffsetsOf(s, topic);
    if (latest && latest.length > 0) {
      return { topic, partitions: latest.map((p) => ({ partition: p.partition, logEndOffset: p.offset, logStartOffset: null })), group: null, view: 'spark' };
    }
  }
  return null;
}
