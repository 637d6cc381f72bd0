/** Markdown pieces the report's sections share. Pure. */
import { mdCell } from './experimentsExport.js';
import { clock } from './replaySource.js';

/** A Markdown table; `right` lists the columns aligned right (numbers). */
export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, right: readonly number[] = []): string[] {
  const align = header.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [`| ${header.map(mdCell).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)];
}

/** `20:46:05` (UTC). */
export const utcTime = (t: number): string => new Date(t).toISOString().slice(11, 19);

/** `2026-11-28 20:46:05 UTC`. */
export const utcDateTime = (t: number): string => `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** `20:46:05 (+1:23)`: the time and how far into the recording it is. */
export const whenIn = (t: number, start: number): string => `${utcTime(t)} (+${clock(t - start)})`;

/** Mean of the values, null when there are none. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Several lines as one: `a; b; c`. */
export const oneLine = (text: string): string => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('; ');
