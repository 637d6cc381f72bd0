/** Stages and jobs as the driver's REST API shows them, built up from job, stage and task events; the newest kept. */
import type { JobSample, StageSample } from '../../model/samples.js';
import { isCount, isObject, isStr, need, objectOf, opt, optTime, restDate, type Json } from './eventJson.js';
import type { TaskEnd } from './taskEnd.js';

/** The driver's REST API keeps more; the live sampler keeps the newest 200 stages too (sampler.ts). */
const STAGES_KEPT = 200;
const JOBS_KEPT = 200;

interface StageAcc {
  row: StageSample;
  /** The row last given out (shared by samples while nothing changed). */
  given: StageSample | null;
}

interface JobAcc {
  row: JobSample;
  given: JobSample | null;
  stageIds: number[];
}

function stageKey(name: string, info: Json): string {
  const id = need(name, info, 'Stage ID', isCount, 'an id');
  const attempt = opt(info, 'Stage Attempt ID');
  return `${id}/${attempt}`;
}

/**
 * Each method applies one event whose time the caller has read and moved the log's clock to; a
 * boolean result says whether a row changed.
 */
export class Stages {
  private readonly stages = new Map<string, StageAcc>();

  /** Newest first; a row unchanged since the last call is the same object. */
  rows(): StageSample[] {
    const rows = [...this.stages.values()].sort((a, b) => b.row.stageId - a.row.stageId || b.row.attemptId - a.row.attemptId);
    return rows.map((s) => (s.given ??= { ...s.row }));
  }

  /** `info` is the event's "Stage Info". */
  submitted(name: string, event: Json, info: Json, t: number | null): void {
    const key = stageKey(name, info);
    const props = objectOf(event, 'Properties');
    const known = this.stages.get(key);
    const row: StageSample = known?.row ?? {
      stageId: opt(info, 'Stage ID'),
      attemptId: opt(info, 'Stage Attempt ID'),
      status: 'ACTIVE',
      name: isStr(info['Stage Name']) ? info['Stage Name'] : '',
      description: isStr(props?.['spark.job.description']) ? (props['spark.job.description'] as string) : null,
      numTasks: opt(info, 'Number of Tasks'),
      numActiveTasks: 0,
      numCompleteTasks: 0,
      numFailedTasks: 0,
      executorRunTime: 0,
      submissionTime: restDate(t),
      completionTime: null,
      inputRecords: 0,
      inputBytes: 0,
      shuffleReadBytes: 0,
      shuffleReadRecords: 0,
      shuffleWriteBytes: 0,
      shuffleWriteRecords: 0,
      memoryBytesSpilled: 0,
      diskBytesSpilled: 0,
    };
    row.status = 'ACTIVE';
    this.stages.set(key, { row, given: null });
    this.evict();
  }

  /** `info` is the event's "Stage Info"; `t` its completion time, else the log's clock. */
  completed(name: string, info: Json, t: number | null): boolean {
    const stage = this.stages.get(stageKey(name, info));
    if (!stage) return false;
    stage.row.status = isStr(info['Failure Reason']) ? 'FAILED' : 'COMPLETE';
    stage.row.completionTime = restDate(t);
    stage.row.numActiveTasks = 0;
    stage.given = null;
    return true;
  }

  taskStarted(name: string, event: Json): boolean {
    const stage = this.stages.get(stageKey(name, event));
    if (!stage) return false;
    stage.row.numActiveTasks++;
    stage.given = null;
    return true;
  }

  taskEnded(name: string, event: Json, end: TaskEnd): boolean {
    const stage = this.stages.get(stageKey(name, event));
    if (!stage) return false;
    const r = stage.row;
    r.numActiveTasks = Math.max(0, r.numActiveTasks - 1);
    if (end.outcome === 'completed') r.numCompleteTasks++;
    else if (end.outcome === 'failed') r.numFailedTasks++;
    r.executorRunTime += end.runTime;
    r.inputRecords += end.inputRecords;
    r.inputBytes += end.inputBytes;
    r.shuffleReadBytes += end.shuffleReadBytes;
    r.shuffleReadRecords += end.shuffleReadRecords;
    r.shuffleWriteBytes += end.shuffleWriteBytes;
    r.shuffleWriteRecords += end.shuffleWriteRecords;
    r.memoryBytesSpilled += end.memoryBytesSpilled;
    r.diskBytesSpilled += end.diskBytesSpilled;
    stage.given = null;
    return true;
  }

  /** Past STAGES_KEPT, the oldest stage no longer active goes. */
  private evict(): void {
    if (this.stages.size <= STAGES_KEPT) return;
    let oldest: string | null = null;
    let oldestId = Infinity;
    for (const [key, s] of this.stages) {
      if (s.row.status !== 'ACTIVE' && s.row.stageId < oldestId) {
        oldest = key;
        oldestId = s.row.stageId;
      }
    }
    if (oldest !== null) this.stages.delete(oldest);
  }
}

/** Like Stages: each method applies one event, a boolean result says whether a row changed. */
export class Jobs {
  private readonly jobs = new Map<number, JobAcc>();

  /** Newest first; a row unchanged since the last call is the same object. */
  rows(): JobSample[] {
    const rows = [...this.jobs.values()].sort((a, b) => b.row.jobId - a.row.jobId);
    return rows.map((j) => (j.given ??= { ...j.row, stageIds: [...j.stageIds] }));
  }

  started(name: string, event: Json, t: number): void {
    const jobId = need(name, event, 'Job ID', isCount, 'an id');
    const infos = need(name, event, 'Stage Infos', Array.isArray, 'a list') as unknown[];
    const stageInfos = infos.filter(isObject);
    const last = [...stageInfos].sort((a, b) => opt(a, 'Stage ID') - opt(b, 'Stage ID')).at(-1);
    const props = objectOf(event, 'Properties');
    const stageIds = Array.isArray(event['Stage IDs']) ? event['Stage IDs'].filter(isCount) : stageInfos.map((s) => opt(s, 'Stage ID'));
    this.jobs.set(jobId, {
      given: null,
      stageIds,
      row: {
        jobId,
        name: last && isStr(last['Stage Name']) ? last['Stage Name'] : '',
        description: isStr(props?.['spark.job.description']) ? (props['spark.job.description'] as string) : null,
        jobGroup: isStr(props?.['spark.jobGroup.id']) ? (props['spark.jobGroup.id'] as string) : null,
        status: 'RUNNING',
        submissionTime: restDate(t),
        completionTime: null,
        numTasks: stageInfos.filter((s) => optTime(s, 'Completion Time') === null).reduce((n, s) => n + opt(s, 'Number of Tasks'), 0),
        stageIds,
      },
    });
    if (this.jobs.size > JOBS_KEPT) {
      const oldest = Math.min(...this.jobs.keys());
      this.jobs.delete(oldest);
    }
  }

  ended(name: string, event: Json, t: number): boolean {
    const job = this.jobs.get(need(name, event, 'Job ID', isCount, 'an id'));
    if (!job) return false;
    const result = objectOf(event, 'Job Result')?.Result;
    job.row = { ...job.row, status: result === 'JobSucceeded' ? 'SUCCEEDED' : 'FAILED', completionTime: restDate(t) };
    job.given = null;
    return true;
  }
}
