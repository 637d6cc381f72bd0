/**
 * A sweep's results: written (atomically) after every step, so an interrupted sweep loses at most
 * the step under way, and read back by `--resume`, which skips the configurations already done.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { GeneratorsState } from '../control/types.js';
import type { JobResources } from '../domain/resources.js';
import type { OutputFile } from '../files/outputFile.js';
import type { StepMeasurement } from './measure.js';
import { settingsWithDefaults, type SweepPlan, type SweepSettings } from './plan.js';
import type { SearchEnd, StepOutcome } from './search.js';
import { limitOfStep, restsOnFewBatches } from './verdict.js';
import { formatInt } from '../text/format.js';

export interface SweepStepResult {
  rate: number;
  generators: { count: number; ratePerGenerator: number };
  settleFrom: number;
  measurement: StepMeasurement;
  outcome: StepOutcome;
  reasons: string[];
  findings: string[];
  appId: string | null;
  /** The verdict (sustainable or not) rests on few batches (verdict.ts FEW_BATCHES). */
  fewBatches: boolean;
  /** When the window was measured longer for want of batches: the planned length (--measure); else null. */
  extendedFromMs: number | null;
}

export interface ConfigurationResult {
  key: string;
  resources: JobResources;
  partitions: number | null;
  status: 'running' | 'done' | 'failed';
  startedAt: number;
  finishedAt: number | null;
  commandLine: string | null;
  appId: string | null;
  steps: SweepStepResult[];
  end: SearchEnd | null;
  /** Highest rate judged sustainable (null: none). */
  maxSustainableRps: number | null;
  p95AtMaxMs: number | null;
  /** Batches the verdict at the max rate rests on, and whether they were few. */
  batchesAtMax: number | null;
  fewBatchesAtMax: boolean;
  /** The rate at which the search stopped with too few batches to judge even at --max-measure (end `inconclusive`), else null. */
  inconclusiveAtRps: number | null;
  /** What stopped it going higher: an advisor finding id, a failed criterion, or why the search ended. */
  limitingFactor: string | null;
  /** Why a failed configuration failed (resubmission, topic), in the words of the action. */
  error: string | null;
}

export interface SweepResults {
  sparktopSweep: 1;
  startedAt: number;
  updatedAt: number;
  complete: boolean;
  settings: SweepSettings;
  topic: string;
  /** The recordings of this sweep, one per run (a resume starts a new one). */
  recordings: string[];
  configurations: Array<{ key: string; resources: JobResources; partitions: number | null }>;
  skipped: SweepPlan['skipped'];
  results: ConfigurationResult[];
  /**
   * The generators before the sweep first changed them: where they go back to when it ends,
   * resumed or not (absent in files of older versions, and when they could not be controlled).
   */
  generatorsBefore?: GeneratorsState | null;
}

export function newResults(plan: SweepPlan, topic: string, now: number): SweepResults {
  return {
    sparktopSweep: 1,
    startedAt: now,
    updatedAt: now,
    complete: false,
    settings: plan.settings,
    topic,
    recordings: [],
    configurations: plan.configurations.map(({ key, resources, partitions }) => ({ key, resources, partitions })),
    skipped: plan.skipped,
    results: [],
  };
}

const resultsSchema = z
  .object({
    sparktopSweep: z.literal(1),
    startedAt: z.number(),
    settings: z.object({ targetBatchMs: z.number(), startRps: z.number(), maxRps: z.number(), settleMs: z.number(), measureMs: z.number() }).passthrough(),
    topic: z.string(),
    recordings: z.array(z.string()),
    configurations: z.array(z.object({ key: z.string(), resources: z.object({ conf: z.record(z.string(), z.string()) }).passthrough(), partitions: z.number().nullable() })),
    results: z.array(z.object({ key: z.string(), status: z.enum(['running', 'done', 'failed']) }).passthrough()),
  })
  .passthrough();

export class InvalidResultsFile extends Error {}

/** Reads a results file for --resume; a configuration still `running` when it stopped is run again. */
export function readResults(file: string): SweepResults {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidResultsFile(`cannot resume from ${file}: ${(err as Error).message}`);
  }
  const r = resultsSchema.safeParse(json);
  if (!r.success) throw new InvalidResultsFile(`cannot resume from ${file}: not a sweep results file (${r.error.issues[0]!.path.join('.') || 'top level'}: ${r.error.issues[0]!.message})`);
  const results = r.data as unknown as SweepResults;
  // Files written before --max-measure: its default, and the marks of their steps, filled in.
  results.settings = settingsWithDefaults(results.settings);
  results.results = results.results
    .filter((x) => x.status !== 'running')
    .map((x) => summarise({ ...x, steps: (x.steps ?? []).map((st) => ({ ...st, extendedFromMs: st.extendedFromMs ?? null, fewBatches: st.fewBatches ?? restsOnFewBatches(st) })) }));
  return results;
}

/** Writes the results (atomically: see src/files/outputFile.ts). */
export function saveResults(file: OutputFile, results: SweepResults): void {
  file.write(JSON.stringify(results, null, 2));
}

/** What stopped a configuration going higher. */
export function limitingFactorOf(c: Pick<ConfigurationResult, 'steps' | 'end'>): string | null {
  if (c.end === 'generator-bound') return 'generator-bound';
  if (c.end === 'max-rps reached') return 'none up to --max-rps';
  const unsustainable = c.steps.filter((s) => s.outcome === 'unsustainable');
  // The lowest rate that failed is the one that says what the limit is.
  const lowest = unsustainable.length === 0 ? null : unsustainable.reduce((a, b) => (b.rate < a.rate ? b : a));
  if (c.end === 'inconclusive') {
    const step = c.steps.filter((s) => s.outcome === 'inconclusive').at(-1);
    const at = step ? `inconclusive at ${formatInt(step.rate)} rec/s: ${step.reasons.join(', ')}` : 'inconclusive';
    return lowest ? `${limitOfStep(lowest)} at ${formatInt(lowest.rate)} rec/s; ${at}` : at;
  }
  if (lowest === null) return c.end === 'step limit reached' ? 'none found (step limit)' : null;
  return limitOfStep(lowest);
}

export function summarise(c: ConfigurationResult): ConfigurationResult {
  const best = c.steps.filter((s) => s.outcome === 'sustainable').reduce<SweepStepResult | null>((a, b) => (a === null || b.rate > a.rate ? b : a), null);
  const inconclusive = c.end === 'inconclusive' ? (c.steps.filter((s) => s.outcome === 'inconclusive').at(-1)?.rate ?? null) : null;
  return {
    ...c,
    maxSustainableRps: best?.rate ?? null,
    p95AtMaxMs: best?.measurement.p95Ms ?? null,
    batchesAtMax: best?.measurement.batches ?? null,
    fewBatchesAtMax: best?.fewBatches ?? false,
    inconclusiveAtRps: inconclusive,
    limitingFactor: limitingFactorOf(c),
  };
}

/** The best configuration: highest sustainable rate, then the lower p95. */
export function bestOf(results: readonly ConfigurationResult[]): ConfigurationResult | null {
  let best: ConfigurationResult | null = null;
  for (const r of results) {
    if (r.status !== 'done' || r.maxSustainableRps === null) continue;
    if (
      best === null ||
      r.maxSustainableRps > best.maxSustainableRps! ||
      (r.maxSustainableRps === best.maxSustainableRps && (r.p95AtMaxMs ?? Infinity) < (best.p95AtMaxMs ?? Infinity))
    ) {
      best = r;
    }
  }
  return best;
}
