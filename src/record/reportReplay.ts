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

export interface ReportReplay {
  /** The next sample in file order. */
  push(s: Sample): void;
  /** After the last sample: the final derive. */
  finish(): ReplayResult;
}

/**
 * The replay fed one sample at a time, so a recording can stream through it: before a sample is
 * applied, every tick before its time is derived. That is the same sequence as deriving at each
 * tick after the file-order prefix delivered by then, since a tick is passed only when a sample
 * stamped later arrives, and every tick before the last time is passed on the way to it.
 */
export function createReportReplay(options: ModelOptions, startedAt: number, observers: readonly ReplayObserver[]): ReportReplay {
  const model = createModel(options);
  let start: number | null = null;
  let end = startedAt;
  let tick = 0;
  const show = (now: number) => {
    const d = derive(model, now);
    for (const o of observers) o.derived?.(d, model);
    return d;
  };
  return {
    push(s) {
      if (start === null) {
        start = end = s.t;
        tick = Math.floor(start / REPORT_TICK_MS) * REPORT_TICK_MS + REPORT_TICK_MS;
      }
      for (; tick < s.t; tick += REPORT_TICK_MS) show(tick);
      end = Math.max(end, s.t);
      for (const o of observers) o.before?.(s, model);
      applySample(model, s);
      for (const o of observers) o.after?.(s, model);
    },
    finish: () => ({ model, final: show(end), start: start ?? startedAt, end }),
  };
}

export function replayRecording(samples: Iterable<Sample>, options: ModelOptions, startedAt: number, observers: readonly ReplayObserver[]): ReplayResult {
  const replay = createReportReplay(options, startedAt, observers);
  for (const s of samples) replay.push(s);
  return replay.finish();
}
