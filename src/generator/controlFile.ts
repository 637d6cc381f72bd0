/**
 * The generator's control file (`{"targetRps": n, "paused": bool}`), read once a second: a missing
 * or invalid file is warned about once per distinct problem and otherwise ignored.
 */
import { readFile } from 'node:fs/promises';
import { describeError } from './kafkaLog.js';
import { GeneratorOptionsError, parseGeneratorControl, type GeneratorControl } from './options.js';
import { groupDigits } from './stats.js';

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
