/**
 * Experiment segments (view 7): each change of resources or load starts one. Segments are cut from
 * what the samples show, so they work live, in replay and for apps sparktop did not start:
 * - the Spark application id changes (a resubmission, whoever made it);
 * - the generators' count, target rate per generator or paused state changes (`generators` samples);
 * - a `control` sample with action `resubmit` arrives (its detail names the requested resources).
 * Statistics accumulate incrementally per segment; segments and their duration samples are bounded.
 */
import type { JobResources } from '../domain/resources.js';
import type { BatchRow } from './derivedTypes.js';
import { Ring } from './ring.js';
import type { ControlSample, ExecutorsSample, GeneratorsSample, MasterSample, QueryProgress } from './samples.js';

export type ExperimentCause = 'start' | 'app' | 'generators' | 'resubmit';

export interface GeneratorsLoad {
  count: number;
  /** Null when the generators run at different rates. */
  ratePerGenerator: number | null;
  /** Sum over generators that are not paused. */
  targetRps: number;
  paused: boolean;
}

/** Incremental least squares of lag over time (x in seconds since the segment start). */
export interface LagFit {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  first: number | null;
  last: number | null;
}

export interface Segment {
  index: number;
  start: number;
  end: number | null;
  cause: ExperimentCause;
  appId: string | null;
  /** While a resubmission is under way: the app being replaced (answers still naming it start nothing). */
  replacing: string | null;
  load: GeneratorsLoad | null;
  requested: JobResources | null;
  commandLine: string | null;
  properties: Record<string, string> | null;
  /** Most active executors (the driver not counted) and their cores, seen during the segment. */
  executors: number | null;
  executorCores: number | null;
  /** Cores and memory per executor the master granted the app (activeapps). */
  masterCores: number | null;
  masterMemoryMb: number | null;
  stateShufflePartitions: number | null;
  /**
   * Batches from the listener, and batches seen only in the driver's jobs API. Kept apart: the jobs
   * API reports the same batches before the listener first answers; durations and rates prefer the
   * listener's.
   */
  listener: BatchStats;
  derived: BatchStats;
  lag: LagFit;
  /** The runs whose batches this segment counted (its app's runs; bounded). */
  runs: Set<string>;
}

export interface BatchStats {
  batches: number;
  warmupBatches: number;
  durations: Ring<number>;
  maxMs: number | null;
  /** Rows and Spark's own measured seconds, for row-weighted averages of input and processed rates. */
  rateRows: number;
  inputSeconds: number;
  processSeconds: number;
  rateBatches: number;
}

const batchStats = (): BatchStats => ({
  batches: 0,
  warmupBatches: 0,
  durations: new Ring(SEGMENT_DURATION_SAMPLES),
  maxMs: null,
  rateRows: 0,
  inputSeconds: 0,
  processSeconds: 0,
  rateBatches: 0,
});

export interface ExperimentsState {
  segments: Ring<Segment>;
  nextIndex: number;
  /** Batches seen per run (the first two of a run that starts in view are warm-up), bounded. */
  runBatches: Map<string, number>;
  /** Derived batches already counted (they are reported again on every jobs answer), bounded. */
  countedDerived: Ring<string>;
  countedDerivedSet: Set<string>;
  /**
   * Listener batches of a run the current segment's app has not shown, delivered while no driver
   * answered: which application they belong to is not known yet (a new application's listener often
   * answers before its driver does). The next application the driver names takes them.
   */
  parked: Array<{ row: BatchRow; progress: QueryProgress | null }>;
  version: number;
}

/** Durations kept per segment for its percentiles (the newest ones). */
export const SEGMENT_DURATION_SAMPLES = 512;
/** A load change this soon after another one, with no batch between, is the same change settling. */
export const LOAD_SETTLE_MS = 5000;
/** A control `ok` may refer to a segment that began this long before the action did. */
const CONTROL_SLACK_MS = 5000;
const RUNS_KEPT = 32;
const DERIVED_KEPT = 1024;
const SEGMENT_RUNS_KEPT = 64;
/** Batches of an unknown application held at most; beyond, they open a segment of an unknown app. */
export const PARKED_KEPT = 32;

