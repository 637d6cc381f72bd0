import { onStopSignal, type StopSignal } from './stopSignals.js';

/**
 * An AbortSignal that fires on the first Ctrl-C, SIGTERM or hang-up, so long operations can stop
 * what they started; a second one exits at once.
 */
export function interruptSignal(log: (line: string) => void): { signal: AbortSignal; dispose: () => void; stoppedBy: () => StopSignal | null } {
  const controller = new AbortController();
  let stoppedBy: StopSignal | null = null;
  const onSignal = (sig: StopSignal) => {
    if (controller.signal.aborted) {
      log('second interrupt: exiting now');
      process.exit(130);
    }
    stoppedBy = sig;
    log(`\n${sig}: stopping…`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  return { signal: controller.signal, dispose: onStopSignal(onSignal), stoppedBy: () => stoppedBy };
}
