/** The event log (view 6): app changes, connections lost and back, control actions, marks. */
import type { EventRow } from './derivedTypes.js';
import { Ring } from './ring.js';

export interface EventLog {
  rows: Ring<EventRow>;
  version: number;
}

export function createEventLog(capacity: number): EventLog {
  return { rows: new Ring<EventRow>(capacity), version: 0 };
}

export function logEvent(log: EventLog, t: number, level: EventRow['level'], text: string): void {
  log.rows.push({ t, level, text });
  log.version++;
}

/** "54 s", "3 min 5 s", "2 h 4 min": for event texts only (the ui formats its own numbers). */
export function spokenDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "app-20261128183210-0001" stays whole; long run ids are cut to their first 8 characters. */
export function shortRunId(runId: string): string {
  return runId.slice(0, 8);
}
