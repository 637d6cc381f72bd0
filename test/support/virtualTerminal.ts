/**
 * Renders an Ink tree into memory at a given terminal size: for tests, and for anything that wants
 * the screen as text. ink-testing-library's stdout is fixed at 100 columns without rows; this one
 * has both, can be resized, and takes keys.
 */
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render, type Instance } from 'ink';

class VirtualStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (chunk: string): boolean => {
    this.frames.push(chunk);
    return true;
  };
}

class VirtualStdin extends EventEmitter {
  isTTY = true;
  private pending: string[] = [];
  write(data: string): void {
    this.pending.push(data);
    this.emit('readable');
  }
  read = (): string | null => this.pending.shift() ?? null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface VirtualTerminal {
  /** The last frame Ink drew, lines joined by `\n`. */
  lastFrame(): string;
  /** Every frame drawn so far. */
  frames: readonly string[];
  /** Types keys (raw terminal input, e.g. `q`, ` `, `\x1b[B` for ↓) and lets Ink and React settle. */
  press(input: string): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  rerender(element: ReactElement): Promise<void>;
  unmount(): void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lets stdin events, React updates, effects and Ink's escape-key timer (setImmediate) run, until no
 * frame came for a few turns: React's scheduler yields after 5 ms of work (a render, the effects
 * that subscribe a view's keys) and continues in a later turn, so on a loaded machine that takes
 * more turns than on an idle one (a key pressed right after a view switch was lost under load).
 */
async function settle(stdout: VirtualStdout): Promise<void> {
  for (let quiet = 0, turns = 0; quiet < 5 && turns < 200; turns++) {
    const before = stdout.frames.length;
    await nextTurn();
    quiet = stdout.frames.length === before ? quiet + 1 : 0;
  }
}

export function renderVirtual(element: ReactElement, size: { columns: number; rows: number }): VirtualTerminal {
  const stdout = new VirtualStdout(size.columns, size.rows);
  const stdin = new VirtualStdin();
  const stderr = new VirtualStdout(size.columns, size.rows);
  const instance: Instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    // Every render is written whole and at once (no throttling, no cursor movement).
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: () => stdout.frames[stdout.frames.length - 1] ?? '',
    frames: stdout.frames,
    async press(input: string) {
      stdin.write(input);
      await settle(stdout);
    },
    async resize(columns: number, rows: number) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      await settle(stdout);
    },
    async rerender(next: ReactElement) {
      instance.rerender(next);
      await settle(stdout);
    },
    unmount() {
      instance.unmount();
      instance.cleanup();
    },
  };
}
