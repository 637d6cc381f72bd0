/**
 * The model's state and the one way into it: `applySample`. Deterministic, no I/O, no clock: time
 * comes from `sample.t` (and from the `now` given to `derive`). Every history is a ring buffer.
 */
import { createAdvisorState, type AdvisorState } from './advisor/index.js';
import { applyProgress } from './applyProgress.js';
import { applyCheckpoint } from './checkpointLag.js';
import { createBatches, type BatchesState } from './batches.js';
import type { EventRow } from './derivedTypes.js';
import { createEventLog, logEvent, type EventLog } from './events.js';
import {
  noteExperimentApp,
  noteExperimentControl,
  noteExperimentExecutors,
  noteExperimentLag,
  noteExperimentLoad,
  noteExperimentMaster,
} from './experiments.js';
import { createExperiments, type ExperimentsState } from './experimentSegments.js';
import { applyExecutorsSample, createExecutors, type ExecutorsState } from './executors.js';
import { applyKafkaSample, createKafkaState, type KafkaReset, type KafkaState } from './kafkaState.js';
import { createLagState, onKafkaSample, onKafkaUnreachable, type LagState } from './lag.js';
import { resolveOptions, type ModelOptions, type ResolvedModelOptions } from './options.js';
import { createQueries, type QueriesState } from './queries.js';
import { Ring } from './ring.js';
import type { ControlSample, GeneratorsSample, MasterSample, QuerySettings, Sample, StagesSample } from './samples.js';
import { createSources, markSourceError, markSourceOk, type SourcesState } from './sources.js';
import { resolveApp, type SelectionRequest } from './selection.js';

export interface AppState {
  id: string | null;
  name: string | null;
  startedAt: number | null;
  /** Spark properties that matter for tuning, once the driver's /environment was read. */
  properties: Record<string, string> | null;
  /** The query's options as its job told the listener (trigger, batch cap); null: not told. */
  querySettings: QuerySettings | null;
}

export interface ModelState {
  options: ResolvedModelOptions;
  /** Time of the newest sample applied. */
  lastT: number | null;
  app: AppState;
  appChanges: Ring<{ t: number; appId: string }>;
  marks: Ring<{ t: number; note: string }>;
  events: EventLog;
  sources: SourcesState;
  kafka: KafkaState;
  lag: LagState;
  batches: BatchesState;
  queries: QueriesState;
  executors: ExecutorsState;
  stages: StagesSample | null;
  master: MasterSample | null;
  generators: GeneratorsSample | null;
  /** What to watch (--app, --query-name, the list): requests, resolved by derive. */
  selection: SelectionRequest;
  experiments: ExperimentsState;
  /** The advisor's hysteresis, advanced by derive (at most once per evaluation interval of its clock). */
  advisor: AdvisorState;
  /** derive's cache of display arrays, keyed by the versions they were built from. */
  memo: Map<string, { key: string; value: unknown }>;
}

export function createModel(options: ModelOptions = {}): ModelState {
  const o = resolveOptions(options);
  return {
    options: o,
    lastT: null,
    app: { id: null, name: null, startedAt: null, properties: null, querySettings: null },
    appChanges: new Ring(o.capacity.appChanges),
    marks: new Ring(o.capacity.marks),
    events: createEventLog(o.capacity.events),
    sources: createSources(),
    kafka: createKafkaState(o.capacity.kafkaHistory, o.topic),
    lag: createLagState(o.capacity.commits, o.capacity.lagSeries),
    batches: createBatches(o.capacity.batches),
    queries: createQueries(),
    executors: createExecutors(),
    stages: null,
    master: null,
    generators: null,
    selection: { app: options.app ?? null, query: options.query ?? null },
    experiments: createExperiments(o.capacity.experiments),
    advisor: createAdvisorState(o.advisor.hysteresis.cleared),
    memo: new Map(),
  };
}

/** Notes the application a driver answer is about; a different id than before is a resubmission. */
function noteApp(state: ModelState, t: number, appId: string, details?: { name: string; startedAt: number | null; properties: Record<string, string> | null }): void {
  const app = state.app;
  noteExperimentApp(state.experiments, t, appId);
  if (app.id !== appId) {
    if (app.id !== null) {
      state.appChanges.push({ t, appId });
      logEvent(state.events, t, 'warn', `application changed: ${app.id} → ${appId}${details ? ` (${details.name})` : ''}`);
    } else logEvent(state.events, t, 'info', `application ${appId}${details ? ` (${details.name})` : ''}`);
    state.app = { id: appId, name: null, startedAt: null, properties: null, querySettings: null };
    if (state.stages && state.stages.appId !== appId) state.stages = null;
    // Streaming gauges are the old driver's: the new one's come with its next jobs answer.
    state.batches.metrics = [];
  }
  if (details) {
    state.app.name = details.name;
    state.app.startedAt = details.startedAt;
    if (details.properties) state.app.properties = details.properties;
  }
}

