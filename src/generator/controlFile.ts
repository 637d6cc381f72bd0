/**
 * The generator's control file (`{"targetRps": n, "paused": bool}`), read once a second: a missing
 * or invalid file is warned about once per distinct problem and otherwise ignored.
 */
import { readFile } from 'node:fs/promises';
import { describeError } from './kafkaLog.js';
import { GeneratorOptionsError, MAX_TARGET_RPS, parseIntSetting } from './options.js';
import { groupDigits } from './stats.js';

/** Contents of the control file: `{"targetRps": n, "paused": bool}`; each field optional. */
export interface GeneratorControl {
  targetRps?: number;
  paused?: boolean;
}

/**
 * Parse the control file's text. Throws GeneratorOptionsError (setting "control file") when it is
 * not a JSON object, targetRps is not an integer 0..MAX_TARGET_RPS, or paused is not a boolean.
 * Unknown fields are ignored.
 */
export function parseGeneratorControl(text: string): GeneratorControl {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new GeneratorOptionsError('control file', 'JSON like {"targetRps": 10000, "paused": false}', text.slice(0, 80));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new GeneratorOptionsError('control file', 'a JSON object like {"targetRps": 10000, "paused": false}', data);
  }
  const o = data as Record<string, unknown>;
  const out: GeneratorControl = {};
  if (o.targetRps !== undefined) {
    if (typeof o.targetRps !== 'number') {
      throw new GeneratorOptionsError('control file targetRps', `an integer from 0 to ${MAX_TARGET_RPS}`, o.targetRps);
    }
    out.targetRps = parseIntSetting(o.targetRps, 'control file targetRps', 0, MAX_TARGET_RPS, `an integer from 0 to ${MAX_TARGET_RPS}`);
  }
  if (o.paused !== undefined) {
    if (typeof o.paused !== 'boolean') throw new GeneratorOptionsError('control file paused', 'true or false', o.paused);
    out.paused = o.paused;
  }
  return out;
}

export class ControlFile {
  private problem: string | null = null;

  constructor(
    readonly file: string,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The file's settings, or null when it cannot be read or parsed. `keeping` says what stays in
   * force meanwhile (for the warning).
   */
  async read(keeping: () => string): Promise<GeneratorControl | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      this.warn(code === 'ENOENT' ? 'not found' : describeError(err), (p) => `warning: control file ${this.file}: ${p}; ignored (${keeping()})`);
      return null;
    }
    try {
      const control = parseGeneratorControl(text);
      this.problem = null;
      return control;
    } catch (err) {
      this.warn(err instanceof GeneratorOptionsError ? err.message : describeError(err), (p) => `warning: control file ${this.file} ignored: ${p}`);
      return null;
    }
  }

  private warn(problem: string, line: (problem: string) => string): void {
    if (problem !== this.problem) this.log(line(problem));
    this.problem = problem;
  }
}

/** What the generator does: its rate and whether it is paused. */
export interface ControlState {
  targetRps: number;
  paused: boolean;
}

/** The state `control` asks for and what changed, in words; null when nothing changes. */
export function applyControl(state: ControlState, control: GeneratorControl): { state: ControlState; changes: string } | null {
  const next = { targetRps: control.targetRps ?? state.targetRps, paused: control.paused ?? state.paused };
  const changes: string[] = [];
  if (next.targetRps !== state.targetRps) changes.push(`target ${groupDigits(state.targetRps)}/s → ${groupDigits(next.targetRps)}/s`);
  if (next.paused !== state.paused) changes.push(next.paused ? 'paused' : 'resumed');
  return changes.length === 0 ? null : { state: next, changes: changes.join(', ') };
}

/** What stays in force while the control file cannot be read (for its warning). */
export function keepingText(state: ControlState): string {
  return `rate stays ${groupDigits(state.targetRps)}/s${state.paused ? ', paused' : ''}`;
}

/** `read` run at most once at a time: a call while the previous read is still going is skipped. */
export function oneReadAtATime(read: () => Promise<void>): () => void {
  let busy = false;
  return () => {
    if (busy) return;
    busy = true;
    void read().finally(() => {
      busy = false;
    });
  };
}
