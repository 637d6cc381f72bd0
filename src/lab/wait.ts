import { setTimeout as delay } from 'node:timers/promises';

export class ReadinessTimeout extends Error {}
export class ComponentDied extends Error {}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked between polls: when it returns a reason, waiting stops at once with ComponentDied. */
  failFast?: () => string | null;
  signal?: AbortSignal;
}

/** Polls `probe` until it returns a value other than undefined; never a fixed sleep. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 500;
  let lastError = '';
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    const died = opts.failFast?.();
    if (died) throw new ComponentDied(`${what}: ${died}`);
    if (Date.now() >= deadline) {
      throw new ReadinessTimeout(
        `${what}: not ready after ${Math.round(opts.timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await delay(interval, undefined, opts.signal ? { signal: opts.signal } : undefined);
  }
}