function controlText(c: ControlSample): string {
  const detail = Object.entries(c.detail)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const took = c.durationMs !== null && c.result !== 'started' ? ` in ${(c.durationMs / 1000).toFixed(1)} s` : '';
  return `${c.action}${detail ? ` ${detail}` : ''}: ${c.result}${took}${c.message ? ` (${c.message})` : ''}`;
}

function resetText(topic: string | null, r: KafkaReset): string {
  const what =
    r.to === null ? `partition ${r.partition} is gone` : `partition ${r.partition}'s log-end offset went back from ${r.from} to ${r.to}`;
  const count = r.partitionsBefore === r.partitionsAfter ? `${r.partitionsAfter} partitions` : `partitions ${r.partitionsBefore} → ${r.partitionsAfter}`;
  return `Kafka topic ${topic ?? '?'} was recreated (${what}; ${count}): lag is unknown until Spark commits offsets of the new topic`;
}

export function applySample(state: ModelState, sample: Sample): ModelState {
  const t = sample.t;
  state.lastT = state.lastT === null ? t : Math.max(state.lastT, t);
  switch (sample.kind) {
    case 'kafka': {
      markSourceOk(state.sources, state.events, 'kafka', t);
      const resetBefore = state.kafka.reset;
      if (applyKafkaSample(state.kafka, t, sample.data)) {
        if (state.kafka.reset !== resetBefore && state.kafka.reset) logEvent(state.events, t, 'warn', resetText(state.kafka.topic, state.kafka.reset));
        onKafkaSample(state.lag, state.kafka, t, { appId: state.app.id, appStartedAt: state.app.startedAt, sources: state.sources, queries: state.queries });
        const lag = state.lag.series.newest()?.lag ?? null;
        noteExperimentLag(state.experiments, t, lag, state.lag.reference?.appId ?? null, state.sources.driver.ok === true);
      }
      break;
    }
    case 'executors': {
      const d = sample.data;
      markSourceOk(state.sources, state.events, 'driver', t);
      noteApp(state, t, d.appId, { name: d.appName, startedAt: d.appStartedAt, properties: d.sparkProperties });
      noteExperimentExecutors(state.experiments, t, d);
      const { windows, capacity } = state.options;
      const changes = applyExecutorsSample(state.executors, t, d, capacity.executorHistory, windows.executorMs);
      for (const e of changes.added) logEvent(state.events, t, 'info', `executor ${e.id} added (${e.hostPort}, ${e.totalCores} core${e.totalCores === 1 ? '' : 's'})`);
      for (const e of changes.removed) logEvent(state.events, t, 'warn', `executor ${e.id} removed${e.removeReason ? `: ${e.removeReason}` : ''}`);
      break;
    }
    case 'stages':
      markSourceOk(state.sources, state.events, 'driver', t);
      noteApp(state, t, sample.data.appId);
      state.stages = sample.data;
      break;
    case 'jobs':
      markSourceOk(state.sources, state.events, 'driver', t);
      noteApp(state, t, sample.data.appId);
      break;
    case 'progress':
      // Derived batches come from the driver's jobs answer, which already marked the driver.
      if (sample.data.origin === 'listener') markSourceOk(state.sources, state.events, 'progress', t);
      // The listener lives in the driver: what it says is about the current app (a new one resets it).
      if (sample.data.settings) state.app.querySettings = sample.data.settings;
      applyProgress(state, t, sample.data);
      break;
    case 'checkpoint':
      markSourceOk(state.sources, state.events, 'checkpoint', t);
      applyCheckpoint(state, t, sample.data);
      break;
    case 'master':
      markSourceOk(state.sources, state.events, 'master', t);
      state.master = sample.data;
      noteExperimentMaster(state.experiments, t, sample.data);
      break;
    case 'generators':
      state.generators = sample.data;
      noteExperimentLoad(state.experiments, t, sample.data);
      break;
    case 'source-error':
      markSourceError(state.sources, state.events, sample.data.source, t, sample.data.message);
      if (sample.data.source === 'kafka') onKafkaUnreachable(state.lag, t);
      break;
    case 'control': {
      const c = sample.data;
      const level: EventRow['level'] = c.result === 'failed' ? 'error' : 'info';
      logEvent(state.events, t, level, controlText(c));
      noteExperimentControl(state.experiments, t, c);
      break;
    }
    case 'mark':
      state.marks.push({ t, note: sample.data.note });
      logEvent(state.events, t, 'info', `mark: ${sample.data.note}`);
      break;
    case 'select': {
      const before = state.selection;
      const next = sample.data;
      if (before.app === next.app && before.query === next.query) break;
      state.selection = { app: next.app, query: next.query };
      if (before.app !== next.app) {
        logEvent(state.events, t, 'info', `watching ${next.app === null ? 'the application of --spark-ui' : `application ${next.app}`}`);
        // What belongs to the old application goes at once (not when the new driver first answers).
        const r = resolveApp(next.app, state.master?.activeapps ?? null);
        if (r.kind === 'found') noteApp(state, t, r.app.id, { name: r.app.name, startedAt: r.app.starttime, properties: null });
      } else logEvent(state.events, t, 'info', `showing query ${next.query ?? '(the first)'}`);
      state.memo.clear();
      break;
    }
  }
  return state;
}
