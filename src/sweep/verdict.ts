/**
 * One rate step judged: sustainable when Spark processed at least what came in, the lag did not
 * grow and the p95 batch stayed under the target — the criteria of the experiments view (verdictOf)
 * — unless the generators did not deliver the rate asked for: then the step measured the
 * generator, not Spark. A window with too few batches to judge (or a figure not known yet) is
 * inconclusive, not a failure: the runner measures longer, up to --max-measure. The limiting
 * factor is what the advisor names at the step's end.
 */
import { MIN_VERDICT_BATCHES, verdictOf } from '../model/experimentRows.js';
import type { Finding } from '../model/derivedTypes.js';
import type { StepMeasurement } from './measure.js';
import type { StepOutcome } from './search.js';
import { formatDuration, formatInt } from '../text/format.js';

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
  if (step.outcome === 'inconclusive') return 'inconclusive';
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
  // Too few batches in the window: batches that long are over the target already, a failed
  // criterion however few they are (with fewer than 20 batches the p95 is the slowest one).
  if (m.maxMs !== null && m.maxMs >= targetBatchMs) {
    return { outcome: 'unsustainable', reasons: [`batches up to ${(m.maxMs / 1000).toFixed(1)} s ≥ target ${(targetBatchMs / 1000).toFixed(1)} s`, ...verdict.reasons], findings: ranked };
  }
  // Otherwise nothing failed and nothing is shown: no verdict yet (the runner measures longer).
  return { outcome: 'inconclusive', reasons: verdict.reasons, findings: ranked };
}

/**
 * A verdict on fewer batches than this is marked in the results ("few"): a lag trend fitted to 3–5
 * points, and a p95 that is the slowest batch, are thin evidence.
 */
export const FEW_BATCHES = 2 * MIN_VERDICT_BATCHES;

/** Whether a step's verdict (sustainable or not) rests on few batches; generator-bound is judged on Kafka's offsets, not batches. */
export function restsOnFewBatches(step: { outcome: StepOutcome; measurement: Pick<StepMeasurement, 'batches'> }): boolean {
  return (step.outcome === 'sustainable' || step.outcome === 'unsustainable') && step.measurement.batches < FEW_BATCHES;
}

/**
 * The reasons of a step still inconclusive when its window reached the cap (--max-measure): how
 * many batches it saw, how often they came, and what window would hold enough.
 */
export function inconclusiveAtCap(v: StepVerdict, m: StepMeasurement): StepVerdict {
  const window = formatDuration(m.to - m.from);
  if (m.batches >= MIN_VERDICT_BATCHES) return { ...v, reasons: [...v.reasons, `after ${window} (--max-measure)`] };
  if (m.batches === 0) return { ...v, reasons: [`no batch started and ended within ${window} (--max-measure): is the job running, with the progress listener?`] };
  const every = m.batchIntervalMs ?? null;
  const seen = `${m.batches} batch${m.batches === 1 ? '' : 'es'} in ${window}${every === null ? '' : `, one every ~${formatDuration(every)}`}`;
  // Enough batches start and end in a window of that many intervals plus the slowest batch; more than the cap in any case.
  const about = every === null ? null : Math.ceil(Math.max(m.to - m.from + every, MIN_VERDICT_BATCHES * every + (m.maxMs ?? every)) / 1000);
  const longer = about === null ? 'a longer --max-measure' : `a longer --max-measure (about ${about}s)`;
  return { ...v, reasons: [`${seen}: ${MIN_VERDICT_BATCHES} needed to judge, ${longer}`] };
}
