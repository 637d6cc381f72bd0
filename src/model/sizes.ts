/** How much each history currently holds: for the bounded-memory test and for diagnostics. */
import type { ModelState } from './store.js';

export interface RetainedSizes {
  kafkaHistory: number;
  lagSeries: number;
  commits: number;
  movedPartitions: number;
  batchEvents: number;
  batchRows: number;
  batchIndex: number;
  executors: number;
  /** The largest per-executor counter history. */
  executorPoints: number;
  events: number;
  marks: number;
  appChanges: number;
  terminatedRuns: number;
  seenRuns: number;
  memo: number;
  experiments: number;
  /** The largest per-segment duration sample, and the run/derived-batch bookkeeping of experiments. */
  experimentDurations: number;
  experimentRuns: number;
  experimentDerivedKeys: number;
  /** The advisor: one track per rule, recently cleared findings, failure counters. */
  advisorTracks: number;
  advisorCleared: number;
  advisorFailures: number;
}

export function retainedSizes(state: ModelState): RetainedSizes {
  let executorPoints = 0;
  for (const track of state.executors.tracks.values()) executorPoints = Math.max(executorPoints, track.points.size);
  return {
    kafkaHistory: state.kafka.history.size,
    lagSeries: state.lag.series.size,
    commits: state.lag.commits.size,
    movedPartitions: state.lag.moved.size,
    batchEvents: state.batches.events.size,
    batchRows: state.batches.rows.size,
    batchIndex: state.batches.byKey.size,
    executors: state.executors.tracks.size,
    executorPoints,
    events: state.events.rows.size,
    marks: state.marks.size,
    appChanges: state.appChanges.size,
    terminatedRuns: state.queries.terminated.size,
    seenRuns: state.queries.seenRuns.size,
    memo: state.memo.size,
    experiments: state.experiments.segments.size,
    experimentDurations: Math.max(0, ...state.experiments.segments.toArray().map((s) => Math.max(s.listener.durations.size, s.derived.durations.size))),
    experimentRuns: state.experiments.runBatches.size,
    experimentDerivedKeys: state.experiments.countedDerivedSet.size,
    advisorTracks: state.advisor.tracks.size,
    advisorCleared: state.advisor.cleared.size,
    advisorFailures: state.advisor.failures.size,
  };
}
