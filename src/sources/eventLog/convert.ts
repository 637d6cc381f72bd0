/**
 * Spark listener events (one parsed line of an event log each) → the samples the live sources
 * would have delivered (docs/ARCHITECTURE.md "Event logs"). Pure and streaming: no I/O, no clock,
 * and memory bounded by the run's live objects (executors, the newest stages and jobs, the queries),
 * never by the log's length.
 *
 * - `executors`, `stages`, `jobs`: what the driver's REST API would have answered, built up from
 *   the events (executors' cumulative totals from TaskEnd, like Spark's AppStatusListener), given
 *   at most once per second of the log's clock when something changed, stamped at that second.
 * - `progress`: Spark's `StreamingQueryProgress` as the progress listener serves it. The event log
 *   holds it as Jackson wrote the Scala object: offsets as JSON text and without the sums
 *   `numInputRows`, `inputRowsPerSecond`, `processedRowsPerSecond` (methods, not fields), which
 *   are added here as Spark's `json` computes them. Stamped at the batch's end (start +
 *   triggerExecution).
 * - `kafka`: Kafka's log end is not in an event log. Each batch's Kafka source carries the latest
 *   offsets Spark saw when it planned the batch (`latestOffset`); they become a Kafka sample at the
 *   batch's end marked `view: 'spark'`, so lag reads as Spark's own offsets-behind-latest metrics.
 */
import type { ExecutorSample, JobSample, KafkaSample, ProgressSample, Sample, StageSample } from '../../model/samples.js';
import { parseListenerProgress, PayloadError, TUNING_PROPERTIES } from '../parse.js';

export const STREAMING_EVENT = 'org.apache.spark.sql.streaming.StreamingQueryListener$';
const QUERY_STARTED = `${STREAMING_EVENT}QueryStartedEvent`;
const QUERY_PROGRESS = `${STREAMING_EVENT}QueryProgressEvent`;
const QUERY_TERMINATED = `${STREAMING_EVENT}QueryTerminatedEvent`;

/** The driver's REST API keeps more; the live sampler keeps the newest 200 stages too (sampler.ts). */
const STAGES_KEPT = 200;
const JOBS_KEPT = 200;
const SETTINGS_KEYS = { trigger: 'spark.sparktop.trigger', maxOffsetsPerTrigger: 'spark.sparktop.maxOffsetsPerTrigger', minPartitions: 'spark.sparktop.minPartitions' } as const;

/** What the log says about the run as a whole (the replay's header). */
export interface EventLogInfo {
  appId: string | null;
  appName: string | null;
  sparkVersion: string | null;
  /** Application start (epoch ms). */
  startedAt: number | null;
  endedAt: number | null;
  /** The Kafka topic of the first progress event's Kafka source. */
  topic: string | null;
  /** The Spark properties that matter for tuning (TUNING_PROPERTIES). */
  properties: Record<string, string> | null;
  events: number;
  batches: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field that must be there: a PayloadError naming the event and the field otherwise. */
function need<T>(event: string, o: Json, key: string, check: (v: unknown) => v is T, what: string): T {
  const v = o[key];
  if (!check(v)) throw new PayloadError(`${event}: "${key}" is not ${what}`);
  return v;
}
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => isNum(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): v is string | number => isStr(v) || isNum(v);
const opt = (o: Json | null | undefined, key: string): number => (o && isNum(o[key]) ? (o[key] as number) : 0);
const optTime = (o: Json, key: string): number | null => (isNum(o[key]) && (o[key] as number) > 0 ? (o[key] as number) : null);
const objectOf = (o: Json | null | undefined, key: string): Json | null => (o && isObject(o[key]) ? (o[key] as Json) : null);

/** Spark's REST date format: `2026-11-28T18:30:13.305GMT`. */
export function restDate(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace('Z', 'GMT');
}

interface ExecutorAcc {
  row: ExecutorSample;
  host: string;
}

interface StageAcc {
  row: StageSample;
  /** The row last given out (shared by samples while nothing changed). */
  given: StageSample | null;
}

interface JobAcc {
  row: JobSample;
  given: JobSample | null;
  stageIds: number[];
}

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

export class EventLogConverter {
  private readonly tickMs: number;
  /** The log's clock: the newest event time seen (events are logged in the order they happened). */
  private clock: number | null = null;
  /** The end of the current second: snapshots of what changed are given when an event passes it. */
  private tickEnd: number | null = null;
  private readonly dirty = { executors: false, stages: false, jobs: false };
  private readonly executors = new Map<string, ExecutorAcc>();
  private readonly stages = new Map<string, StageAcc>();
  private readonly jobs = new Map<number, JobAcc>();
  private readonly queries: ProgressSample['queries'] = [];
  private readonly terminated: ProgressSample['terminated'] = [];
  private settings: Json = {};
  private readonly meta: EventLogInfo = { appId: null, appName: null, sparkVersion: null, startedAt: null, endedAt: null, topic: null, properties: null, events: 0, batches: 0 };

