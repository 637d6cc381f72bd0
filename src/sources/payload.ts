/**
 * What every parser of an endpoint's answer shares: the error a payload of the wrong shape becomes
 * (naming what was wrong, and where), and the number and text schemas nothing sent is trusted past.
 */
import { z } from 'zod';

export class PayloadError extends Error {}

/** Finite, non-negative, safe: huge numbers, negative offsets and NaN are rejected. */
export const count = z.number().finite().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const text = z.string().max(100_000);
/** A time as Spark's REST API writes it (model/time.ts reads it). */
export const sparkTime = z.string().max(64).nullable().optional();

export function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  if (typeof body === 'string') {
    const snippet = body.trim().slice(0, 40).replace(/\s+/g, ' ');
    const trimmed = body.trim();
    const kind = /^<(!doctype|html)/i.test(trimmed) ? 'HTML' : /^[[{]/.test(trimmed) ? 'invalid JSON (truncated, or NaN/Infinity in it)' : 'text';
    throw new PayloadError(`${what}: expected JSON, got ${kind} ("${snippet}…")`);
  }
  return validated(schema, body, what);
}

/** `body` through `schema`, or a PayloadError naming the first issue's place (under `at`, e.g. a row index). */
export function validated<T>(schema: z.ZodType<T>, body: unknown, what: string, at: PropertyKey[] = []): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = [...at, ...(issue?.path ?? [])].map(String);
    const where = path.length > 0 ? ` at ${path.join('.')}` : '';
    throw new PayloadError(`${what}: unexpected shape${where} (${issue?.message ?? 'invalid'})`);
  }
  return r.data;
}

