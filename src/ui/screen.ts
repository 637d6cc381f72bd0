/**
 * The alternate screen buffer. Ink 6 has no option for it (docs/ARCHITECTURE.md "Ink and the terminal"), so it is entered before
 * `render()` and left on every way out: normal exit, SIGINT/SIGTERM/SIGHUP, and an uncaught
 * exception or unhandled rejection — before Node prints the error, so the trace lands on the
 * normal screen where it can be read.
 */
import { ENTER_FULL_SCREEN, LEAVE_FULL_SCREEN } from '../text/terminalCodes.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ScreenStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** The process parts enterFullScreen hooks into (a parameter so tests can pass a fake). */
export interface ProcessHooks {
  pid: number;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
}

const active = new WeakMap<ScreenStream, () => void>();

/**
 * Switches `stdout` to the alternate screen and returns the function that switches back. Calling
 * either twice is harmless. Does nothing on a stream that is not a terminal.
 */
export function enterFullScreen(stdout: ScreenStream, proc: ProcessHooks = process as unknown as ProcessHooks): () => void {
  const existing = active.get(stdout);
  if (existing) return existing;
  if (!stdout.isTTY) return () => {};

  let restored = false;
  const write = (text: string) => {
    try {
      stdout.write(text);
    } catch {
      // The terminal may already be gone (SSH hang-up): nothing left to restore.
    }
  };

  const onSignal = (signal: string) => {
    restore();
    // With our listener gone and nobody else listening, re-raise for the default behaviour
    // (terminate with the signal). Ink's signal-exit, when present, re-raises by itself.
    if (proc.listenerCount(signal) === 0) proc.kill(proc.pid, signal);
  };
  const signalListeners = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);

  function restore(): void {
    if (restored) return;
    restored = true;
    active.delete(stdout);
    proc.off('exit', restore);
    proc.off('uncaughtExceptionMonitor', restore);
    for (const [signal, listener] of signalListeners) proc.off(signal, listener);
    write(LEAVE_FULL_SCREEN);
  }

  proc.on('exit', restore);
  proc.on('uncaughtExceptionMonitor', restore);
  for (const [signal, listener] of signalListeners) proc.on(signal, listener);
  active.set(stdout, restore);
  write(ENTER_FULL_SCREEN);
  return restore;
}
