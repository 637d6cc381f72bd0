/**
 * Spark listener events (one parsed line of an event log each) → the samples the live sources
 * would have delivered (docs/ARCHITECTURE.md "Event logs"). Pure and streaming: no I/O, no clock,
 * and memory bounded by the run's live objects (executors, the newest stages and jobs, the queries),
 * never by the log's length.
 *
 * - `executors`, `stages`, `jobs` (executorTotals.ts, stagesAndJobs.ts): what the driver's REST
 *   API would have answered, built up from the events (executors' cumulative totals from TaskEnd,
 *   like Spark's AppStatusListener), given at most once per second of the log's clock when
 *   something changed, stamped at that second.
 * - `progress` (progressEvents.ts): Spark's `StreamingQueryProgress` as the progress listener
 *   serves it. The event log holds it as Jackson wrote the Scala object: offsets as JSON text and
 *   without the sums `numInputRows`, `inputRowsPerSecond`, `processedRowsPerSecond` (methods, not
 *   fields), which are added as Spark's `json` computes them. Stamped at the batch's end (start +
 *   triggerExecution).
 * - `kafka` (progressEvents.ts): Kafka's log end is not in an event log. Each batch's Kafka source
 *   carries the latest offsets Spark saw when it planned the batch (`latestOffset`); they become a
 *   Kafka sample at the batch's end marked `view: 'spark'`, so lag reads as Spark's own
 *   offsets-behind-latest metrics.
 */
import type { ProgressSample, Sample } from '../../model/samples.js';
import { PayloadError } from '../payload.js';
import { TUNING_PROPERTIES } from '../parseDriver.js';
import { isNum, isObject, isStr, need, optTime, type Json } from './eventJson.js';
import { ExecutorTotals } from './executorTotals.js';
import { batchEndOf, firstKafkaTopic, listenerJsonOf, QUERY_PROGRESS, QUERY_STARTED, QUERY_TERMINATED, QueryRuns, sparkKafkaView } from './progressEvents.js';
import { Jobs, Stages } from './stagesAndJobs.js';
import { taskEndOf } from './taskEnd.js';

export { restDate } from './eventJson.js';
export { listenerJsonOf, STREAMING_EVENT } from './progressEvents.js';

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

export class EventLogConverter {
  private readonly tickMs: number;
  /** The log's clock: the newest event time seen (events are logged in the order they happened). */
  private clock: number | null = null;
  /** The end of the current second: snapshots of what changed are given when an event passes it. */
  private tickEnd: number | null = null;
  private readonly dirty = { executors: false, stages: false, jobs: false };
  private readonly executors = new ExecutorTotals();
  private readonly stages = new Stages();
  private readonly jobs = new Jobs();
  private readonly runs = new QueryRuns();
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
   * does not use (SQL executions, block updates, …) are passed over. An event's time moves the
   * clock before the event is applied, so the snapshots of the seconds it passes do not hold it.
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
      case 'SparkListenerExecutorAdded': {
        const t = need(name, event, 'Timestamp', isNum, 'a time');
        this.advance(t, out);
        this.executors.added(name, event, t);
        this.dirty.executors = true;
        break;
      }
      case 'SparkListenerExecutorRemoved': {
        const t = need(name, event, 'Timestamp', isNum, 'a time');
        this.advance(t, out);
        this.executors.removed(name, event, t);
        this.dirty.executors = true;
        break;
      }
      case 'SparkListenerBlockManagerAdded': {
        const manager = need(name, event, 'Block Manager ID', isObject, 'an object');
        const t = optTime(event, 'Timestamp');
        if (t !== null) this.advance(t, out);
        this.executors.blockManagerAdded(name, event, manager, t);
        this.dirty.executors = true;
        break;
      }
      case 'SparkListenerJobStart': {
        const t = need(name, event, 'Submission Time', isNum, 'a time');
        this.advance(t, out);
        this.jobs.started(name, event, t);
        this.dirty.jobs = true;
        break;
      }
      case 'SparkListenerJobEnd': {
        const t = need(name, event, 'Completion Time', isNum, 'a time');
        this.advance(t, out);
        if (this.jobs.ended(name, event, t)) this.dirty.jobs = true;
        break;
      }
      case 'SparkListenerStageSubmitted': {
        const info = need(name, event, 'Stage Info', isObject, 'an object');
        const t = optTime(info, 'Submission Time');
        if (t !== null) this.advance(t, out);
        this.stages.submitted(name, event, info, t);
        this.dirty.stages = true;
        break;
      }
      case 'SparkListenerStageCompleted': {
        const info = need(name, event, 'Stage Info', isObject, 'an object');
        const t = optTime(info, 'Completion Time');
        if (t !== null) this.advance(t, out);
        if (this.stages.completed(name, info, t ?? this.clock)) this.dirty.stages = true;
        break;
      }
      case 'SparkListenerTaskStart': {
        const info = need(name, event, 'Task Info', isObject, 'an object');
        const t = optTime(info, 'Launch Time');
        if (t !== null) this.advance(t, out);
        if (this.executors.taskStarted(name, info)) this.dirty.executors = true;
        if (this.stages.taskStarted(name, event)) this.dirty.stages = true;
        break;
      }
      case 'SparkListenerTaskEnd': {
        const info = need(name, event, 'Task Info', isObject, 'an object');
        const t = optTime(info, 'Finish Time');
        if (t !== null) this.advance(t, out);
        const end = taskEndOf(event, info, t);
        if (this.executors.taskEnded(name, info, end)) this.dirty.executors = true;
        if (this.stages.taskEnded(name, event, end)) this.dirty.stages = true;
        break;
      }
      case QUERY_STARTED: {
        const t = this.runs.started(name, event);
        if (Number.isFinite(t)) this.advance(t, out);
        this.progressSample(out, []);
        break;
      }
      case QUERY_PROGRESS:
        this.queryProgress(name, event, out);
        break;
      case QUERY_TERMINATED:
        this.runs.ended(name, event);
        if (this.clock !== null) this.progressSample(out, []);
        break;
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
          executors: this.executors.rows(),
          sparkProperties: this.meta.properties,
        },
      });
    }
    if (this.dirty.stages) out.push({ t, kind: 'stages', data: { appId, stages: this.stages.rows() } });
    if (this.dirty.jobs) out.push({ t, kind: 'jobs', data: { appId, jobs: this.jobs.rows() } });
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

  private progressSample(out: Sample[], progress: Json[]): ProgressSample {
    const data = this.runs.sample(progress, this.settings);
    out.push({ t: this.clock!, kind: 'progress', data });
    return data;
  }

  private queryProgress(name: string, event: Json, out: Sample[]): void {
    const json = listenerJsonOf(need(name, event, 'progress', isObject, 'an object'));
    this.advance(batchEndOf(name, json), out);
    this.runs.seen(json);
    const data = this.progressSample(out, [json]);
    this.meta.batches++;
    const sources = data.progress[0]!.sources as Json[];
    this.meta.topic ??= firstKafkaTopic(sources);
    const kafka = this.meta.topic === null ? null : sparkKafkaView(this.meta.topic, sources);
    if (kafka) out.push({ t: this.clock!, kind: 'kafka', data: kafka });
  }
}