export function createExperiments(capacity: number): ExperimentsState {
  return {
    segments: new Ring(capacity),
    nextIndex: 1,
    runBatches: new Map(),
    countedDerived: new Ring(DERIVED_KEPT),
    countedDerivedSet: new Set(),
    parked: [],
    version: 0,
  };
}

function newSegment(exp: ExperimentsState, t: number, cause: ExperimentCause, from: Segment | undefined): Segment {
  if (from) from.end = t;
  const seg: Segment = {
    index: exp.nextIndex++,
    start: t,
    end: null,
    cause,
    appId: from?.appId ?? null,
    replacing: null,
    load: from?.load ?? null,
    requested: from?.requested ?? null,
    commandLine: from?.commandLine ?? null,
    properties: from?.properties ?? null,
    executors: null,
    executorCores: null,
    masterCores: from?.masterCores ?? null,
    masterMemoryMb: from?.masterMemoryMb ?? null,
    stateShufflePartitions: from?.stateShufflePartitions ?? null,
    listener: batchStats(),
    derived: batchStats(),
    lag: { n: 0, sx: 0, sy: 0, sxx: 0, sxy: 0, first: null, last: null },
    runs: new Set(from?.runs),
  };
  exp.segments.push(seg);
  exp.version++;
  return seg;
}

/** The current segment; the first sample opens the first one. */
export function currentSegment(exp: ExperimentsState, t: number): Segment {
  return exp.segments.newest() ?? newSegment(exp, t, 'start', undefined);
}

/** A segment of another app starts with what that app was given, not what the previous one had. */
function forNewApp(seg: Segment, appId: string | null): void {
  seg.appId = appId;
  seg.runs = new Set();
  seg.requested = null;
  seg.commandLine = null;
  seg.properties = null;
  seg.masterCores = null;
  seg.masterMemoryMb = null;
  seg.stateShufflePartitions = null;
}

export function noteExperimentApp(exp: ExperimentsState, t: number, appId: string): void {
  const cur = currentSegment(exp, t);
  if (cur.appId === null && cur.replacing === appId) return; // the old app, still answering while it stops
  if (cur.appId === null) {
    cur.appId = appId;
    cur.replacing = null;
    exp.version++;
  } else if (cur.appId !== appId) {
    forNewApp(newSegment(exp, t, 'app', cur), appId);
  }
  countParked(exp);
}

/** The parked batches go to the current segment: its app is the one the driver names now. */
function countParked(exp: ExperimentsState): void {
  if (exp.parked.length === 0) return;
  const seg = exp.segments.newest()!;
  for (const { row, progress } of exp.parked.splice(0)) countIn(exp, seg, row, progress);
}

const seenBatches = (s: Segment) => s.listener.batches + s.listener.warmupBatches + s.derived.batches + s.derived.warmupBatches;

export function loadOf(sample: GeneratorsSample): GeneratorsLoad {
  const rates = new Set(sample.generators.map((g) => g.targetRps));
  const count = sample.generators.length;
  return {
    count,
    ratePerGenerator: rates.size === 1 ? [...rates][0]! : null,
    targetRps: sample.generators.reduce((s, g) => s + (g.paused ? 0 : g.targetRps), 0),
    paused: count > 0 && sample.generators.every((g) => g.paused),
  };
}

const loadKey = (l: GeneratorsLoad) => `${l.count}/${l.ratePerGenerator ?? 'mixed'}/${l.targetRps}/${l.paused}`;

export function noteExperimentLoad(exp: ExperimentsState, t: number, sample: GeneratorsSample): void {
  const cur = currentSegment(exp, t);
  const load = loadOf(sample);
  if (cur.load && loadKey(cur.load) === loadKey(load)) return;
  exp.version++;
  const settling = cur.cause === 'generators' && t - cur.start < LOAD_SETTLE_MS && seenBatches(cur) === 0;
  if (cur.load === null || settling) {
    cur.load = load;
    return;
  }
  newSegment(exp, t, 'generators', cur).load = load;
}

