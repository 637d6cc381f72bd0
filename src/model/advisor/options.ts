/** The advisor's thresholds and hysteresis; every field has a default (ModelOptions.advisor). */

export interface AdvisorThresholds {
  /** Dr. Elephant's executor skew levels (max ÷ median); a finding from `moderate` on, an error from `severe`. */
  skew: { low: number; moderate: number; severe: number; critical: number };
  /** GC time ÷ task time of the worst executor over the recent window: warn above, error from `gcError`. */
  gcRatio: number;
  gcError: number;
  /** Storage memory used ÷ capacity of the worst executor. */
  memoryRatio: number;
  /** shuffle-partitions: more than this many per core is too many (when the tasks are tiny)... */
  shufflePerCore: number;
  /** ...and a task below this (ms of executor run time on average) is tiny. */
  tinyTaskMs: number;
  /** state-growth: state rows grew over this many consecutive batches... */
  stateGrowthBatches: number;
  /** ...by at least this fraction in total (a key space that is nearly full grows by less). */
  stateGrowthMin: number;
  /** generator-bound: produce rate below this fraction of generators × target rate. */
  generatorFraction: number;
  /** executor-lost / failed-tasks look back this far (ms). */
  failureWindowMs: number;
}

export interface AdvisorHysteresis {
  /** At most one evaluation per this much time of the clock given to derive. */
  evaluateEveryMs: number;
  /** A finding becomes active after its condition held in this many consecutive evaluations... */
  raiseAfter: number;
  /** ...and clears after it was false in this many. */
  clearAfter: number;
  /** `healthy` needs this many consecutive evaluations without any condition. */
  healthyAfter: number;
  /** Recently cleared findings kept for the advisor view. */
  cleared: number;
  /**
   * One look, no history (`status`, `check`): a rule's own longer qualification (generator-bound
   * waits out its 10 s produce-rate average) does not apply, or it would never be reported.
   */
  oneLook: boolean;
}

export interface AdvisorOptions {
  thresholds: AdvisorThresholds;
  hysteresis: AdvisorHysteresis;
}

export type SkewLevels = AdvisorThresholds['skew'];

export interface AdvisorOptionsInput {
  thresholds?: Partial<Omit<AdvisorThresholds, 'skew'>> & { skew?: Partial<SkewLevels> };
  hysteresis?: Partial<AdvisorHysteresis>;
}

export const DEFAULT_ADVISOR_THRESHOLDS: AdvisorThresholds = {
  skew: { low: 1.33, moderate: 1.78, severe: 3.16, critical: 10 },
  gcRatio: 0.1,
  gcError: 0.15,
  memoryRatio: 0.8,
  shufflePerCore: 8,
  tinyTaskMs: 200,
  stateGrowthBatches: 10,
  stateGrowthMin: 0.01,
  generatorFraction: 0.9,
  failureWindowMs: 60_000,
};

export const DEFAULT_HYSTERESIS: AdvisorHysteresis = { evaluateEveryMs: 1000, raiseAfter: 3, clearAfter: 10, healthyAfter: 5, cleared: 20, oneLook: false };

/** One look, no history (`status`, `check`): every condition that holds now is reported. */
export const SNAPSHOT_HYSTERESIS: Partial<AdvisorHysteresis> = { raiseAfter: 1, clearAfter: 1, healthyAfter: 1, oneLook: true };

/** `later` over `earlier`, field by field (skew levels too). */
export function mergeAdvisorInputs(earlier: AdvisorOptionsInput, later: AdvisorOptionsInput): AdvisorOptionsInput {
  return {
    thresholds: { ...earlier.thresholds, ...later.thresholds, skew: { ...earlier.thresholds?.skew, ...later.thresholds?.skew } },
    hysteresis: { ...earlier.hysteresis, ...later.hysteresis },
  };
}

/** Why the skew levels cannot be used (they must ascend), or null. */
export function skewOrderProblem(skew: SkewLevels): string | null {
  const { low, moderate, severe, critical } = skew;
  return low < moderate && moderate < severe && severe < critical ? null : `expected ascending skew levels low < moderate < severe < critical, got ${low}, ${moderate}, ${severe}, ${critical}`;
}

export function resolveAdvisorOptions(input: AdvisorOptionsInput = {}): AdvisorOptions {
  const hysteresis = { ...DEFAULT_HYSTERESIS, ...input.hysteresis };
  for (const k of ['raiseAfter', 'clearAfter', 'healthyAfter', 'cleared'] as const) {
    if (!Number.isInteger(hysteresis[k]) || hysteresis[k] < 1) throw new RangeError(`advisor hysteresis ${k} must be a positive integer, got ${hysteresis[k]}`);
  }
  const thresholds = { ...DEFAULT_ADVISOR_THRESHOLDS, ...input.thresholds, skew: { ...DEFAULT_ADVISOR_THRESHOLDS.skew, ...input.thresholds?.skew } };
  const order = skewOrderProblem(thresholds.skew);
  if (order) throw new RangeError(`advisor thresholds: ${order}`);
  return { thresholds, hysteresis };
}
