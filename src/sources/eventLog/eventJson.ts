/** Reading the fields of Spark's event JSON: checks, required and optional fields, and the REST API's date format. */
import { PayloadError } from '../payload.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field that must be there: a PayloadError naming the event and the field otherwise. */
export function need<T>(event: string, o: Json, key: string, check: (v: unknown) => v is T, what: string): T {
  const v = o[key];
  if (!check(v)) throw new PayloadError(`${event}: "${key}" is not ${what}`);
  return v;
}
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isCount = (v: unknown): v is number => isNum(v) && v >= 0;
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isId = (v: unknown): v is string | number => isStr(v) || isNum(v);
export const opt = (o: Json | null | undefined, key: string): number => (o && isNum(o[key]) ? (o[key] as number) : 0);
export const optTime = (o: Json, key: string): number | null => (isNum(o[key]) && (o[key] as number) > 0 ? (o[key] as number) : null);
export const objectOf = (o: Json | null | undefined, key: string): Json | null => (o && isObject(o[key]) ? (o[key] as Json) : null);

/** Spark's REST date format: `2026-11-28T18:30:13.305GMT`. */
export function restDate(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace('Z', 'GMT');
}
