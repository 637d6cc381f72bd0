/**
 * What a panel says about a source it cannot read: `unreachable since 14:03:27 (reason)` and how
 * old the values it still shows are. Pure.
 */
import type { Derived } from '../model/derivedTypes.js';
import type { SourceName } from '../model/samples.js';
import { formatAge, formatClock } from '../text/format.js';
import { oneLine, textWidth, truncate, type Span } from '../text/cells.js';

export interface Outage {
  source: SourceName;
  since: number | null;
  reason: string | null;
  /** Age of the last values read (null: none were ever read). */
  ageMs: number | null;
}

/** Which panels depend on which sources (issue #3). */
export const PANEL_SOURCES = {
  rates: ['progress'],
  batches: ['progress', 'driver'],
  partitions: ['kafka'],
  executors: ['driver'],
  header: ['master'],
} as const satisfies Record<string, readonly SourceName[]>;

export function outageOf(derived: Derived, source: SourceName): Outage | null {
  const state = derived.sources[source];
  if (!state || state.ok !== false) return null;
  return {
    source,
    since: state.since,
    reason: state.error,
    ageMs: state.lastOkAt === null ? null : Math.max(0, derived.at - state.lastOkAt),
  };
}

export function outagesOf(derived: Derived, sources: readonly SourceName[]): Outage[] {
  return sources.map((s) => outageOf(derived, s)).filter((o): o is Outage => o !== null);
}

const SOURCE_LABELS: Record<SourceName, string> = { kafka: 'kafka', driver: 'spark driver', progress: 'progress', master: 'master', checkpoint: 'checkpoint' };

export function sourceLabel(source: SourceName): string {
  return SOURCE_LABELS[source];
}

/** The part of an error message worth keeping when there is no room: `ECONNREFUSED`, `HTTP 503`, `timeout`. */
export function shortReason(reason: string): string {
  const code = /\bE[A-Z]{3,}\b/.exec(reason) ?? /\b(?:HTTP |status )?[45]\d\d\b/.exec(reason) ?? /\btime(?:d ?)?out\b/i.exec(reason);
  return code ? code[0] : reason;
}

/**
 * `spark driver unreachable since 14:03:27 (connect ECONNREFUSED 127.0.0.1:4040) · values 35 s old`,
 * shortened to fit `width`: first the age goes (panels also show it in their title), then the
 * reason shrinks to its error code, then it is cut.
 */
export function outageText(outage: Outage, options: { withSource: boolean; withAge?: boolean; width?: number }): string {
  const width = options.width ?? Infinity;
  const who = options.withSource ? `${sourceLabel(outage.source)} ` : '';
  const head = `${who}unreachable since ${formatClock(outage.since)}`;
  const age = options.withAge === false ? '' : ` · ${ageText(outage)}`;
  const reason = outage.reason ? oneLine(outage.reason) : '';
  const candidates = reason ? [`${head} (${reason})${age}`, `${head} (${reason})`, `${head} (${shortReason(reason)})`] : [`${head}${age}`];
  const fitting = candidates.find((c) => textWidth(c) <= width);
  if (fitting) return fitting;
  const room = width - textWidth(head) - 3;
  return reason && room >= 6 ? `${head} (${truncate(shortReason(reason), room)})` : head;
}

/** `values 35 s old` (or `no values yet`). */
export function ageText(outage: Outage): string {
  return outage.ageMs === null ? 'no values yet' : `values ${formatAge(outage.ageMs)} old`;
}

export function outageSpans(outage: Outage, options: { withSource: boolean; width: number }): Span[] {
  return [{ text: outageText(outage, options), tone: 'bad', bold: true }];
}

/** For a panel title: how old the shown values are, when a source behind them is down. */
export function staleSpans(outages: readonly Outage[]): Span[] {
  if (outages.length === 0) return [];
  const ages = outages.map((o) => o.ageMs);
  const text = ages.some((a) => a === null) ? 'no values' : `${formatAge(Math.max(...(ages as number[])))} old`;
  return [{ text, tone: 'bad', bold: true }, { text: ' · ' }];
}
