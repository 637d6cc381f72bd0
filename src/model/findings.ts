/**
 * Findings: what deserves attention, with thresholds from known practice (Dr. Elephant's executor
 * skew and GC ratios, NOTES.md). Each has a stable id, so the ui and `check` can refer to it.
 */
import type { Derived, Finding } from './derived.js';

/** Dr. Elephant: max ÷ median of executor task time / shuffle read. */
const SKEW = { low: 1.33, moderate: 1.78, severe: 3.16, critical: 10 };
/** Dr. Elephant: GC time ÷ run time. */
const GC = { low: 0.08, moderate: 0.09, severe: 0.1, critical: 0.15 };

function skewFinding(id: string, what: string, ratio: number | null): Finding | null {
  if (ratio === null || ratio < SKEW.moderate) return null;
  const level = ratio >= SKEW.critical ? 'critical' : ratio >= SKEW.severe ? 'severe' : 'moderate';
  return {
    id,
    severity: ratio >= SKEW.severe ? 'error' : 'warn',
    message: `${level} executor skew in ${what}: the busiest executor has ${ratio.toFixed(2)}× the median (recent window)`,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export function deriveFindings(d: Omit<Derived, 'findings'>): Finding[] {
  const out: Finding[] = [];
  const byStatus = (s: string) => d.partitions.rows.filter((r) => r.status === s).length;
  const stop = byStatus('STOP');
  const stall = byStatus('STALL');
  const warn = byStatus('WARN');
  if (stop > 0) out.push({ id: 'partitions-stop', severity: 'error', message: `${stop} partition(s) STOP: Spark is not committing batches and lag is piling up` });
  if (stall > 0) out.push({ id: 'partitions-stall', severity: 'error', message: `${stall} partition(s) STALL: Spark's offsets have not moved for a while although there is lag` });
  if (warn > 0) out.push({ id: 'partitions-warn', severity: 'warn', message: `${warn} partition(s) WARN: lag grew across the last batches` });
  if (d.health === 'falling-behind' && stop + stall + warn === 0) {
    out.push({ id: 'falling-behind', severity: 'warn', message: 'Spark processes fewer rows per second than come in, and the lag is growing' });
  }
  const p95 = d.batches.p95Ms;
  if (p95 !== null && p95 > d.batches.targetMs) {
    out.push({ id: 'batch-over-target', severity: 'warn', message: `p95 batch duration ${seconds(p95)} is above the target ${seconds(d.batches.targetMs)}` });
  }
  const skewTask = skewFinding('skew-task-time', 'task time', d.executors.skew.taskTime);
  if (skewTask) out.push(skewTask);
  const skewShuffle = skewFinding('skew-shuffle-read', 'shuffle read', d.executors.skew.shuffleRead);
  if (skewShuffle) out.push(skewShuffle);
  const gcWorst = d.executors.rows.reduce<{ id: string; ratio: number } | null>(
    (worst, r) => (r.id !== 'driver' && r.gcRatio !== null && (worst === null || r.gcRatio > worst.ratio) ? { id: r.id, ratio: r.gcRatio } : worst),
    null,
  );
  if (gcWorst && gcWorst.ratio >= GC.moderate) {
    out.push({
      id: 'gc-time',
      severity: gcWorst.ratio >= GC.critical ? 'error' : 'warn',
      message: `executor ${gcWorst.id} spends ${(gcWorst.ratio * 100).toFixed(0)}% of its task time in GC (recent window)`,
    });
  }
  const { shufflePartitions, executors, coresPerExecutor } = d.resources;
  if (shufflePartitions !== null && executors !== null && coresPerExecutor !== null && executors * coresPerExecutor > 0) {
    const cores = executors * coresPerExecutor;
    if (shufflePartitions > 8 * cores) {
      out.push({
        id: 'shuffle-partitions',
        severity: 'info',
        message: `${shufflePartitions} shuffle partitions for ${cores} core(s): each batch schedules ${shufflePartitions} small tasks per shuffle; a few per core is usually enough`,
      });
    }
  }
  return out;
}