  constructor(options: { tickMs?: number } = {}) {
    this.tickMs = options.tickMs ?? 1000;
  }

  info(): EventLogInfo {
    return { ...this.meta };
  }

  /**
   * One event (a parsed line); returns the samples it completes, in time order. An event this
   * converter reads but of a shape it does not know throws a PayloadError naming it; events it
   * does not use (SQL executions, block updates, …) are passed over.
   */
  accept(event: unknown): Sample[] {
    if (!isObject(event) || typeof event.Event !== 'string') throw new PayloadError('not a Spark listener event (no "Event" field)');
    this.meta.events++;
    const out: Sample[] = [];
    const name = event.Event;
    switch (name) {
      case 'SparkListenerLogStart':
        this.meta.sparkVersion = isStr(event['Spark Version']) ? event['Spark Version'] : null;
        break;
      case 'SparkListenerApplicationStart': {
        const t = need(name, event, 'Timestamp', isNum, 'a time');
        this.advance(t, out);
        this.meta.appName = need(name, event, 'App Name', isStr, 'a name');
        this.meta.appId = isStr(event['App ID']) ? event['App ID'] : this.meta.appId;
        this.meta.startedAt = t;
        this.dirty.executors = true;
        break;
      }
      case 'SparkListenerApplicationEnd': {
        const t = need(name, event, 'Timestamp', isNum, 'a time');
        this.advance(t, out);
        this.meta.endedAt = t;
        break;
      }
      case 'SparkListenerEnvironmentUpdate':
        this.environment(name, event);
        break;
      case 'SparkListenerExecutorAdded':
        this.executorAdded(name, event, out);
        break;
      case 'SparkListenerExecutorRemoved': {
        const t = need(name, event, 'Timestamp', isNum, 'a time');
        this.advance(t, out);
        const e = this.executor(String(need(name, event, 'Executor ID', isId, 'an id')), t);
        e.row.isActive = false;
        e.row.removeTime = restDate(t);
        e.row.removeReason = isStr(event['Removed Reason']) ? event['Removed Reason'] : null;
        this.dirty.executors = true;
        break;
      }
      case 'SparkListenerBlockManagerAdded': {
        const id = need(name, event, 'Block Manager ID', isObject, 'an object');
        const t = optTime(event, 'Timestamp');
        if (t !== null) this.advance(t, out);
        const e = this.executor(String(need(name, id, 'Executor ID', isId, 'an id')), t);
        if (isStr(id.Host) && isNum(id.Port)) e.row.hostPort = `${id.Host}:${id.Port}`;
        if (isCount(event['Maximum Memory'])) e.row.maxMemory = event['Maximum Memory'];
        this.dirty.executors = true;
        break;
      }
      case 'SparkListenerJobStart':
        this.jobStart(name, event, out);
        break;
      case 'SparkListenerJobEnd': {
        const t = need(name, event, 'Completion Time', isNum, 'a time');
        this.advance(t, out);
        const job = this.jobs.get(need(name, event, 'Job ID', isCount, 'an id'));
        if (job) {
          const result = objectOf(event, 'Job Result')?.Result;
          job.row = { ...job.row, status: result === 'JobSucceeded' ? 'SUCCEEDED' : 'FAILED', completionTime: restDate(t) };
          job.given = null;
          this.dirty.jobs = true;
        }
        break;
      }
      case 'SparkListenerStageSubmitted':
        this.stageSubmitted(name, event, out);
        break;
      case 'SparkListenerStageCompleted':
        this.stageCompleted(name, event, out);
        break;
      case 'SparkListenerTaskStart':
        this.taskStart(name, event, out);
        break;
      case 'SparkListenerTaskEnd':
        this.taskEnd(name, event, out);
        break;
      case QUERY_STARTED: {
        const run = { id: need(name, event, 'id', isStr, 'a query id'), runId: need(name, event, 'runId', isStr, 'a run id'), name: isStr(event.name) ? event.name : null };
        const t = isStr(event.timestamp) ? Date.parse(event.timestamp) : NaN;
        if (Number.isFinite(t)) this.advance(t, out);
        if (!this.queries.some((q) => q.runId === run.runId)) this.queries.push(run);
        this.progressSample(out, []);
        break;
      }
      case QUERY_PROGRESS:
        this.queryProgress(name, event, out);
        break;
      case QUERY_TERMINATED: {
        const run = { id: need(name, event, 'id', isStr, 'a query id'), runId: need(name, event, 'runId', isStr, 'a run id'), exception: isStr(event.exception) ? event.exception : null };
        if (!this.terminated.some((q) => q.runId === run.runId)) this.terminated.push(run);
        if (this.clock !== null) this.progressSample(out, []);
        break;
      }
      default: {
        // Other events still move the clock: SQL executions carry `time`.
        if (isNum(event.time) && event.time > 0) this.advance(event.time, out);
      }
    }
    return out;
  }

