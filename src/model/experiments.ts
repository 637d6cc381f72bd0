/**
 * Experiment segments (view 7): each change of resources or load starts one. Segments are cut from
 * what the samples show, so they work live, in replay and for apps sparktop did not start:
 * - the Spark application id changes (a resubmission, whoever made it);
 * - the generators' count, target rate per generator or paused state changes (`generators` samples);
 * - a `control` sample with action `resubmit` arrives (its detail names the requested resources).
 * The segments themselves are experimentSegments.ts; batches are counted in experimentBatches.ts.
 */
import type { JobResources } from '../domain/resources.js';
import { countParked } from './experimentBatches.js';
import { currentSegment, forNewApp, newSegment, type ExperimentsState, type GeneratorsLoad, type LagFit, type Segment } from './experimentSegments.js';
import type { ControlSample, ExecutorsSample, GeneratorsSample, MasterSample } from './samples.js';

/** A load change this soon after another one, with no batch between, is the same change settling. */
const LOAD_SETTLE_MS = 5000;
/** A control `ok` may refer to a segment that began this long before the action did. */
const CONTROL_SLACK_MS = 5000;

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
