/**
 * Per source: reachable or not, since when, when it last answered, and why it failed. A source is
 * marked ok by any sample it delivered and not ok by a `source-error` sample; each change of state
 * is logged as an event.
 */
import type { SourceState } from './derivedTypes.js';
import { logEvent, spokenDuration, type EventLog } from './events.js';
import type { SourceName } from './samples.js';

export const SOURCE_NAMES: readonly SourceName[] = ['kafka', 'driver', 'master', 'progress', 'checkpoint'];

const LABELS: Record<SourceName, string> = { kafka: 'Kafka', driver: 'Spark driver', master: 'Spark master', progress: 'progress listener', checkpoint: 'checkpoint' };

/** Losing these makes the pipeline 'down'; the others only lose detail. */
const ESSENTIAL: ReadonlySet<SourceName> = new Set<SourceName>(['kafka', 'driver']);

export type SourcesState = Record<SourceName, SourceState>;

export function createSources(): SourcesState {
  const blank = (): SourceState => ({ ok: null, since: null, lastOkAt: null, error: null });
  return { kafka: blank(), driver: blank(), master: blank(), progress: blank(), checkpoint: blank() };
}

export function markSourceOk(sources: SourcesState, events: EventLog, source: SourceName, t: number): void {
  const s = sources[source];
  if (s.ok === false && s.since !== null) logEvent(events, t, 'info', `${LABELS[source]} back after ${spokenDuration(t - s.since)}`);
  if (s.ok !== true) {
    s.ok = true;
    s.since = t;
    s.error = null;
  }
  s.lastOkAt = t;
}

export function markSourceError(sources: SourcesState, events: EventLog, source: SourceName, t: number, message: string): void {
  const s = sources[source];
  if (s.ok !== false) {
    s.ok = false;
    s.since = t;
    logEvent(events, t, ESSENTIAL.has(source) ? 'error' : 'warn', `${LABELS[source]} unreachable: ${message}`);
  }
  s.error = message;
}
