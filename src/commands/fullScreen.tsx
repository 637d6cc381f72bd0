import { render } from 'ink';
import type { ReactElement } from 'react';
import { createFrameSink, type FrameSink } from '../ui/frameSink.js';
import { enterFullScreen } from '../ui/screen.js';

/** A full-screen Ink app on the terminal, as the monitor, replay and sweep show theirs. */
export interface FullScreen {
  sink: FrameSink;
  /** Resolves when the app quits: its `quit` was called, or Ink exited (Ctrl-C with exitOnCtrlC). */
  done: Promise<void>;
  quit(): void;
  /** Stops drawing (nothing more reaches the terminal or the cast) and unmounts the app; the last frame stays. */
  unmount(): void;
  /** Leaves the full screen (after `unmount`); harmless twice. */
  leave(): void;
}

/**
 * Enters the alternate screen and renders `app` into a frame sink (Ink in debug mode: whole frames,
 * docs/ARCHITECTURE.md "Ink and the terminal"). `app` gets the function that quits it.
 */
export function openFullScreen(app: (quit: () => void, sink: FrameSink) => ReactElement, opts: { onWrite?: (data: string) => void; exitOnCtrlC: boolean }): FullScreen {
  const leave = enterFullScreen(process.stdout);
  const sink = createFrameSink(process.stdout, { onWrite: opts.onWrite });
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  const instance = render(app(() => quit(), sink), { stdout: sink.stream, debug: true, exitOnCtrlC: opts.exitOnCtrlC, patchConsole: false });
  let unmounted = false;
  return {
    sink,
    done: Promise.race([quitting, instance.waitUntilExit().then(() => undefined)]),
    quit: () => quit(),
    unmount: () => {
      sink.dispose();
      if (unmounted) return;
      unmounted = true;
      instance.unmount();
    },
    leave,
  };
}
