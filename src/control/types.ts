import type { ControlSample } from '../model/samples.js';
import type { JobResources } from '../domain/resources.js';

/** What an action did, for the status line, the events view and the recording. */
export interface ActionResult {
  ok: boolean;
  message: string;
  /** What the action learned (e.g. the new app id of a resubmission), added to the recorded detail. */
  detail?: Record<string, unknown>;
}

/** A resubmission reviewed before it runs: the exact command line, and what makes it exact. */
export type ReviewedResubmit = { ok: true; commandLine: string; checkpointDir: string } | { ok: false; message: string };

export interface ResubmitProgress {
  /** Each step as it completes: stopping app, resources free, submitted app-…, first batch #… */
  onStep: (step: string, ms: number) => void;
  reviewed?: { checkpointDir: string };
  /** Stops waiting (for the old app to stop, the new one's first batch) when aborted. */
  signal?: AbortSignal;
}

export interface GeneratorsState {
  count: number;
  ratePerGenerator: number;
  paused: boolean;
}

/**
 * The actions the monitor's hotkeys take, whatever runs the pipeline (the local lab now, the
 * Docker lab later). An implementation that cannot act says why instead of failing.
 */
export interface PipelineControl {
  readonly target: 'local' | 'docker' | 'none';
  /** Null when actions are available; else a sentence saying why not. */
  readonly unavailableReason: string | null;
  generators(): GeneratorsState | null;
  scaleGenerators(count: number): Promise<ActionResult>;
  setRate(ratePerGenerator: number): Promise<ActionResult>;
  setPaused(paused: boolean): Promise<ActionResult>;
  /** The resources the job runs with now (to prefill the resubmit form); null when unknown. */
  jobResources(): JobResources | null;
  reviewResubmit(resources: JobResources): Promise<ReviewedResubmit>;
  resubmit(resources: JobResources, progress: ResubmitProgress): Promise<ActionResult>;
  killJob(): Promise<ActionResult>;
}

export const MAX_GENERATORS = 16;

/** The recording/event form of an action: its start (`'started'`), or its result after `durationMs`. */
export function controlSample(action: string, detail: Record<string, unknown>, result: ActionResult | 'started', durationMs: number | null): ControlSample {
  if (result === 'started') return { action, detail, result: 'started', durationMs: null, message: null };
  return { action, detail, result: result.ok ? 'ok' : 'failed', durationMs: durationMs ?? 0, message: result.message };
}

/** A pipeline sparktop only watches (a remote cluster): every action says why it cannot act. */
export class WatchOnly implements PipelineControl {
  readonly target = 'none' as const;
  constructor(readonly unavailableReason: string) {}
  generators(): GeneratorsState | null {
    return null;
  }
  private refuse(): Promise<ActionResult> {
    return Promise.resolve({ ok: false, message: this.unavailableReason });
  }
  scaleGenerators(): Promise<ActionResult> {
    return this.refuse();
  }
  setRate(): Promise<ActionResult> {
    return this.refuse();
  }
  setPaused(): Promise<ActionResult> {
    return this.refuse();
  }
  jobResources(): JobResources | null {
    return null;
  }
  reviewResubmit(): Promise<ReviewedResubmit> {
    return Promise.resolve({ ok: false, message: this.unavailableReason });
  }
  resubmit(): Promise<ActionResult> {
    return this.refuse();
  }
  killJob(): Promise<ActionResult> {
    return this.refuse();
  }
}
