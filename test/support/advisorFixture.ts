/**
 * The advisor on a recorded lab run, optionally with the samples transformed: for situations no
 * recording shows (skew, GC, lost executors…), a test changes a few fields of copies of the real
 * samples, explicitly, instead of inventing payloads. Derives once per refresh, as the monitor does.
 */
import type { Derived } from '../../src/model/derivedTypes.js';
import { applySample, createModel, derive, type ModelOptions } from '../../src/model/index.js';
import type { ExecutorSample, Sample } from '../../src/model/samples.js';
import { REFRESH_MS } from './derivedFromFixture.js';
import { answersFromFixture, samplesPerAnswer } from './samplesFromFixture.js';

export interface AdvisorRun {
  /** Derived after every refresh, oldest first. */
  moments: Derived[];
  end: Derived;
}

export interface AdvisorRunOptions {
  /** Returns the sample to apply (a changed copy, or the original); `index` is the answer's index. */
  transform?: (sample: Sample, index: number) => Sample | Sample[];
  model?: ModelOptions;
  /** Last answer index applied (default: all). */
  until?: number;
}

/** Every condition the moment it holds, no hysteresis. */
export const RAW: ModelOptions = { advisor: { hysteresis: { raiseAfter: 1, clearAfter: 1, healthyAfter: 1 } } };

export function runAdvisor(scenario: string, options: AdvisorRunOptions = {}): AdvisorRun {
  const answers = answersFromFixture(scenario);
  const perAnswer = samplesPerAnswer(scenario);
  const model = createModel(options.model);
  const last = options.until ?? answers.length - 1;
  const moments: Derived[] = [];
  let derivedAt = -Infinity;
  for (let i = 0; i <= last; i++) {
    for (const s of perAnswer[i]!) {
      const out = options.transform ? options.transform(s, i) : s;
      for (const x of Array.isArray(out) ? out : [out]) applySample(model, x);
    }
    if (answers[i]!.t - derivedAt >= REFRESH_MS || i === last) moments.push(derive(model, (derivedAt = answers[i]!.t)));
  }
  return { moments, end: moments[moments.length - 1]! };
}

/** A copy of an executors sample with the executor `id` changed by `change` (the others untouched). */
export function withExecutor(sample: Sample, id: string, change: (e: ExecutorSample) => Partial<ExecutorSample>): Sample {
  if (sample.kind !== 'executors') return sample;
  return { ...sample, data: { ...sample.data, executors: sample.data.executors.map((e) => (e.id === id ? { ...e, ...change(e) } : e)) } };
}

/** The ids of the active findings. */
export const ids = (d: Derived) => d.findings.map((f) => f.id);

/** The first moment a finding is active, or undefined. */
export const firstWith = (run: AdvisorRun, id: string) => run.moments.find((d) => d.findings.some((f) => f.id === id));

export const findingOf = (d: Derived | undefined, id: string) => d?.findings.find((f) => f.id === id);

export const fact = (d: Derived | undefined, id: string, label: string) => findingOf(d, id)?.evidence.facts.find((f) => f.label === label)?.value;
