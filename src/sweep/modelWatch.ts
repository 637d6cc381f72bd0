/** The sweep's view of the pipeline: the live model (findings, lag) and the raw samples a step measures. */
import { derive, type ModelState } from '../model/index.js';
import type { Sample } from '../model/samples.js';
import type { SweepWatch } from './runner.js';

export interface ModelWatch extends SweepWatch {
  /** Every sample the model is given also goes here. */
  onSample(s: Sample): void;
}

/** Keeps Kafka and progress samples (all a step's measurement reads) since the oldest still needed. */
export function modelWatch(model: ModelState, now: () => number = Date.now): ModelWatch {
  let kept: Sample[] = [];
  return {
    onSample(s) {
      if (s.kind === 'kafka' || s.kind === 'progress') kept.push(s);
    },
    samplesSince(t) {
      return kept.filter((s) => s.t >= t);
    },
    forgetBefore(t) {
      kept = kept.filter((s) => s.t >= t);
    },
    findings: () => derive(model, now()).findings,
    totalLag: () => derive(model, now()).partitions.totalLag,
    thresholds: () => model.options.advisor.thresholds,
  };
}
