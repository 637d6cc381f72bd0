import type { ControlSample } from '../model/samples.js';

/** What an action did, for the status line, the events view and the recording. */
export interface ActionResult {
  ok: boolean;
  message: string;
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
}

export const MAX_GENERATORS = 16;

/** The recording/event form of an action. */
export function controlSample(action: string, detail: Record<string, unknown>, result: ActionResult, durationMs: number): ControlSample {
  return { action, detail, result: result.ok ? 'ok' : 'failed', durationMs, message: result.message };
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
}