  /** At the end of the log: the snapshots still pending. */
  finish(): Sample[] {
    const out: Sample[] = [];
    if (this.tickEnd !== null) this.flush(this.clock ?? this.tickEnd, out);
    return out;
  }

  private advance(t: number, out: Sample[]): void {
    if (this.clock !== null && t <= this.clock) return;
    this.clock = t;
    if (this.tickEnd === null) this.tickEnd = Math.ceil(t / this.tickMs) * this.tickMs;
    else if (t > this.tickEnd) {
      this.flush(this.tickEnd, out);
      this.tickEnd = Math.ceil(t / this.tickMs) * this.tickMs;
    }
  }

  /** The snapshots of what changed, as the REST API would have answered at `t`. */
  private flush(t: number, out: Sample[]): void {
    const appId = this.meta.appId;
    if (appId === null) return;
    if (this.dirty.executors) {
      out.push({
        t,
        kind: 'executors',
        data: {
          appId,
          appName: this.meta.appName ?? '',
          appStartedAt: this.meta.startedAt,
          executors: [...this.executors.values()].map((e) => ({ ...e.row })),
          sparkProperties: this.meta.properties,
        },
      });
    }
    if (this.dirty.stages) {
      const rows = [...this.stages.values()].sort((a, b) => b.row.stageId - a.row.stageId || b.row.attemptId - a.row.attemptId);
      out.push({ t, kind: 'stages', data: { appId, stages: rows.map((s) => (s.given ??= { ...s.row })) } });
    }
    if (this.dirty.jobs) {
      const rows = [...this.jobs.values()].sort((a, b) => b.row.jobId - a.row.jobId);
      out.push({ t, kind: 'jobs', data: { appId, jobs: rows.map((j) => (j.given ??= { ...j.row, stageIds: [...j.stageIds] })) } });
    }
    this.dirty.executors = this.dirty.stages = this.dirty.jobs = false;
  }

