/**
 * The driver's REST API (/api/v1/applications/…): its application, executors, environment, stages
 * and jobs → typed samples. Pure, like parse.ts.
 */
import { z } from 'zod';
import type { ExecutorSample, ExecutorsSample, JobSample, JobsSample, StageSample, StagesSample } from '../model/samples.js';
import { sparkDate } from '../model/time.js';
import { count, parse, sparkTime, text, validated } from './payload.js';

const applicationsSchema = z
  .array(
    z.object({
      id: text,
      name: text,
      attempts: z.array(z.object({ completed: z.boolean(), startTimeEpoch: z.number().optional(), startTime: sparkTime })).max(1000),
    }),
  )
  .max(10_000);

export interface DriverApp {
  id: string;
  name: string;
  startedAt: number | null;
  completed: boolean;
}

/** The driver's `/applications`: the running app (a driver UI serves exactly one), else the newest. */
export function parseApplications(body: unknown): DriverApp | null {
  const apps = parse(applicationsSchema, body, 'driver /applications').map((a) => {
    const attempt = a.attempts[a.attempts.length - 1];
    return {
      id: a.id,
      name: a.name,
      startedAt: attempt?.startTimeEpoch ?? sparkDate(attempt?.startTime) ?? null,
      completed: attempt?.completed ?? false,
    };
  });
  return apps.find((a) => !a.completed) ?? apps.sort((x, y) => (y.startedAt ?? 0) - (x.startedAt ?? 0))[0] ?? null;
}

const executorSchema = z.object({
  id: text,
  hostPort: text,
  isActive: z.boolean(),
  totalCores: count,
  activeTasks: count,
  completedTasks: count,
  failedTasks: count,
  totalDuration: count,
  totalGCTime: count,
  totalInputBytes: count,
  totalShuffleRead: count,
  totalShuffleWrite: count,
  memoryUsed: count,
  maxMemory: count,
  addTime: sparkTime,
  removeTime: sparkTime,
  removeReason: text.nullable().optional(),
});

export function parseExecutors(app: DriverApp, body: unknown, sparkProperties: Record<string, string> | null): ExecutorsSample {
  const rows = parse(z.array(executorSchema).max(100_000), body, 'driver /allexecutors');
  const executors: ExecutorSample[] = rows.map((e) => ({
    id: e.id,
    hostPort: e.hostPort,
    isActive: e.isActive,
    totalCores: e.totalCores,
    activeTasks: e.activeTasks,
    completedTasks: e.completedTasks,
    failedTasks: e.failedTasks,
    totalDuration: e.totalDuration,
    totalGCTime: e.totalGCTime,
    totalInputBytes: e.totalInputBytes,
    totalShuffleRead: e.totalShuffleRead,
    totalShuffleWrite: e.totalShuffleWrite,
    memoryUsed: e.memoryUsed,
    maxMemory: e.maxMemory,
    addTime: e.addTime ?? null,
    removeTime: e.removeTime ?? null,
    removeReason: e.removeReason ?? null,
  }));
  return { appId: app.id, appName: app.name, appStartedAt: app.startedAt, executors, sparkProperties };
}

/** The Spark properties that matter for tuning, from the driver's `/environment`. */
export const TUNING_PROPERTIES = [
  'spark.app.name',
  'spark.master',
  'spark.executor.cores',
  'spark.executor.memory',
  'spark.executor.instances',
  'spark.cores.max',
  'spark.driver.memory',
  'spark.sql.shuffle.partitions',
  'spark.default.parallelism',
  'spark.dynamicAllocation.enabled',
  'spark.sql.streaming.metricsEnabled',
] as const;

export function parseEnvironment(body: unknown): Record<string, string> {
  const env = parse(z.object({ sparkProperties: z.array(z.tuple([text, text])).max(100_000) }), body, 'driver /environment');
  const props: Record<string, string> = {};
  for (const [k, v] of env.sparkProperties) if ((TUNING_PROPERTIES as readonly string[]).includes(k)) props[k] = v;
  return props;
}

const stageSchema = z.object({
  stageId: count,
  attemptId: count,
  status: text,
  name: text,
  description: text.nullable().optional(),
  numTasks: count,
  numActiveTasks: count,
  numCompleteTasks: count,
  numFailedTasks: count,
  executorRunTime: count,
  submissionTime: sparkTime,
  completionTime: sparkTime,
  inputRecords: count,
  inputBytes: count,
  shuffleReadBytes: count,
  shuffleReadRecords: count,
  shuffleWriteBytes: count,
  shuffleWriteRecords: count,
  memoryBytesSpilled: count,
  diskBytesSpilled: count,
});

/**
 * Stage rows already validated, by the raw row object. The sampler keeps the rows it merged and
 * hands the same objects again every poll (sampler.ts); only new rows go through the schema.
 */
const validatedStages = new WeakMap<object, StageSample>();

export function parseStages(appId: string, body: unknown): StagesSample {
  const rows = parse(z.array(z.unknown()).max(100_000), body, 'driver /stages');
  const stages: StageSample[] = rows.map((raw, i) => {
    const known = typeof raw === 'object' && raw !== null ? validatedStages.get(raw) : undefined;
    if (known) return known;
    const row = validated(stageSchema, raw, 'driver /stages', [i]);
    const stage: StageSample = {
      ...row,
      description: row.description ?? null,
      submissionTime: row.submissionTime ?? null,
      completionTime: row.completionTime ?? null,
    };
    if (typeof raw === 'object' && raw !== null) validatedStages.set(raw, stage);
    return stage;
  });
  return { appId, stages };
}

const jobSchema = z.object({
  jobId: count,
  name: text,
  description: text.nullable().optional(),
  jobGroup: text.nullable().optional(),
  status: text,
  submissionTime: sparkTime,
  completionTime: sparkTime,
  numTasks: count,
  stageIds: z.array(count).max(100_000),
});

export function parseJobs(appId: string, body: unknown): JobsSample {
  const rows = parse(z.array(jobSchema).max(100_000), body, 'driver /jobs');
  const jobs: JobSample[] = rows.map((j) => ({
    ...j,
    description: j.description ?? null,
    jobGroup: j.jobGroup ?? null,
    submissionTime: j.submissionTime ?? null,
    completionTime: j.completionTime ?? null,
  }));
  return { appId, jobs };
}
