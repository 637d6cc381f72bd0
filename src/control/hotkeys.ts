import { nextRate, previousRate } from './rateSteps.js';
import { MAX_GENERATORS, type ActionResult, type PipelineControl } from './types.js';

export interface PlannedAction {
  action: string;
  detail: Record<string, unknown>;
  /** What the status line says while it runs. */
  doing: string;
  run: (control: PipelineControl) => Promise<ActionResult>;
}

/**
 * What a generator hotkey (+ - ] [ 0) does now: an action to run, a sentence when it cannot
 * (bounds, a remote pipeline), or null for any other key (the monitor handles r k m s e itself).
 */
export function planHotkey(key: string, control: PipelineControl): PlannedAction | string | null {
  if (!['+', '-', ']', '[', '0'].includes(key)) return null;
  if (control.unavailableReason) return control.unavailableReason;
  const g = control.generators();
  if (!g) return `the ${control.target === 'docker' ? 'Docker' : 'local'} lab's generators cannot be read`;
  switch (key) {
    case '+':
      if (g.count >= MAX_GENERATORS) return `already ${MAX_GENERATORS} generators (the most)`;
      return { action: 'scale-generators', detail: { from: g.count, to: g.count + 1 }, doing: `starting generator ${g.count + 1}…`, run: (c) => c.scaleGenerators(g.count + 1) };
    case '-':
      if (g.count <= 0) return 'no generator is running';
      return { action: 'scale-generators', detail: { from: g.count, to: g.count - 1 }, doing: `stopping generator ${g.count}…`, run: (c) => c.scaleGenerators(g.count - 1) };
    case ']': {
      const to = nextRate(g.ratePerGenerator);
      if (to === g.ratePerGenerator) return 'already at the highest rate step';
      return { action: 'set-rate', detail: { from: g.ratePerGenerator, to }, doing: `rate → ${to} rec/s…`, run: (c) => c.setRate(to) };
    }
    case '[': {
      const to = previousRate(g.ratePerGenerator);
      if (to === g.ratePerGenerator) return 'already at the lowest rate step';
      return { action: 'set-rate', detail: { from: g.ratePerGenerator, to }, doing: `rate → ${to} rec/s…`, run: (c) => c.setRate(to) };
    }
    default:
      return {
        action: g.paused ? 'resume-generators' : 'pause-generators',
        detail: { count: g.count },
        doing: g.paused ? 'resuming generators…' : 'pausing generators…',
        run: (c) => c.setPaused(!g.paused),
      };
  }
}