  private environment(name: string, event: Json): void {
    const props = event['Spark Properties'];
    const pairs: Array<[string, string]> = isObject(props)
      ? Object.entries(props).filter((p): p is [string, string] => isStr(p[1]))
      : Array.isArray(props)
        ? props.filter((p): p is [string, string] => Array.isArray(p) && isStr(p[0]) && isStr(p[1]))
        : [];
    if (!isObject(props) && !Array.isArray(props)) throw new PayloadError(`${name}: "Spark Properties" is not an object`);
    const tuning: Record<string, string> = {};
    const all = new Map(pairs);
    for (const k of TUNING_PROPERTIES) {
      const v = all.get(k);
      if (v !== undefined) tuning[k] = v;
    }
    this.meta.properties = tuning;
    this.meta.appId ??= all.get('spark.app.id') ?? null;
    this.meta.appName ??= all.get('spark.app.name') ?? null;
    // What the sparktop listener would serve as `settings` (ListenerConfig.java).
    const settings: Json = {};
    const trigger = all.get(SETTINGS_KEYS.trigger)?.trim();
    if (trigger) settings.trigger = trigger;
    for (const key of ['maxOffsetsPerTrigger', 'minPartitions'] as const) {
      const raw = all.get(SETTINGS_KEYS[key]);
      if (raw !== undefined && /^-?\d+$/.test(raw.trim()) && Number(raw) >= 0) settings[key] = Number(raw);
    }
    this.settings = settings;
    this.dirty.executors = true;
  }

  private executor(id: string, t: number | null): ExecutorAcc {
    let e = this.executors.get(id);
    if (!e) {
      e = {
        host: '',
        row: {
          id,
          hostPort: '',
          isActive: true,
          totalCores: 0,
          activeTasks: 0,
          completedTasks: 0,
          failedTasks: 0,
          totalDuration: 0,
          totalGCTime: 0,
          totalInputBytes: 0,
          totalShuffleRead: 0,
          totalShuffleWrite: 0,
          memoryUsed: 0,
          maxMemory: 0,
          addTime: restDate(t),
          removeTime: null,
          removeReason: null,
        },
      };
      this.executors.set(id, e);
    }
    return e;
  }

  private executorAdded(name: string, event: Json, out: Sample[]): void {
    const t = need(name, event, 'Timestamp', isNum, 'a time');
    this.advance(t, out);
    const info = need(name, event, 'Executor Info', isObject, 'an object');
    const e = this.executor(String(need(name, event, 'Executor ID', isId, 'an id')), t);
    e.host = isStr(info.Host) ? info.Host : e.host;
    // Until its block manager registers, the REST API shows the host alone.
    if (e.row.hostPort === '') e.row.hostPort = e.host;
    e.row.totalCores = need(name, info, 'Total Cores', isCount, 'a count');
    e.row.isActive = true;
    e.row.addTime = restDate(t);
    this.dirty.executors = true;
  }

  private jobStart(name: string, event: Json, out: Sample[]): void {
    const t = need(name, event, 'Submission Time', isNum, 'a time');
    this.advance(t, out);
    const jobId = need(name, event, 'Job ID', isCount, 'an id');
    const infos = need(name, event, 'Stage Infos', Array.isArray, 'a list') as unknown[];
    const stageInfos = infos.filter(isObject);
    const last = [...stageInfos].sort((a, b) => opt(a, 'Stage ID') - opt(b, 'Stage ID')).at(-1);
    const props = objectOf(event, 'Properties');
    const stageIds = Array.isArray(event['Stage IDs']) ? event['Stage IDs'].filter(isCount) : stageInfos.map((s) => opt(s, 'Stage ID'));
    this.jobs.set(jobId, {
      given: null,
      stageIds,
      row: {
        jobId,
        name: last && isStr(last['Stage Name']) ? last['Stage Name'] : '',
        description: isStr(props?.['spark.job.description']) ? (props['spark.job.description'] as string) : null,
        jobGroup: isStr(props?.['spark.jobGroup.id']) ? (props['spark.jobGroup.id'] as string) : null,
        status: 'RUNNING',
        submissionTime: restDate(t),
        completionTime: null,
        numTasks: stageInfos.filter((s) => optTime(s, 'Completion Time') === null).reduce((n, s) => n + opt(s, 'Number of Tasks'), 0),
        stageIds,
      },
    });
    if (this.jobs.size > JOBS_KEPT) {
      const oldest = Math.min(...this.jobs.keys());
      this.jobs.delete(oldest);
    }
    this.dirty.jobs = true;
  }

