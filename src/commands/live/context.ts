/** What each of the live monitor's actions (resubmit, kill, mark, apps, exports) works with. */
import type { WatchConfig } from '../../config/watchConfig.js';
import type { ActionResult, PipelineControl } from '../../control/types.js';
import type { Derived } from '../../model/derivedTypes.js';
import type { Sample } from '../../model/samples.js';
import type { ResubmitFormState } from '../../ui/forms/resubmitForm.js';

/** What the monitor records (--record, --cast) and snapshots; the live view only calls it. */
export interface LiveRecorder {
  /** Gives a sample to the model and to the recording. */
  apply: (s: Sample) => void;
  /** Adds a mark (charts, events, recording). */
  mark: (note: string) => void;
  /** Writes the current screen as .txt and .ans; throws on a write error. */
  snapshot: () => { txt: string; ans: string };
  recording: boolean;
  /** Shown first, e.g. that the recording file could not be opened. */
  firstNotice: string | null;
  /** Watches another application (id; null: --spark-ui's) and shows a query (name or id; null: the first). */
  select?: (app: string | null, query: string | null) => void;
}

export type OpenDialog =
  | { kind: 'resubmit'; form: ResubmitFormState }
  | { kind: 'kill'; appId: string | null }
  | { kind: 'mark'; note: string }
  | { kind: 'apps'; cursor: number };

export interface RunningAction {
  action: string;
  detail: Record<string, unknown>;
  doing: string;
  /** Long actions (resubmit, kill) are recorded when they start too, so a segment begins there. */
  recordStart: boolean;
  run: (onStep: (step: string, ms: number) => void) => Promise<ActionResult>;
}

export interface LiveContext {
  config: WatchConfig;
  control: PipelineControl;
  recorder: LiveRecorder;
  /** The snapshot on screen. */
  derived: Derived;
  /** A snapshot of the model now (after a key changed it). */
  deriveNow: () => Derived;
  /** Draws the model now. */
  redraw: () => void;
  setStatusLine: (line: string | undefined) => void;
  setDialog: (next: OpenDialog | null | ((d: OpenDialog | null) => OpenDialog | null)) => void;
  /** The open dialog of `kind` as of the last key (not the last render). */
  current: <K extends OpenDialog['kind']>(kind: K) => Extract<OpenDialog, { kind: K }> | null;
  /** Runs an action unless one is running; its result goes to the status line and the recording. */
  run: (a: RunningAction) => void;
  record: (action: string, detail: Record<string, unknown>, result: ActionResult | 'started', ms: number | null) => void;
  busy: () => boolean;
}
