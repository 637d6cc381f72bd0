/**
 * Finished batches counted into the experiment segment they belong to: warm-up batches apart, and
 * batches of an application no driver has named yet parked until one does.
 */
import type { BatchRow } from './derivedTypes.js';
import { forNewApp, newSegment, type ExperimentsState, type Segment } from './experimentSegments.js';
import type { QueryProgress } from './samples.js';

const RUNS_KEPT = 32;
const SEGMENT_RUNS_KEPT = 64;
/** Batches of an unknown application held at most; beyond, they open a segment of an unknown app. */
const PARKED_KEPT = 32;

/** The parked batches go to the current segment: its app is the one the driver names now. */
export function countParked(exp: ExperimentsState): void {
  if (exp.parked.length === 0) return;
  const seg = exp.segments.newest()!;
  for (const { row, progress } of exp.parked.splice(0)) countIn(exp, seg, row, progress);
}

/**
 * The segment a batch belongs to: the newest of its app that had started when the batch did
 * (a batch that straddles a change is the old segment's), else the oldest of its app.
 */
function segmentOf(exp: ExperimentsState, row: BatchRow): Segment | undefined {
  let fallback: Segment | undefined;
  for (let i = exp.segments.size - 1; i >= 0; i--) {
    const s = exp.segments.at(i)!;
    const sameApp = row.appId === null || s.appId === null || s.appId === row.appId;
    if (!sameApp) continue;
    if (s.start <= row.t) return s;
    fallback = s;
  }
  return fallback;
}

function countRun(exp: ExperimentsState, runId: string): number {
  const seen = (exp.runBatches.get(runId) ?? 0) + 1;
  exp.runBatches.set(runId, seen);
  if (exp.runBatches.size > RUNS_KEPT) exp.runBatches.delete(exp.runBatches.keys().next().value!);
  return seen;
}

/**
 * One finished batch. Warm-up batches are left out of rates and durations (they still count for
 * lag): the first two batches of a run sparktop saw start — batch ids from 0, or a run of an app
 * that started during the watch. The first pays the JVM's and the planner's start-up; the second
 * drains what Kafka received meanwhile. Both say nothing about the steady state of the resources.
 * `driverAnswers` false: no driver vouched for the current application when the listener delivered
 * the batch; a batch of a run the current segment has not counted is parked until a driver names
 * the application (its row carries the app the model knew then, which may be the old one).
 */
export function noteExperimentBatch(exp: ExperimentsState, row: BatchRow, progress: QueryProgress | null, driverAnswers = true): void {
  if (row.durationMs === null || !Number.isFinite(row.t)) return;
  if (row.origin !== 'derived' && !driverAnswers) {
    const cur = exp.segments.newest();
    if (cur && cur.appId !== null && !cur.runs.has(row.runId)) {
      exp.parked.push({ row, progress });
      if (exp.parked.length > PARKED_KEPT) {
        forNewApp(newSegment(exp, exp.parked[0]!.row.t, 'app', cur), null);
        countParked(exp);
      }
      return;
    }
  }
  if (row.origin === 'derived') {
    const key = `${row.runId}/${row.batchId}`;
    if (exp.countedDerivedSet.has(key)) return;
    const evicted = exp.countedDerived.push(key);
    if (evicted !== undefined) exp.countedDerivedSet.delete(evicted);
    exp.countedDerivedSet.add(key);
  }
  const seg = segmentOf(exp, row);
  if (seg) countIn(exp, seg, row, progress);
}

/** Counts a finished batch (its duration known) in `seg`. */
function countIn(exp: ExperimentsState, seg: Segment, row: BatchRow, progress: QueryProgress | null): void {
  const durationMs = row.durationMs!;
  exp.version++;
  seg.runs.add(row.runId);
  if (seg.runs.size > SEGMENT_RUNS_KEPT) seg.runs.delete(seg.runs.values().next().value!);
  const nth = countRun(exp, `${row.origin ?? 'listener'}/${row.runId}`);
  const runStartedInView = nth === row.batchId + 1 || (seg.cause !== 'start' && seg.cause !== 'generators');
  const shuffle = progress?.stateOperators.find((o) => typeof o.numShufflePartitions === 'number')?.numShufflePartitions;
  if (typeof shuffle === 'number') seg.stateShufflePartitions = shuffle;
  const stats = row.origin === 'derived' ? seg.derived : seg.listener;
  if (nth <= 2 && runStartedInView) {
    stats.warmupBatches++;
    return;
  }
  stats.batches++;
  stats.durations.push(durationMs);
  stats.maxMs = Math.max(stats.maxMs ?? 0, durationMs);
  const rows = row.numInputRows;
  if (rows !== null && rows > 0 && row.inputRps !== null && row.inputRps > 0 && row.processedRps !== null && row.processedRps > 0) {
    stats.rateRows += rows;
    stats.inputSeconds += rows / row.inputRps;
    stats.processSeconds += rows / row.processedRps;
    stats.rateBatches++;
  }
}
