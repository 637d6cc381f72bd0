/** What every advisor rule reads and returns. */
import type { BatchRow, Derived, Finding, Severity } from '../derivedTypes.js';
import type { GeneratorsSample, MasterSample, StagesSample } from '../samples.js';
import type { AdvisorThresholds } from './options.js';

/** A rule's finding before hysteresis: no `since` yet, the message is built from title and evidence. */
export type RawFinding = Omit<Finding, 'since' | 'message'>;

/** Derived without what the advisor adds. */
export type DerivedBase = Omit<Derived, 'findings' | 'advisor'>;

export interface FailureCounts {
  t: number;
  appId: string | null;
  failedTasks: number;
  removedExecutors: number;
}

export interface AdvisorContext {
  now: number;
  d: DerivedBase;
  thresholds: AdvisorThresholds;
  /** The current app's listener batches, newest first. */
  recent: BatchRow[];
  behindBatches: number;
  /** Total lag at commit grew over the last `behindBatches` commits (null: not measurable). */
  lagGrowing: boolean | null;
  /** The app's Spark properties (driver /environment); null when not read. */
  properties: Record<string, string> | null;
  master: MasterSample | null;
  generators: GeneratorsSample | null;
  stages: StagesSample | null;
  /** Failure counters of the current app `failureWindowMs` ago (or the oldest known) and now. */
  failures: { before: FailureCounts | null; now: FailureCounts };
  /** Active non-driver executors' cores (null: no executors known). */
  totalCores: number | null;
}

export type Rule = (ctx: AdvisorContext) => RawFinding | null;

/** A rule with its id; `raiseAfter` overrides the hysteresis for conditions already qualified in time. */
export interface RuleEntry {
  id: string;
  rule: Rule;
  raiseAfter?: number;
}

/** A finding from its head, its facts in display order (label → value), the evidence sentence and what to change. */
export function finding(id: string, severity: Severity, title: string, facts: Record<string, string>, text: string, suggestion: string): RawFinding {
  return { id, severity, title, evidence: { facts: Object.entries(facts).map(([label, value]) => ({ label, value })), text }, suggestion };
}
