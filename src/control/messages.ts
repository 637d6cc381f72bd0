import { MAX_GENERATORS, type ActionResult } from './types.js';

/** What the generator and job actions say, the same whichever lab runs the pipeline. */

const recPerSec = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

export function invalidGeneratorCount(count: number): ActionResult | null {
  if (Number.isInteger(count) && count >= 0 && count <= MAX_GENERATORS) return null;
  return { ok: false, message: `generators stay between 0 and ${MAX_GENERATORS}` };
}

export function invalidRate(ratePerGenerator: number): ActionResult | null {
  if (Number.isInteger(ratePerGenerator) && ratePerGenerator >= 1 && ratePerGenerator <= 10_000_000) return null;
  return { ok: false, message: 'the rate per generator stays between 1 and 10 000 000 rec/s' };
}

export const unchangedCount = (count: number): ActionResult => ({ ok: true, message: `${count} generators already` });

export const scaled = (from: number, to: number, rps: number): ActionResult => ({
  ok: true,
  message: `generators ${from} → ${to} × ${recPerSec(rps)} rec/s`,
});

export const rateChanged = (from: number, to: number): ActionResult => ({
  ok: true,
  message: `rate per generator ${recPerSec(from)} → ${recPerSec(to)} rec/s`,
});

export const pausedOrResumed = (count: number, paused: boolean): ActionResult => ({
  ok: true,
  message: `${count} generator${count === 1 ? '' : 's'} ${paused ? 'paused' : 'resumed'}`,
});

export const noJob: ActionResult = { ok: false, message: 'no job running' };

export const killed = (appIds: string[]): ActionResult => ({
  ok: true,
  message: `killed ${appIds.join(', ') || 'the job'}; no job running (r resubmits)`,
});

export function resubmitted(appId: string, steps: ReadonlyArray<{ step: string }>): ActionResult {
  const last = steps.at(-1);
  return { ok: true, message: `${appId} is running${last ? `, ${last.step}` : ''}`, detail: { appId } };
}

/**
 * A failed resubmission in one line: the error (for a spark-submit that died, the last error line of
 * its log, and where the log is) and what runs now, so the status line tells the honest state.
 */
export function resubmitFailed(err: unknown, runningApps: string[] | null): ActionResult {
  const text = err instanceof Error ? err.message : String(err);
  const tail = /Last lines of (\S+):\n([\s\S]*)$/.exec(text);
  let reason = text.split('\n')[0]!;
  if (tail) {
    const errorLine = tail[2]!
      .split('\n')
      .filter((l) => /exception|error/i.test(l))
      .at(-1);
    reason = `spark-submit exited${errorLine ? `: ${errorLine.trim()}` : ''} (log: ${tail[1]!.replace(/:$/, '')})`;
  }
  const now = runningApps === null ? '' : runningApps.length === 0 ? '; no job is running now (r to resubmit)' : `; still running: ${runningApps.join(', ')}`;
  return { ok: false, message: `${reason}${now}` };
}
