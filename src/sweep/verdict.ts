/**
 * One rate step judged: sustainable when Spark processed at least what came in, the lag did not
 * grow and the p95 batch stayed under the target — the criteria of the experiments view (verdictOf)
 * — unless the generators did not deliver the rate asked for: then the step measured the
 * generator, not Spark. The limiting factor is what the advisor names at the step's end.
 */
import { verdictOf } from '../model/experimentRows.js';
import type { Finding } from '../model/derivedTypes.js';
import type { StepMeasurement } from './measure.js';
import type { StepOutcome } from './search.js';
import { formatInt } from '../text/format.js';

/**
 * Causes before symptoms: when several findings are active, the one that says why is named
 * (read-parallelism explains falling-behind, not the other way round).
 */
const CAUSE_ORDER = [
  'generator-bound',
  'executor-lost',
  'failed-tasks',
  'resources-mismatch',
  'read-parallelism',
  'shuffle-partitions',
  'skew',
  'gc-pressure',
  'memory-pressure',
  'state-growth',
  'idle-cores',
  'partitions-stop',
  'partitions-stall',
  'batch-over-target',
  'falling-behind',
];

/** Findings that describe the symptom (Spark does not keep up) rather than a cause. */
const SYMPTOMS = new Set(['falling-behind', 'batch-over-target', 'partitions-stop', 'partitions-stall']);

/**
 * What limits a step that was not sustainable: a cause the advisor names (it looks at the whole
 * app: read parallelism, shuffle partitions, GC, skew…), else the step's own failed criterion in
 * the advisor's words — falling-behind (lag grows, out < in) or batch-over-target.
 */
export function limitOfStep(step: Pick<StepVerdict, 'outcome' | 'reasons' | 'findings'>): string | null {
  if (step.outcome === 'generator-bound') return 'generator-bound';
  const cause = step.findings.find((id) => !SYMPTOMS.has(id));
  if (cause) return cause;
  if (step.reasons.some((r) => /lag growing|out .* < in/.test(r))) return 'falling-behind';
  if (step.reasons.some((r) => /p95 batch|≥ target/.test(r))) return 'batch-over-target';
  return step.findings[0] ?? step.reasons[0] ?? null;
}

export interface StepVerdict {
  outcome: StepOutcome;
  reasons: string[];
  /** Active advisor findings at the step's end (ids, most relevant first), `healthy` left out. */
  findings: string[];
}

export function rankFindings(findings: readonly Pick<Finding, 'id'>[]): string[] {
  const ids = findings.map((f) => f.id).filter((id) => id !== 'healthy');
  const rank = (id: string) => {
    const i = CAUSE_ORDER.indexOf(id);
    return i < 0 ? CAUSE_ORDER.length : i;
  };
  return [...new Set(ids)].sort((a, b) => rank(a) - rank(b));
}


/** `generatorFraction`: the advisor's threshold in force (README.md "Advisor thresholds"). */
export function judgeStep(rate: number, m: StepMeasurement, targetBatchMs: number, findings: readonly Pick<Finding, 'id'>[], generatorFraction: number): StepVerdict {
  const ranked = rankFindings(findings);
  if (m.produceRps !== null && m.produceRps < generatorFraction * rate) {
    return {
      outcome: 'generator-bound',
      reasons: [`the generators delivered ${formatInt(m.produceRps)} rec/s of the ${formatInt(rate)} asked for (< ${Math.round(generatorFraction * 100)} %)`],
      findings: ['generator-bound', ...ranked.filter((id) => id !== 'generator-bound')],
    };
  }
  // Spark's own input rate is the one its processed rate is compared with (same batches).
  const verdict = verdictOf({ batches: m.batches, inputRps: m.inputRps, processedRps: m.processedRps, lagSlope: m.lagSlope, lagSlopeError: m.lagSlopeError, p95Ms: m.p95Ms }, targetBatchMs);
  if (verdict.sustainable === true) return { outcome: 'sustainable', reasons: verdict.reasons, findings: ranked };
  if (verdict.sustainable === false) return { outcome: 'unsustainable', reasons: verdict.reasons, findings: ranked };
  // Too few batches (or unknown figures) in the window: not shown to be sustainable, so it is not.
  // Batches that long are usually over the target already: say so, it is the reason that matters.
  const over = m.maxMs !== null && m.maxMs >= targetBatchMs ? [`batches up to ${(m.maxMs / 1000).toFixed(1)} s ≥ target ${(targetBatchMs / 1000).toFixed(1)} s`] : [];
  return { outcome: 'unsustainable', reasons: [...over, `not shown sustainable: ${verdict.reasons.join(', ')}`], findings: ranked };
}
