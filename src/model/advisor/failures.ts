/** executor-lost / failed-tasks: counters of the current app that went up within the failure window. */
import { plural, secs } from './text.js';
import { finding, type AdvisorContext, type FailureCounts, type RawFinding } from './types.js';

/** Counters of the app as derived now (removed executors stay listed by the driver). */
export function failureCounts(ctx: { now: number; d: AdvisorContext['d'] }): FailureCounts {
  const all = [...ctx.d.executors.rows, ...ctx.d.executors.removed];
  return {
    t: ctx.now,
    appId: ctx.d.app.id,
    failedTasks: all.reduce((s, e) => s + e.failedTasks, 0),
    removedExecutors: ctx.d.executors.removed.filter((e) => e.id !== 'driver').length,
  };
}

function increase(ctx: AdvisorContext, pick: (c: FailureCounts) => number): number {
  const { before, now } = ctx.failures;
  return before && before.appId === now.appId ? pick(now) - pick(before) : 0;
}

const MEMORY_FIX = 'raise --executor-memory (or spark.executor.memoryOverhead) or lower the batch size (--max-offsets-per-trigger)';

function suggestionFor(reasons: string): string {
  if (/memory|OOM/i.test(reasons)) return `The executor ran out of memory: ${MEMORY_FIX}.`;
  // 137 = 128 + SIGKILL: the kernel's out-of-memory killer, a container limit, or a person.
  if (/\b137\b|killed/i.test(reasons)) {
    return `Exit code 137 is a SIGKILL: usually the kernel's out-of-memory killer (see \`dmesg\` or the worker's log); if so, ${MEMORY_FIX}. The master starts a replacement if cores are free.`;
  }
  return 'Look at the worker and executor logs (`sparktop lab logs spark-worker-1`); the master starts a replacement if cores are free.';
}

export function executorLost(ctx: AdvisorContext): RawFinding | null {
  const lost = increase(ctx, (c) => c.removedExecutors);
  if (lost <= 0) return null;
  const removed = ctx.d.executors.removed.filter((e) => e.id !== 'driver').slice(-lost);
  const reasons = [...new Set(removed.map((e) => e.removeReason ?? 'no reason given'))];
  const window = secs(ctx.thresholds.failureWindowMs);
  return finding(
    'executor-lost',
    'error',
    'Executors lost',
    {
      [`lost in ${window}`]: removed.map((e) => e.id).join(', '),
      reason: reasons.join('; '),
      'active executors': String(ctx.d.executors.rows.filter((e) => e.id !== 'driver').length),
    },
    `${plural(lost, 'executor')} removed in the last ${window}: ${reasons.join('; ')}.`,
    suggestionFor(reasons.join(' ')),
  );
}

export function failedTasks(ctx: AdvisorContext): RawFinding | null {
  const failed = increase(ctx, (c) => c.failedTasks);
  if (failed <= 0) return null;
  const window = secs(ctx.thresholds.failureWindowMs);
  const byExecutor = [...ctx.d.executors.rows, ...ctx.d.executors.removed].filter((e) => e.failedTasks > 0);
  return finding(
    'failed-tasks',
    'warn',
    'Tasks fail',
    {
      [`failed in ${window}`]: String(failed),
      'failed since start': byExecutor.map((e) => `${e.id}: ${e.failedTasks}`).join(', '),
    },
    `${plural(failed, 'task')} failed in the last ${window}; Spark retries them, so batches take longer.`,
    'Open view 5 (stages) for the failing stage and the driver log for the exception; failures on one executor point at its host, on all at the data or the code.',
  );
}
