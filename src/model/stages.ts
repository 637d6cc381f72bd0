/** Stages of the current app (view 5), newest first, from the driver's latest stages answer. */
import type { StageRow } from './derivedTypes.js';
import type { StagesSample } from './samples.js';
import { sparkDate } from './time.js';

export interface StagesDerived {
  rows: StageRow[];
  longestStageId: number | null;
}

export function deriveStages(sample: StagesSample | null, now: number, max: number): StagesDerived {
  if (!sample) return { rows: [], longestStageId: null };
  const newestFirst = [...sample.stages].sort((a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId).slice(0, max);
  let longest: StageRow | null = null;
  const rows = newestFirst.map((s): StageRow => {
    const submitted = sparkDate(s.submissionTime);
    const completed = sparkDate(s.completionTime);
    // A running stage's duration so far; one that never started has none.
    const end = completed ?? (s.status === 'ACTIVE' ? now : null);
    const row: StageRow = {
      stageId: s.stageId,
      attemptId: s.attemptId,
      status: s.status,
      name: s.name,
      numTasks: s.numTasks,
      numActiveTasks: s.numActiveTasks,
      numCompleteTasks: s.numCompleteTasks,
      numFailedTasks: s.numFailedTasks,
      durationMs: submitted !== null && end !== null ? Math.max(0, end - submitted) : null,
      inputRecords: s.inputRecords,
      shuffleReadBytes: s.shuffleReadBytes,
      shuffleWriteBytes: s.shuffleWriteBytes,
      spillBytes: s.memoryBytesSpilled + s.diskBytesSpilled,
    };
    if (row.durationMs !== null && (longest === null || row.durationMs > (longest.durationMs ?? 0))) longest = row;
    return row;
  });
  return { rows, longestStageId: (longest as StageRow | null)?.stageId ?? null };
}
