/** What the model can be tuned with; every field has a default (createModel's `options`). */
import { resolveAdvisorOptions, type AdvisorOptions, type AdvisorOptionsInput } from './advisor/options.js';

export interface ModelWindows {
  /** Produce rate per partition: log-end offset deltas over this window. */
  produceMs: number;
  /** The lag trend per partition (lag at commit, newest vs. about this much earlier), for drain/double ETAs. */
  lagTrendMs: number;
  /** Executor shares, GC ratio and skew: cumulative counter deltas over this window, not since start. */
  executorMs: number;
}

export interface ModelThresholds {
  /** STALL: a partition's committed offset has not moved for max(stallFloorMs, stallBatches × expected batch interval), lag > 0. */
  stallFloorMs: number;
  stallBatches: number;
  /** STOP (by time): no batch committed for max(stopFloorMs, stopBatches × expected batch interval), lag > 0. */
  stopFloorMs: number;
  stopBatches: number;
  /** WARN: lag at commit did not decrease across this many consecutive commits... */
  warnCommits: number;
  /** ...and grew by at least this many seconds of the partition's produce rate in total. */
  warnMinGrowthSeconds: number;
  /** 'falling-behind': processed < input in this many consecutive batches (and lag growing). */
  behindBatches: number;
  /** An ETA is shown only when the lag changes by more than this fraction of the produce rate per second. */
  steadyFraction: number;
}

export interface ModelCapacity {
  kafkaHistory: number;
  lagSeries: number;
  commits: number;
  batches: number;
  /** Batches shown in the rates chart (Derived.rates.series). */
  rateSeries: number;
  /** Recent batches of the current app that p50/p95/max are computed over. */
  percentileBatches: number;
  executorHistory: number;
  events: number;
  marks: number;
  appChanges: number;
  stages: number;
  /** Experiment segments kept (view 7). */
  experiments: number;
}

export interface ModelOptions {
  /** The batch duration the user aims at (ms); default 20 000. */
  targetBatchMs?: number;
  /** The input topic; default: the topic the Kafka samples report. */
  topic?: string | null;
  windows?: Partial<ModelWindows>;
  thresholds?: Partial<ModelThresholds>;
  capacity?: Partial<ModelCapacity>;
  /** The advisor's thresholds and hysteresis. */
  advisor?: AdvisorOptionsInput;
  /** The application (id or name) and query (name or id) asked for (--app, --query-name). */
  app?: string | null;
  query?: string | null;
}

export interface ResolvedModelOptions {
  targetBatchMs: number;
  topic: string | null;
  windows: ModelWindows;
  thresholds: ModelThresholds;
  capacity: ModelCapacity;
  advisor: AdvisorOptions;
}

export const DEFAULT_WINDOWS: ModelWindows = { produceMs: 10_000, lagTrendMs: 30_000, executorMs: 30_000 };

export const DEFAULT_THRESHOLDS: ModelThresholds = {
  stallFloorMs: 15_000,
  stallBatches: 2,
  stopFloorMs: 60_000,
  stopBatches: 3,
  warnCommits: 3,
  warnMinGrowthSeconds: 1,
  behindBatches: 3,
  steadyFraction: 0.05,
};

export const DEFAULT_CAPACITY: ModelCapacity = {
  kafkaHistory: 256,
  lagSeries: 600,
  commits: 64,
  batches: 500,
  rateSeries: 120,
  percentileBatches: 100,
  executorHistory: 48,
  events: 500,
  marks: 200,
  appChanges: 100,
  stages: 500,
  experiments: 200,
};

export function resolveOptions(options: ModelOptions = {}): ResolvedModelOptions {
  const targetBatchMs = options.targetBatchMs ?? 20_000;
  if (!(targetBatchMs > 0)) throw new RangeError(`targetBatchMs must be positive, got ${targetBatchMs}`);
  return {
    targetBatchMs,
    topic: options.topic ?? null,
    windows: { ...DEFAULT_WINDOWS, ...options.windows },
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    capacity: { ...DEFAULT_CAPACITY, ...options.capacity },
    advisor: resolveAdvisorOptions(options.advisor),
  };
}
