/**
 * Validation at the source boundary: raw endpoint answers → typed samples. Nothing an endpoint
 * sends is trusted; a payload of the wrong shape becomes a PayloadError naming what was wrong.
 * Pure functions (no I/O), so the model's fixtures go through exactly the code the live sources use.
 * Here Kafka's offsets, the progress listener, the master, the driver's streaming metrics and a
 * checkpoint; the driver's REST API in parseDriver.ts, the shared helpers in payload.ts.
 */
import { z } from 'zod';
import type { KafkaSample, MasterSample, ProgressSample, CheckpointSample, QueryProgress, StreamingMetrics } from '../model/samples.js';
import { count, parse, PayloadError, text, validated } from './payload.js';

const kafkaOffset = z.string().regex(/^\d{1,16}$/, 'expected a non-negative offset');
const kafkaOffsetsSchema = z.array(z.object({ partition: z.number().int().nonnegative(), high: kafkaOffset, low: kafkaOffset })).max(100_000);

/** kafkajs `admin.fetchTopicOffsets` → partitions with log-end and log-start offsets. */
export function parseKafkaOffsets(topic: string, body: unknown, group: KafkaSample['group'] = null): KafkaSample {
  const rows = parse(kafkaOffsetsSchema, body, `Kafka offsets of ${topic}`);
  return {
    topic,
    partitions: rows
      .map((r) => ({ partition: r.partition, logEndOffset: Number(r.high), logStartOffset: Number(r.low) }))
      .sort((a, b) => a.partition - b.partition),
    group,
  };
}

const numOrNull = z.number().nullable().optional();
const progressSchema = z.looseObject({
  id: text,
  runId: text,
  name: text.nullable().optional(),
  timestamp: text,
  batchId: count,
  numInputRows: count,
  inputRowsPerSecond: numOrNull,
  processedRowsPerSecond: numOrNull,
  durationMs: z.record(z.string(), count),
  eventTime: z.record(z.string(), z.string()).optional(),
  stateOperators: z.array(z.looseObject({})).max(1000),
  sources: z.array(z.looseObject({ startOffset: z.unknown(), endOffset: z.unknown(), latestOffset: z.unknown() })).max(1000),
  sink: z.looseObject({}).optional(),
});

const listenerSchema = z.object({
  queries: z.array(z.object({ id: text, runId: text, name: text.nullable().optional() })).max(10_000),
  progress: z.array(progressSchema).max(100_000),
  terminated: z.array(z.object({ id: text, runId: text, exception: text.nullable().optional() })).max(10_000).optional(),
  settings: z
    .looseObject({ trigger: text.max(200).nullable().optional(), maxOffsetsPerTrigger: count.nullable().optional(), minPartitions: count.nullable().optional() })
    .optional(),
});

/** The listener's `/progress` (sparktop_listener.py). */
export function parseListenerProgress(body: unknown): ProgressSample {
  const r = parse(listenerSchema, body, 'progress listener /progress');
  return {
    origin: 'listener',
    queries: r.queries.map((q) => ({ id: q.id, runId: q.runId, name: q.name ?? null })),
    progress: r.progress.map((p) => ({ ...p, name: p.name ?? null }) as QueryProgress),
    terminated: (r.terminated ?? []).map((t) => ({ id: t.id, runId: t.runId, exception: t.exception ?? null })),
    derivedBatches: [],
    ...(r.settings
      ? { settings: { trigger: r.settings.trigger ?? null, maxOffsetsPerTrigger: r.settings.maxOffsetsPerTrigger ?? null, minPartitions: r.settings.minPartitions ?? null } }
      : {}),
  };
}

const masterSchema = z.object({
  status: text,
  workers: z
    .array(z.object({ id: text, host: text, state: text, cores: count, coresused: count, memory: count, memoryused: count }))
    .max(100_000),
  cores: count,
  coresused: count,
  memory: count,
  memoryused: count,
  activeapps: z
    .array(
      z.object({
        id: text,
        name: text,
        cores: count,
        memoryperslave: count.nullable().optional(),
        memoryperexecutor: count.nullable().optional(),
        state: text,
        starttime: count.nullable().optional(),
      }),
    )
    .max(100_000),
  completedapps: z.array(z.object({ id: text, name: text, state: text })).max(100_000),
});

/** The standalone master's `/json`. */
export function parseMaster(body: unknown): MasterSample {
  const m = parse(masterSchema, body, 'Spark master /json');
  return {
    ...m,
    activeapps: m.activeapps.map((a) => ({
      id: a.id,
      name: a.name,
      cores: a.cores,
      memoryperslave: a.memoryperexecutor ?? a.memoryperslave ?? null,
      state: a.state,
      starttime: a.starttime ?? null,
    })),
    completedapps: m.completedapps.map((a) => ({ id: a.id, name: a.name, state: a.state })),
  };
}

const GAUGE = /_driver_spark_streaming_(.+)_(inputRate_total|processingRate_total|latency|states_rowsTotal|states_usedBytes)_Value\{type="gauges"\} (\S+)$/;

/**
 * Spark's streaming gauges from the driver's PrometheusServlet text (present when the app sets
 * spark.sql.streaming.metricsEnabled and the servlet sink): rates without the listener.
 */
export function parseStreamingMetrics(body: unknown): StreamingMetrics[] {
  if (typeof body !== 'string') throw new PayloadError('driver /metrics/prometheus: expected Prometheus text');
  const byQuery = new Map<string, StreamingMetrics>();
  for (const line of body.split('\n')) {
    const m = GAUGE.exec(line.trim());
    if (!m) continue;
    const value = Number(m[3]);
    const q = byQuery.get(m[1]!) ?? { query: m[1]!, inputRps: null, processedRps: null, latencyMs: null, stateRows: null, stateBytes: null };
    const v = Number.isFinite(value) && value >= 0 ? value : null;
    if (m[2] === 'inputRate_total') q.inputRps = v;
    else if (m[2] === 'processingRate_total') q.processedRps = v;
    else if (m[2] === 'latency') q.latencyMs = v;
    else if (m[2] === 'states_rowsTotal') q.stateRows = v;
    else q.stateBytes = v;
    byQuery.set(m[1]!, q);
  }
  return [...byQuery.values()];
}

const checkpointSchema = z.object({
  dir: text,
  queryId: text,
  topic: text,
  batchId: count,
  plannedAt: count,
  committedAt: count,
  offsets: z.array(z.object({ partition: count, offset: count })).max(100_000),
});

/** What src/sources/checkpoint.ts read (recorded as endpoint `checkpoint:offsets`). */
export function parseCheckpoint(body: unknown): CheckpointSample {
  return parse(checkpointSchema, body, 'checkpoint');
}
