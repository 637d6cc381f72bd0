/**
 * The advisor's evaluation: every rule on the derived snapshot, then hysteresis. Runs from derive
 * at most once per `evaluateEveryMs` of the clock derive is given, so the frame rate does not
 * change how fast a finding rises or clears.
 */
import type { Derived } from '../derivedTypes.js';
import type { Ring } from '../ring.js';
import { failureCounts } from './failures.js';
import { healthy } from './healthy.js';
import { activeFindings, isActive, stepTrack, type AdvisorState } from './hysteresis.js';
import type { AdvisorOptions } from './options.js';
import { RULES } from './rules.js';
import type { AdvisorContext, FailureCounts, RawFinding } from './types.js';

export type AdvisorInput = Omit<AdvisorContext, 'now' | 'thresholds' | 'failures' | 'totalCores'>;

/** The newest counters of the same app at least `windowMs` old, else its oldest. */
function baseline(ring: Ring<FailureCounts>, appId: string | null, before: number): FailureCounts | null {
  let oldest: FailureCounts | null = null;
  let atOrBefore: FailureCounts | null = null;
  for (const c of ring.toArray()) {
    if (c.appId !== appId) continue;
    oldest ??= c;
    if (c.t <= before) atOrBefore = c;
  }
  return atOrBefore ?? oldest;
}

function totalCores(d: AdvisorInput['d']): number | null {
  const executors = d.executors.rows.filter((e) => e.id !== 'driver' && e.isActive);
  return executors.length > 0 ? executors.reduce((s, e) => s + e.cores, 0) : null;
}

export function evaluateAdvisor(state: AdvisorState, options: AdvisorOptions, input: AdvisorInput, now: number): void {
  const h = options.hysteresis;
  // Once per interval of the clock's grid (not per interval since the last call): whoever derives at
  // least once per interval — the live monitor, a replay, a test — evaluates in the same intervals.
  if (state.lastEvalAt !== null && Math.floor(now / h.evaluateEveryMs) <= Math.floor(state.lastEvalAt / h.evaluateEveryMs)) return;
  state.lastEvalAt = now;
  const th = options.thresholds;
  const counts = failureCounts({ now, d: input.d });
  const before = baseline(state.failures, counts.appId, now - th.failureWindowMs);
  const newest = state.failures.newest();
  if (!newest || now - newest.t >= th.failureWindowMs / 64) state.failures.push(counts);
  const ctx: AdvisorContext = { ...input, now, thresholds: th, failures: { before, now: counts }, totalCores: totalCores(input.d) };

  let anyHolds = false;
  for (const entry of RULES) {
    const raw: RawFinding | null = entry.rule(ctx);
    if (raw) anyHolds = true;
    const raiseAfter = h.oneLook ? h.raiseAfter : (entry.raiseAfter ?? h.raiseAfter);
    stepTrack(state, entry.id, raw, now, raiseAfter, h.clearAfter);
  }
  const anyActive = RULES.some((r) => isActive(state, r.id));
  const known = (ctx.d.health === 'keeping-up' || ctx.d.health === 'idle') && ctx.d.batches.last !== null;
  // "None of the above": healthy clears as soon as any condition holds, and needs a run of evaluations to rise.
  stepTrack(state, 'healthy', !anyHolds && !anyActive && known ? healthy(ctx) : null, now, h.healthyAfter, 1);
  state.version++;
}

export function advisorView(state: AdvisorState): Pick<Derived, 'findings' | 'advisor'> {
  return { findings: activeFindings(state), advisor: { cleared: state.cleared.toArray().reverse(), evaluatedAt: state.lastEvalAt } };
}
