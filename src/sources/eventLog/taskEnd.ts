/** A TaskEnd event read once for the totals that add it up: the executor's and the stage's. */
import type { TaskIoTotals } from '../../model/samples.js';
import { objectOf, opt, optTime, type Json } from './eventJson.js';

export interface TaskEnd extends TaskIoTotals {
  /** A killed (or commit-denied) task counts as neither completed nor failed. */
  outcome: 'completed' | 'failed' | 'killed';
  /** Launch to finish (ms); 0 when either is not known. */
  duration: number;
  runTime: number;
  gcTime: number;
}

/** `info` is the event's "Task Info"; `finished` its finish time. */
export function taskEndOf(event: Json, info: Json, finished: number | null): TaskEnd {
  const reason = objectOf(event, 'Task End Reason')?.Reason;
  const metrics = objectOf(event, 'Task Metrics');
  const shuffleRead = objectOf(metrics, 'Shuffle Read Metrics');
  const shuffleWrite = objectOf(metrics, 'Shuffle Write Metrics');
  const input = objectOf(metrics, 'Input Metrics');
  const launched = optTime(info, 'Launch Time');
  return {
    outcome: reason === 'Success' ? 'completed' : reason === 'TaskKilled' || reason === 'TaskCommitDenied' ? 'killed' : 'failed',
    duration: launched !== null && finished !== null ? Math.max(0, finished - launched) : 0,
    runTime: opt(metrics, 'Executor Run Time'),
    gcTime: opt(metrics, 'JVM GC Time'),
    inputBytes: opt(input, 'Bytes Read'),
    inputRecords: opt(input, 'Records Read'),
    shuffleReadBytes: opt(shuffleRead, 'Remote Bytes Read') + opt(shuffleRead, 'Local Bytes Read'),
    shuffleReadRecords: opt(shuffleRead, 'Total Records Read'),
    shuffleWriteBytes: opt(shuffleWrite, 'Shuffle Bytes Written'),
    shuffleWriteRecords: opt(shuffleWrite, 'Shuffle Records Written'),
    memoryBytesSpilled: opt(metrics, 'Memory Bytes Spilled'),
    diskBytesSpilled: opt(metrics, 'Disk Bytes Spilled'),
  };
}