  private stageKey(name: string, event: Json, info: Json = event): string {
    const id = need(name, info, 'Stage ID', isCount, 'an id');
    const attempt = opt(info, 'Stage Attempt ID');
    return `${id}/${attempt}`;
  }

  private stageSubmitted(name: string, event: Json, out: Sample[]): void {
    const info = need(name, event, 'Stage Info', isObject, 'an object');
    const t = optTime(info, 'Submission Time');
    if (t !== null) this.advance(t, out);
    const key = this.stageKey(name, event, info);
    const props = objectOf(event, 'Properties');
    const known = this.stages.get(key);
    const row: StageSample = known?.row ?? {
      stageId: opt(info, 'Stage ID'),
      attemptId: opt(info, 'Stage Attempt ID'),
      status: 'ACTIVE',
      name: isStr(info['Stage Name']) ? info['Stage Name'] : '',
      description: isStr(props?.['spark.job.description']) ? (props['spark.job.description'] as string) : null,
      numTasks: opt(info, 'Number of Tasks'),
      numActiveTasks: 0,
      numCompleteTasks: 0,
      numFailedTasks: 0,
      executorRunTime: 0,
      submissionTime: restDate(t),
      completionTime: null,
      inputRecords: 0,
      inputBytes: 0,
      shuffleReadBytes: 0,
      shuffleReadRecords: 0,
      shuffleWriteBytes: 0,
      shuffleWriteRecords: 0,
      memoryBytesSpilled: 0,
      diskBytesSpilled: 0,
    };
    row.status = 'ACTIVE';
    this.stages.set(key, { row, given: null });
    this.evictStages();
    this.dirty.stages = true;
  }

  private evictStages(): void {
    if (this.stages.size <= STAGES_KEPT) return;
    let oldest: string | null = null;
    let oldestId = Infinity;
    for (const [key, s] of this.stages) {
      if (s.row.status !== 'ACTIVE' && s.row.stageId < oldestId) {
        oldest = key;
        oldestId = s.row.stageId;
      }
    }
    if (oldest !== null) this.stages.delete(oldest);
  }

  private stageCompleted(name: string, event: Json, out: Sample[]): void {
    const info = need(name, event, 'Stage Info', isObject, 'an object');
    const t = optTime(info, 'Completion Time');
    if (t !== null) this.advance(t, out);
    const stage = this.stages.get(this.stageKey(name, event, info));
    if (!stage) return;
    stage.row.status = isStr(info['Failure Reason']) ? 'FAILED' : 'COMPLETE';
    stage.row.completionTime = restDate(t ?? this.clock);
    stage.row.numActiveTasks = 0;
    stage.given = null;
    this.dirty.stages = true;
  }

  private taskStart(name: string, event: Json, out: Sample[]): void {
    const info = need(name, event, 'Task Info', isObject, 'an object');
    const t = optTime(info, 'Launch Time');
    if (t !== null) this.advance(t, out);
    const e = this.executors.get(String(need(name, info, 'Executor ID', isId, 'an id')));
    if (e) {
      e.row.activeTasks++;
      this.dirty.executors = true;
    }
    const stage = this.stages.get(this.stageKey(name, event));
    if (stage) {
      stage.row.numActiveTasks++;
      stage.given = null;
      this.dirty.stages = true;
    }
  }

