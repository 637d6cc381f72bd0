/** A pipeline action while it runs: what it does, since when, and the steps it has completed. */
export interface ActionProgress {
  doing: string;
  startedAt: number;
  steps: ReadonlyArray<{ step: string; ms: number }>;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `resubmitting · 12 s · stopping app 0.0 s → resources free 3.1 s → submitted app-… 9.4 s → …` */
export function progressLine(p: ActionProgress, now: number): string {
  const elapsed = `${p.doing} · ${Math.max(0, Math.floor((now - p.startedAt) / 1000))} s`;
  if (p.steps.length === 0) return `${elapsed} …`;
  return `${elapsed} · ${p.steps.map((s) => `${s.step} ${secs(s.ms)}`).join(' → ')} → …`;
}
