/**
 * When the live monitor redraws: every `periodMs`, and at once when a micro-batch arrives. A batch's
 * frame restarts the period, a little longer than usual: a job that ends a batch every sampler
 * round (1 s) is then drawn once per round, not once per round plus once per period out of phase.
 * Frames cost more than anything else the monitor does, so this halves its CPU on busy jobs.
 */
export interface RedrawClock {
  /** A batch arrived: draw now. */
  batch(): void;
  stop(): void;
}

/** A batch's frame moves the next periodic frame this much further than the period. */
export const AFTER_BATCH_SLACK = 0.25;

export function startRedrawClock(draw: () => void, periodMs: number): RedrawClock {
  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
  };
  const tick = () => {
    draw();
    schedule(periodMs);
  };
  schedule(periodMs);
  return {
    batch() {
      if (!timer) return;
      draw();
      schedule(periodMs * (1 + AFTER_BATCH_SLACK));
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