function isJobResources(v: unknown): v is JobResources {
  return typeof v === 'object' && v !== null && typeof (v as { conf?: unknown }).conf === 'object';
}

/**
 * `resubmit` control samples: `started` opens a segment awaiting the new app; `ok` names the
 * requested resources of the segment the new app opened (or opens one when none did yet).
 * Contract: detail.resources is a JobResources, detail.commandLine the spark-submit line,
 * detail.appId (optional) the new application; t is when the action ended, t − durationMs when it began.
 */
export function noteExperimentControl(exp: ExperimentsState, t: number, c: ControlSample): void {
  if (c.action !== 'resubmit' || c.result === 'failed') return;
  const cur = currentSegment(exp, t);
  const requested = isJobResources(c.detail.resources) ? c.detail.resources : null;
  const commandLine = typeof c.detail.commandLine === 'string' ? c.detail.commandLine : null;
  const newApp = typeof c.detail.appId === 'string' ? c.detail.appId : null;
  const began = t - (c.durationMs ?? 0) - CONTROL_SLACK_MS;
  // The new app may have opened a segment already (while the action ran), or a `started` did.
  const ours =
    (newApp !== null && cur.appId === newApp) ||
    ((cur.cause === 'resubmit' || cur.cause === 'app') && cur.start >= began && (c.result === 'ok' || cur.appId === null));
  const seg = ours ? cur : newSegment(exp, t, 'resubmit', cur);
  if (!ours) {
    const old = cur.appId;
    forNewApp(seg, newApp);
    seg.replacing = newApp === null ? old : null;
  }
  if (requested) seg.requested = requested;
  if (commandLine) seg.commandLine = commandLine;
  if (newApp !== null && seg.appId === null) seg.appId = newApp;
  exp.version++;
}

export function noteExperimentExecutors(exp: ExperimentsState, t: number, s: ExecutorsSample): void {
  const cur = currentSegment(exp, t);
  if (cur.appId !== s.appId) return;
  if (s.sparkProperties) cur.properties = s.sparkProperties;
  const active = s.executors.filter((e) => e.id !== 'driver' && e.isActive);
  if (active.length > 0 && active.length >= (cur.executors ?? 0)) {
    cur.executors = active.length;
    cur.executorCores = active.reduce((sum, e) => sum + e.totalCores, 0);
  }
  exp.version++;
}

export function noteExperimentMaster(exp: ExperimentsState, t: number, m: MasterSample): void {
  const cur = currentSegment(exp, t);
  const app = cur.appId === null ? undefined : m.activeapps.find((a) => a.id === cur.appId);
  if (!app) return;
  if (cur.masterCores === app.cores && cur.masterMemoryMb === app.memoryperslave) return;
  cur.masterCores = app.cores;
  cur.masterMemoryMb = app.memoryperslave;
  exp.version++;
}

/**
 * The segment a batch belongs to: the newest of its app that had started when the batch did
 * (a batch that straddles a change is the old segment's), else the oldest of its app.
 */
function segmentOf(exp: ExperimentsState, row: BatchRow): Segment | undefined {
  let fallback: Segment | undefined;
  for (let i = exp.segments.size - 1; i >= 0; i--) {
    const s = exp.segments.at(i)!;
    const sameApp = row.appId === null || s.appId === null || s.appId === row.appId;
    if (!sameApp) continue;
    if (s.start <= row.t) return s;
    fallback = s;
  }
  return fallback;
}

function countRun(exp: ExperimentsState, runId: string): number {
  const seen = (exp.runBatches.get(runId) ?? 0) + 1;
  exp.runBatches.set(runId, seen);
  if (exp.runBatches.size > RUNS_KEPT) exp.runBatches.delete(exp.runBatches.keys().next().value!);
  return seen;
}

