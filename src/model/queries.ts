/** The streaming queries the listener reports: which runs are active, which terminated. */
import { logEvent, shortRunId, type EventLog } from './events.js';
import { Ring } from './ring.js';
import type { ProgressSample } from './samples.js';

export interface QueriesState {
  /** Active queries in the listener's latest answer; null before the listener answered (or without one). */
  active: ProgressSample['queries'] | null;
  terminated: Ring<{ runId: string; exception: string | null }>;
  /** Runs already announced in the event log. */
  seenRuns: Ring<string>;
}

export function createQueries(): QueriesState {
  return { active: null, terminated: new Ring(50), seenRuns: new Ring(50) };
}

function contains<T>(ring: Ring<T>, match: (item: T) => boolean): boolean {
  for (let i = ring.size - 1; i >= 0; i--) if (match(ring.at(i)!)) return true;
  return false;
}

export function applyQueries(state: QueriesState, events: EventLog, t: number, sample: ProgressSample): void {
  if (sample.origin !== 'listener') return;
  state.active = sample.queries;
  for (const q of sample.queries) {
    if (contains(state.seenRuns, (r) => r === q.runId)) continue;
    state.seenRuns.push(q.runId);
    logEvent(events, t, 'info', `query ${q.name ?? shortRunId(q.id)} running (run ${shortRunId(q.runId)})`);
  }
  for (const q of sample.terminated) {
    if (contains(state.terminated, (r) => r.runId === q.runId)) continue;
    state.terminated.push({ runId: q.runId, exception: q.exception });
    logEvent(events, t, q.exception ? 'error' : 'info', `query run ${shortRunId(q.runId)} terminated${q.exception ? `: ${q.exception}` : ''}`);
  }
}

/** True when the listener says this run no longer runs (terminated, or absent from the active queries). */
export function runEnded(state: QueriesState, runId: string): boolean {
  if (contains(state.terminated, (r) => r.runId === runId)) return true;
  return state.active !== null && !state.active.some((q) => q.runId === runId);
}

/** True when the listener lists a run other than `runId` that has not terminated. */
export function otherRunActive(state: QueriesState, runId: string): boolean {
  return state.active !== null && state.active.some((q) => q.runId !== runId && !contains(state.terminated, (r) => r.runId === q.runId));
}

/**
 * The logical queries running, in start order (one per query id: its newest run), as the listener
 * lists them; runs that terminated are left out. Empty before the listener answered.
 */
export function activeQueries(state: QueriesState): Array<{ id: string; runId: string; name: string | null }> {
  const byId = new Map<string, { id: string; runId: string; name: string | null }>();
  for (const q of state.active ?? []) byId.set(q.id, q); // a restart keeps the query's place
  return [...byId.values()].filter((q) => !contains(state.terminated, (r) => r.runId === q.runId));
}
