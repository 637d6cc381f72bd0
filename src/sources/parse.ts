/**
 * Validation at the source boundary: raw endpoint answers → typed samples. Nothing an endpoint
 * sends is trusted; a payload of the wrong shape becomes a PayloadError naming what was wrong.
 * Pure functions (no I/O), so the model's fixtures go through exactly the code the live sources use.
 */
import { z } from 'zod';
import type {
  ExecutorSample,
  ExecutorsSample,
  JobSample,
  JobsSample,
  KafkaSample,
  MasterSample,
  ProgressSample,
  CheckpointSample,
  QueryProgress,
  StageSample,
  StreamingMetrics,
  StagesSample,
} from '../model/samples.js';
import { sparkDate } from '../model/time.js';

export class PayloadError extends Error {}

/** Finite, non-negative, safe: huge numbers, negative offsets and NaN are rejected. */
export const count = z.number().finite().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const text = z.string().max(100_000);
const sparkTime = z.string().max(64).nullable().optional();

export function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  if (typeof body === 'string') {
    const snippet = body.trim().slice(0, 40).replace(/\s+/g, ' ');
    const trimmed = body.trim();
    const kind = /^<(!doctype|html)/i.test(trimmed) ? 'HTML' : /^[[{]/.test(trimmed) ? 'invalid JSON (truncated, or NaN/Infinity in it)' : 'text';
    throw new PayloadError(`${what}: expected JSON, got ${kind} ("${snippet}…")`);
  }
  return validated(schema, body, what);
}

/** `body` through `schema`, or a PayloadError naming the first issue's place (under `at`, e.g. a row index). */
export function validated<T>(schema: z.ZodType<T>, body: unknown, what: string, at: PropertyKey[] = []): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = [...at, ...(issue?.path ?? [])].map(String);
    const where = path.length > 0 ? ` at ${path.join('.')}` : '';
    throw new PayloadError(`${what}: unexpected shape${where} (${issue?.message ?? 'invalid'})`);
  }
  return r.data;
}


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

const applicationsSchema = z
  .array(
    z.object({
      id: text,
      name: text,
      attempts: z.array(z.object({ completed: z.boolean(), startTimeEpoch: z.number().optional(), startTime: sparkTime })).max(1000),
    }),
  )
  .max(10_000);

export interface DriverApp {
  id: string;
  name: string;
  startedAt: number | null;
  completed: boolean;
}

/** The driver's `/applications`: the running app (a driver UI serves exactly one), else the newest. */
export function parseApplications(body: unknown): DriverApp | null {
  const apps = parse(applicationsSchema, body, 'driver /applications').map((a) => {
    const attempt = a.attempts[a.attempts.length - 1];
    return {
      id: a.id,
      name: a.name,
      startedAt: attempt?.startTimeEpoch ?? sparkDate(attempt?.startTime) ?? null,
      completed: attempt?.completed ?? false,
    };
  });
  return apps.find((a) => !a.completed) ?? apps.sort((x, y) => (y.startedAt ?? 0) - (x.startedAt ?? 0))[0] ?? null;
}

const executorSchema = z.object({
  id: text,
  hostPort: text,
  isActive: z.boolean(),
  totalCores: count,
  activeTasks: count,
  completedTasks: count,
  failedTasks: count,
  totalDuration: count,
  totalGCTime: count,
  totalInputBytes: count,
  totalShuffleRead: count,
  totalShuffleWrite: count,
  memoryUsed: count,
  maxMemory: count,
  addTime: sparkTime,
  removeTime: sparkTime,
  removeReason: text.nullable().optional(),
});

