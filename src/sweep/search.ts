/**
 * The rate search of one configuration: an exponential ramp (×2 from the start rate) until a step
 * is not sustainable or the maximum is reached, then bisection between the highest sustainable and
 * the lowest unsustainable rate until they are within the resolution. When the start rate is
 * already too much, the ramp goes down (÷2) instead. A step the generators could not deliver ends
 * the search: above it the test measures the generator, not Spark. So does an inconclusive step
 * (too few batches even in the longest window, --max-measure): it is neither a success nor a
 * failure, and another rate would not give more batches (the trigger interval or the batches'
 * length set how many fit), so walking down from it would only report "nothing sustainable"
 * about steps that were never judged.
 */
import type { SweepSettings } from './plan.js';

export type StepOutcome = 'sustainable' | 'unsustainable' | 'generator-bound' | 'inconclusive';

export interface SearchStep {
  rate: number;
  outcome: StepOutcome;
}

export type SearchEnd =
  | 'resolution reached'
  | 'max-rps reached'
  | 'step limit reached'
  | 'generator-bound'
  | 'inconclusive'
  | 'nothing sustainable down to min rate';

export interface SearchState {
  /** Highest rate found sustainable, null while none was. */
  lo: number | null;
  /** Lowest rate found unsustainable, null while none was. */
  hi: number | null;
  steps: SearchStep[];
  end: SearchEnd | null;
}

/** Rates are asked for in round numbers: 2 significant digits (7 500, 12 000, 150 000). */
export function roundRate(rate: number): number {
  if (rate <= 0) return 0;
  const magnitude = 10 ** Math.max(2, Math.floor(Math.log10(rate)) - 1);
  return Math.max(100, Math.round(rate / magnitude) * magnitude);
}

export function startSearch(): SearchState {
  return { lo: null, hi: null, steps: [], end: null };
}

/** Replays finished steps (a resumed configuration keeps nothing: it starts over). */
export function recordStep(state: SearchState, step: SearchStep): SearchState {
  const next: SearchState = { ...state, steps: [...state.steps, step] };
  if (step.outcome === 'sustainable') next.lo = Math.max(state.lo ?? 0, step.rate);
  else if (step.outcome === 'unsustainable') next.hi = Math.min(state.hi ?? Infinity, step.rate);
  else next.end = step.outcome;
  return next;
}

/** The next rate to try, or null when the search is over (`end` says why). */
export function nextRate(state: SearchState, s: SweepSettings): { rate: number | null; end: SearchEnd | null } {
  if (state.end) return { rate: null, end: state.end };
  const tried = new Set(state.steps.map((x) => x.rate));
  let rate: number;
  if (state.lo === null && state.hi === null) rate = s.startRps;
  else if (state.hi === null) {
    if (state.lo! >= s.maxRps) return { rate: null, end: 'max-rps reached' };
    rate = Math.min(s.maxRps, roundRate(state.lo! * 2));
  } else if (state.lo === null) {
    rate = roundRate(state.hi / 2);
    if (rate < s.minRps || tried.has(rate)) return { rate: null, end: 'nothing sustainable down to min rate' };
  } else {
    if (state.hi <= state.lo * (1 + s.resolution)) return { rate: null, end: 'resolution reached' };
    rate = roundRate((state.lo + state.hi) / 2);
    if (rate <= state.lo || rate >= state.hi || tried.has(rate)) return { rate: null, end: 'resolution reached' };
  }
  if (state.steps.length >= s.maxSteps) return { rate: null, end: 'step limit reached' };
  return { rate, end: null };
}

/** How many generators, and at what rate each, make `rate` records/s. */
export function generatorPlan(rate: number, s: SweepSettings): { count: number; ratePerGenerator: number } {
  const count = Math.min(s.maxGenerators, Math.max(1, Math.ceil(rate / s.rpsPerGenerator)));
  return { count, ratePerGenerator: Math.ceil(rate / count) };
}
