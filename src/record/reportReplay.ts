/**
 * The report's one pass over a recording: the samples go through the model in file order and the
 * model is derived once per second of the recorded clock (on its 1 s grid, as the live monitor's
 * refresh does, so the advisor's hysteresis counts the same evaluations), then once at the end.
 * Observers see every sample (before and after it is applied) and every derived snapshot: they keep
 * what the model only holds for a bounded window.
 */
import { applySample, createModel, derive, type ModelOptions, type ModelState } from '../model/index.js';
import type { Derived } from '../model/derivedTypes.js';
import type { Sample } from '../model/samples.js';

export const REPORT_TICK_MS = 1000;

export interface ReplayObserver {
  before?(s: Sample, model: ModelState): void;
  after?(s: Sample, model: ModelState): void;
  derived?(d: Derived, model: ModelState): void;
}

export interface ReplayResult {
  model: ModelState;
  /** Derived at the last sample's time. */
  final: Derived;
  start: number;
  end: number;
}

export function replayRecording(samples: readonly Sample[], options: ModelOptions, startedAt: number, observers: readonly ReplayObserver[]): ReplayResult {
  const model = createModel(options);
  const start = samples[0]?.t ?? startedAt;
  const end = samples.reduce((max, s) => Math.max(max, s.t), start);
  const apply = (s: Sample) => {
    for (const o of observers) o.before?.(s, model);
    applySample(model, s);
    for (const o of observers) o.after?.(s, model);
  };
  const show = (now: number) => {
    const d = derive(model, now);
    for (const o of observers) o.derived?.(d, model);
    return d;
  };
  let i = 0;
  for (let tick = Math.floor(start / REPORT_TICK_MS) * REPORT_TICK_MS + REPORT_TICK_MS; tick < end; tick += REPORT_TICK_MS) {
    // Delivered by `tick`: the file-order prefix whose times are all ≤ tick (as replay does).
    while (i < samples.length && samples[i]!.t <= tick) apply(samples[i++]!);
    show(tick);
  }
  while (i < samples.length) apply(samples[i++]!);
  return { model, final: show(end), start, end };
}