  private taskEnd(name: string, event: Json, out: Sample[]): void {
    const info = need(name, event, 'Task Info', isObject, 'an object');
    const t = optTime(info, 'Finish Time');
    if (t !== null) this.advance(t, out);
    const reason = objectOf(event, 'Task End Reason')?.Reason;
    const success = reason === 'Success';
    const killed = reason === 'TaskKilled' || reason === 'TaskCommitDenied';
    const metrics = objectOf(event, 'Task Metrics');
    const shuffleRead = objectOf(metrics, 'Shuffle Read Metrics');
    const shuffleWrite = objectOf(metrics, 'Shuffle Write Metrics');
    const input = objectOf(metrics, 'Input Metrics');
    const readBytes = opt(shuffleRead, 'Remote Bytes Read') + opt(shuffleRead, 'Local Bytes Read');
    const e = this.executors.get(String(need(name, info, 'Executor ID', isId, 'an id')));
    if (e) {
      const r = e.row;
      r.activeTasks = Math.max(0, r.activeTasks - 1);
      if (success) r.completedTasks++;
      else if (!killed) r.failedTasks++;
      const launched = optTime(info, 'Launch Time');
      if (launched !== null && t !== null) r.totalDuration += Math.max(0, t - launched);
      r.totalGCTime += opt(metrics, 'JVM GC Time');
      r.totalInputBytes += opt(input, 'Bytes Read');
      r.totalShuffleRead += readBytes;
      r.totalShuffleWrite += opt(shuffleWrite, 'Shuffle Bytes Written');
      this.dirty.executors = true;
    }
    const stage = this.stages.get(this.stageKey(name, event));
    if (stage) {
      const r = stage.row;
      r.numActiveTasks = Math.max(0, r.numActiveTasks - 1);
      if (success) r.numCompleteTasks++;
      else if (!killed) r.numFailedTasks++;
      r.executorRunTime += opt(metrics, 'Executor Run Time');
      r.inputRecords += opt(input, 'Records Read');
      r.inputBytes += opt(input, 'Bytes Read');
      r.shuffleReadBytes += readBytes;
      r.shuffleReadRecords += opt(shuffleRead, 'Total Records Read');
      r.shuffleWriteBytes += opt(shuffleWrite, 'Shuffle Bytes Written');
      r.shuffleWriteRecords += opt(shuffleWrite, 'Shuffle Records Written');
      r.memoryBytesSpilled += opt(metrics, 'Memory Bytes Spilled');
      r.diskBytesSpilled += opt(metrics, 'Disk Bytes Spilled');
      stage.given = null;
      this.dirty.stages = true;
    }
  }

  private progressSample(out: Sample[], progress: Json[]): ProgressSample {
    const body = { queries: this.queries, progress, terminated: this.terminated, settings: this.settings };
    const data = parseListenerProgress(body);
    out.push({ t: this.clock!, kind: 'progress', data });
    return data;
  }

  private queryProgress(name: string, event: Json, out: Sample[]): void {
    const raw = need(name, event, 'progress', isObject, 'an object');
    const json = listenerJsonOf(raw);
    const started = isStr(json.timestamp) ? Date.parse(json.timestamp) : NaN;
    if (!Number.isFinite(started)) throw new PayloadError(`${name}: "progress.timestamp" is not a time`);
    const durations = isObject(json.durationMs) ? json.durationMs : {};
    const took = isCount(durations.triggerExecution) ? durations.triggerExecution : 0;
    this.advance(started + took, out);
    if (isStr(json.runId) && !this.queries.some((q) => q.runId === json.runId) && isStr(json.id)) {
      this.queries.push({ id: json.id, runId: json.runId, name: isStr(json.name) ? json.name : null });
    }
    const data = this.progressSample(out, [json]);
    this.meta.batches++;
    const kafka = this.kafkaSample(data.progress[0]!.sources as Json[]);
    if (kafka) out.push({ t: this.clock!, kind: 'kafka', data: kafka });
  }

  /** Spark's view of the topic's log end when it planned the batch (its Kafka source's `latestOffset`). */
  private kafkaSample(sources: Json[]): KafkaSample | null {
    if (this.meta.topic === null) {
      for (const s of sources) {
        const topic = kafkaTopicOf(s);
        if (topic !== null) {
          this.meta.topic = topic;
          break;
        }
      }
    }
    const topic = this.meta.topic;
    if (topic === null) return null;
    for (const s of sources) {
      const latest = latestOffsetsOf(s, topic);
      if (latest && latest.length > 0) {
        return { topic, partitions: latest.map((p) => ({ partition: p.partition, logEndOffset: p.offset, logStartOffset: null })), group: null, view: 'spark' };
      }
    }
    return null;
  }
}
