/**
 * The signals that end a long-running command: Ctrl-C, `kill`, and a hang-up (an SSH connection
 * dropping). Each is handled the same way: the command stops what it started and saves what it has
 * (recording, cast, sweep results) before it exits.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The shell's exit status for a process ended by `signal` (128 + its number). */
export const exitCodeOf = (signal: StopSignal): number => 128 + SIGNAL_NUMBERS[signal];

const ignore = () => undefined;

/**
 * After a hang-up the terminal is gone: writing to it fails (EIO, EPIPE) with an 'error' event that
 * would otherwise end the process before the files are closed.
 */
function survivePendingTerminalErrors(): void {
  for (const stream of [process.stdout, process.stderr]) if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
}

/** What a write to a terminal that is gone fails with. */
const TERMINAL_GONE = new Set(['EIO', 'EPIPE']);

/**
 * Calls `handler` on each stop signal until the returned function is called. A terminal closed
 * before its hang-up signal arrives (tmux kill-session, an SSH connection dropping) fails the next
 * write first: that is the same hang-up, not a crash that would lose the recording's last flush.
 * A hang-up is handed over once: the SIGHUP and the failed writes around it are one event, never
 * the "second interrupt" with which a person at the keyboard asks to exit at once (that would skip
 * putting the generators back, or a rollback).
 */
export function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  let hungUp = false;
  const listener = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') {
      if (hungUp) return;
      hungUp = true;
      survivePendingTerminalErrors();
    }
    handler(signal as StopSignal);
  };
  const onWriteError = (err: NodeJS.ErrnoException) => {
    if (!TERMINAL_GONE.has(err.code ?? '')) throw err;
    listener('SIGHUP');
  };
  for (const s of STOP_SIGNALS) process.on(s, listener);
  for (const stream of [process.stdout, process.stderr]) stream.on('error', onWriteError);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, listener);
    for (const stream of [process.stdout, process.stderr]) stream.off('error', onWriteError);
  };
}