export function parseExecutors(app: DriverApp, body: unknown, sparkProperties: Record<string, string> | null): ExecutorsSample {
  const rows = parse(z.array(executorSchema).max(100_000), body, 'driver /allexecutors');
  const executors: ExecutorSample[] = rows.map((e) => ({
    id: e.id,
    hostPort: e.hostPort,
    isActive: e.isActive,
    totalCores: e.totalCores,
    activeTasks: e.activeTasks,
    completedTasks: e.completedTasks,
    failedTasks: e.failedTasks,
    totalDuration: e.totalDuration,
    totalGCTime: e.totalGCTime,
    totalInputBytes: e.totalInputBytes,
    totalShuffleRead: e.totalShuffleRead,
    totalShuffleWrite: e.totalShuffleWrite,
    memoryUsed: e.memoryUsed,
    maxMemory: e.maxMemory,
    addTime: e.addTime ?? null,
    removeTime: e.removeTime ?? null,
    removeReason: e.removeReason ?? null,
  }));
  return { appId: app.id, appName: app.name, appStartedAt: app.startedAt, executors, sparkProperties };
}

/** The Spark properties that matter for tuning, from the driver's `/environment`. */
export const TUNING_PROPERTIES = [
  'spark.app.name',
  'spark.master',
  'spark.executor.cores',
  'spark.executor.memory',
  'spark.executor.instances',
  'spark.cores.max',
  'spark.driver.memory',
  'spark.sql.shuffle.partitions',
  'spark.default.parallelism',
  'spark.dynamicAllocation.enabled',
  'spark.sql.streaming.metricsEnabled',
] as const;

export function parseEnvironment(body: unknown): Record<string, string> {
  const env = parse(z.object({ sparkProperties: z.array(z.tuple([text, text])).max(100_000) }), body, 'driver /environment');
  const props: Record<string, string> = {};
  for (const [k, v] of env.sparkProperties) if ((TUNING_PROPERTIES as readonly string[]).includes(k)) props[k] = v;
  return props;
}

const stageSchema = z.object({
  stageId: count,
  attemptId: count,
  status: text,
  name: text,
  description: text.nullable().optional(),
  numTasks: count,
  numActiveTasks: count,
  numCompleteTasks: count,
  numFailedTasks: count,
  executorRunTime: count,
  submissionTime: sparkTime,
  completionTime: sparkTime,
  inputRecords: count,
  inputBytes: count,
  shuffleReadBytes: count,
  shuffleReadRecords: count,
  shuffleWriteBytes: count,
  shuffleWriteRecords: count,
  memoryBytesSpilled: count,
  diskBytesSpilled: count,
});

/**
 * Stage rows already validated, by the raw row object. The sampler keeps the rows it merged and
 * hands the same objects again every poll (sampler.ts); only new rows go through the schema.
 */
const validatedStages = new WeakMap<object, StageSample>();

export function parseStages(appId: string, body: unknown): StagesSample {
  const rows = parse(z.array(z.unknown()).max(100_000), body, 'driver /stages');
  const stages: StageSample[] = rows.map((raw, i) => {
    const known = typeof raw === 'object' && raw !== null ? validatedStages.get(raw) : undefined;
    if (known) return known;
    const row = validated(stageSchema, raw, 'driver /stages', [i]);
    const stage: StageSample = {
      ...row,
      description: row.description ?? null,
      submissionTime: row.submissionTime ?? null,
      completionTime: row.completionTime ?? null,
    };
    if (typeof raw === 'object' && raw !== null) validatedStages.set(raw, stage);
    return stage;
  });
  return { appId, stages };
}

const jobSchema = z.object({
  jobId: count,
  name: text,
  description: text.nullable().optional(),
  jobGroup: text.nullable().optional(),
  status: text,
  submissionTime: sparkTime,
  completionTime: sparkTime,
  numTasks: count,
  stageIds: z.array(count).max(100_000),
});

export function parseJobs(appId: string, body: unknown): JobsSample {
  const rows = parse(z.array(jobSchema).max(100_000), body, 'driver /jobs');
  const jobs: JobSample[] = rows.map((j) => ({
    ...j,
    description: j.description ?? null,
    jobGroup: j.jobGroup ?? null,
    submissionTime: j.submissionTime ?? null,
    completionTime: j.completionTime ?? null,
  }));
  return { appId, jobs };
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