/**
 * One finished batch. Warm-up batches are left out of rates and durations (they still count for
 * lag): the first two batches of a run sparktop saw start — batch ids from 0, or a run of an app
 * that started during the watch. The first pays the JVM's and the planner's start-up; the second
 * drains what Kafka received meanwhile. Both say nothing about the steady state of the resources.
 * `driverAnswers` false: no driver vouched for the current application when the listener delivered
 * the batch; a batch of a run the current segment has not counted is parked until a driver names
 * the application (its row carries the app the model knew then, which may be the old one).
 */
export function noteExperimentBatch(exp: ExperimentsState, row: BatchRow, progress: QueryProgress | null, driverAnswers = true): void {
  if (row.durationMs === null || !Number.isFinite(row.t)) return;
  if (row.origin !== 'derived' && !driverAnswers) {
    const cur = exp.segments.newest();
    if (cur && cur.appId !== null && !cur.runs.has(row.runId)) {
      exp.parked.push({ row, progress });
      if (exp.parked.length > PARKED_KEPT) {
        forNewApp(newSegment(exp, exp.parked[0]!.row.t, 'app', cur), null);
        countParked(exp);
      }
      return;
    }
  }
  if (row.origin === 'derived') {
    const key = `${row.runId}/${row.batchId}`;
    if (exp.countedDerivedSet.has(key)) return;
    const evicted = exp.countedDerived.push(key);
    if (evicted !== undefined) exp.countedDerivedSet.delete(evicted);
    exp.countedDerivedSet.add(key);
  }
  const seg = segmentOf(exp, row);
  if (seg) countIn(exp, seg, row, progress);
}

/** Counts a finished batch (its duration known) in `seg`. */
function countIn(exp: ExperimentsState, seg: Segment, row: BatchRow, progress: QueryProgress | null): void {
  const durationMs = row.durationMs!;
  exp.version++;
  seg.runs.add(row.runId);
  if (seg.runs.size > SEGMENT_RUNS_KEPT) seg.runs.delete(seg.runs.values().next().value!);
  const nth = countRun(exp, `${row.origin ?? 'listener'}/${row.runId}`);
  const runStartedInView = nth === row.batchId + 1 || (seg.cause !== 'start' && seg.cause !== 'generators');
  const shuffle = progress?.stateOperators.find((o) => typeof o.numShufflePartitions === 'number')?.numShufflePartitions;
  if (typeof shuffle === 'number') seg.stateShufflePartitions = shuffle;
  const stats = row.origin === 'derived' ? seg.derived : seg.listener;
  if (nth <= 2 && runStartedInView) {
    stats.warmupBatches++;
    return;
  }
  stats.batches++;
  stats.durations.push(durationMs);
  stats.maxMs = Math.max(stats.maxMs ?? 0, durationMs);
  const rows = row.numInputRows;
  if (rows !== null && rows > 0 && row.inputRps !== null && row.inputRps > 0 && row.processedRps !== null && row.processedRps > 0) {
    stats.rateRows += rows;
    stats.inputSeconds += rows / row.inputRps;
    stats.processSeconds += rows / row.processedRps;
    stats.rateBatches++;
  }
}

/**
 * A total-lag point. Only the current segment's own app counts: `referenceAppId` is the app whose
 * committed offsets the lag is measured against, so neither the old app's offsets after a
 * resubmission nor the gap while no driver answers are held against the new resources.
 */
export function noteExperimentLag(exp: ExperimentsState, t: number, lag: number | null, referenceAppId: string | null, driverUp: boolean): void {
  const cur = currentSegment(exp, t);
  if (lag === null || !driverUp || cur.appId === null || referenceAppId !== cur.appId) return;
  const x = (t - cur.start) / 1000;
  const f = cur.lag;
  f.n++;
  f.sx += x;
  f.sy += lag;
  f.sxx += x * x;
  f.sxy += x * lag;
  f.first ??= lag;
  f.last = lag;
  exp.version++;
}

/** Least-squares slope of lag over time (records per second); null with fewer than 3 points. */
export function lagSlope(f: LagFit): number | null {
  if (f.n < 3) return null;
  const d = f.n * f.sxx - f.sx * f.sx;
  return d > 0 ? (f.n * f.sxy - f.sx * f.sy) / d : null;
}
