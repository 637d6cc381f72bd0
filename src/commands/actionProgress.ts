/** A pipeline action while it runs: what it does, since when, and the steps it has completed. */
export interface ActionProgress {
  doing: string;
  startedAt: number;
  steps: ReadonlyArray<{ step: string; ms: number }>;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `resubmitting 61 s: stopping app → resources free → submitted app-… → driver and listener answering (15.2 s) → …`:
 * the steps in order, the time of the latest one, and the total so far (it has to fit one line).
 */
export function progressLine(p: ActionProgress, now: number): string {
  const elapsed = `${p.doing} ${Math.max(0, Math.floor((now - p.startedAt) / 1000))} s`;
  const last = p.steps.at(-1);
  if (!last) return `${elapsed} …`;
  const done = p.steps.slice(0, -1).map((s) => `${s.step} → `).join('');
  return `${elapsed}: ${done}${last.step} (${secs(last.ms)}) → …`;
}
