/**
 * An AbortSignal that fires on the first Ctrl-C / SIGTERM, so long operations can stop what they
 * started; a second Ctrl-C exits at once.
 */
export function interruptSignal(log: (line: string) => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log('second interrupt: exiting now');
      process.exit(130);
    }
    log(`\n${sig}: stopping…`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
