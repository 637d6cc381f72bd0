/**
 * Experiment segments (view 7): each change of resources or load starts one (experiments.ts says
 * when); a segment holds what the run had and its statistics, accumulated incrementally and bounded.
 */
import type { JobResources } from '../domain/resources.js';
import type { BatchRow } from './derivedTypes.js';
import { Ring } from './ring.js';
import type { QueryProgress } from './samples.js';

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
const SEGMENT_DURATION_SAMPLES = 512;
const DERIVED_KEPT = 1024;

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

export function newSegment(exp: ExperimentsState, t: number, cause: ExperimentCause, from: Segment | undefined): Segment {
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
export function forNewApp(seg: Segment, appId: string | null): void {
  seg.appId = appId;
  seg.runs = new Set();
  seg.requested = null;
  seg.commandLine = null;
  seg.properties = null;
  seg.masterCores = null;
  seg.masterMemoryMb = null;
  seg.stateShufflePartitions = null;
}
