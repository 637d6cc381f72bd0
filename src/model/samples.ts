/**
 * What the sources deliver to the model, and what a recording stores (one JSON line per sample:
 * `{"t", "kind", "data"}`, docs/ARCHITECTURE.md "Recording format"). Every value was validated at the source
 * boundary; a value the endpoint did not give is null, never 0.
 */

/** `checkpoint`: the query's checkpoint folder (--checkpoint), read only when given. */
export type SourceName = 'kafka' | 'driver' | 'master' | 'progress' | 'checkpoint';

export interface KafkaPartitionSample {
  partition: number;
  logEndOffset: number;
  /** Null: not known (Spark's view from an event log has the log end only). */
  logStartOffset: number | null;
}

export interface KafkaSample {
  topic: string;
  partitions: KafkaPartitionSample[];
  /** Classic consumer-group offsets when `--group` was given (read-only: nothing is committed). */
  group: { groupId: string; offsets: Array<{ partition: number; offset: number | null }> } | null;
  /**
   * Whose view of the log end this is: absent, Kafka's (read from the brokers); `spark`, the latest
   * offsets Spark saw when it planned a batch (an event log's `latestOffset`), so lag is Spark's view.
   */
  view?: 'spark';
}

export interface ExecutorSample {
  id: string;
  hostPort: string;
  isActive: boolean;
  totalCores: number;
  activeTasks: number;
  completedTasks: number;
  failedTasks: number;
  /** Cumulative task time (ms) since the executor started. */
  totalDuration: number;
  totalGCTime: number;
  totalInputBytes: number;
  totalShuffleRead: number;
  totalShuffleWrite: number;
  /** Storage memory used / available (bytes). */
  memoryUsed: number;
  maxMemory: number;
  addTime: string | null;
  removeTime: string | null;
  removeReason: string | null;
}

export interface ExecutorsSample {
  appId: string;
  appName: string;
  /** Application start (epoch ms) as the driver reports it. */
  appStartedAt: number | null;
  executors: ExecutorSample[];
  /** Spark properties of the running app that matter for tuning (from /environment), when known. */
  sparkProperties: Record<string, string> | null;
}

/** What tasks read, shuffled and spilled: Spark's task metrics, summed over a stage's tasks or an executor's. */
export interface TaskIoTotals {
  inputBytes: number;
  inputRecords: number;
  /** Remote and local. */
  shuffleReadBytes: number;
  shuffleReadRecords: number;
  shuffleWriteBytes: number;
  shuffleWriteRecords: number;
  memoryBytesSpilled: number;
  diskBytesSpilled: number;
}

export interface StageSample extends TaskIoTotals {
  stageId: number;
  attemptId: number;
  status: string;
  name: string;
  description: string | null;
  numTasks: number;
  numActiveTasks: number;
  numCompleteTasks: number;
  numFailedTasks: number;
  executorRunTime: number;
  submissionTime: string | null;
  completionTime: string | null;
}

export interface StagesSample {
  appId: string;
  stages: StageSample[];
}

export interface JobSample {
  jobId: number;
  name: string;
  description: string | null;
  jobGroup: string | null;
  status: string;
  submissionTime: string | null;
  completionTime: string | null;
  numTasks: number;
  stageIds: number[];
}

export interface JobsSample {
  appId: string;
  jobs: JobSample[];
}

/** Spark's own StreamingQueryProgress JSON; every field is kept (unknown ones too). */
export interface QueryProgress {
  id: string;
  runId: string;
  name: string | null;
  timestamp: string;
  batchId: number;
  numInputRows: number;
  inputRowsPerSecond: number | null;
  processedRowsPerSecond: number | null;
  durationMs: Record<string, number>;
  eventTime?: Record<string, string>;
  stateOperators: Array<{ numRowsTotal?: number; numRowsUpdated?: number; memoryUsedBytes?: number; numShufflePartitions?: number; [k: string]: unknown }>;
  sources: Array<{
    description?: string;
    startOffset: unknown;
    endOffset: unknown;
    latestOffset: unknown;
    numInputRows?: number;
    metrics?: Record<string, string>;
    [k: string]: unknown;
  }>;
  sink?: Record<string, unknown>;
  [k: string]: unknown;
}

/** A micro-batch known only from the driver's jobs API (no listener): no breakdown. */
export interface DerivedBatch {
  runId: string;
  batchId: number;
  /** First job's submission, epoch ms. */
  startedAt: number;
  /** Null while the batch is running. */
  durationMs: number | null;
  /**
   * Rows read from the sources, from the driver's SQL executions of the batch (parse.ts
   * `batchRowsOf`); null while unknown (running, not read yet, or no SQL answer).
   */
  numInputRows: number | null;
  /** The query the batch's description names (`<name>\nid = …`); null or absent when it names none. */
  queryId?: string | null;
  queryName?: string | null;
}

/**
 * One SQL execution of a micro-batch as far as row counts go (the driver's
 * `/applications/{id}/sql`): kept by the sampler's interpreter, keyed by execution id.
 */
export interface SqlExecution {
  id: number;
  status: string;
  runId: string;
  batchId: number;
  /** Σ "number of output rows" of the plan's MicroBatchScan nodes; null when none reports it. */
  scanRows: number | null;
}

/**
 * The newest complete batch of a query's checkpoint folder (--checkpoint): the batch N with both
 * `offsets/N` and `commits/N`, its end offsets on the watched topic.
 */
export interface CheckpointSample {
  dir: string;
  /** The query id (`metadata`); the same across restarts from this checkpoint. */
  queryId: string;
  topic: string;
  batchId: number;
  /** `batchTimestampMs` of offsets/N: the batch's start (Spark's clock). */
  plannedAt: number;
  /** Modification time of commits/N: when the batch completed. */
  committedAt: number;
  offsets: Array<{ partition: number; offset: number }>;
}

/** Spark's streaming gauges for one query (spark.sql.streaming.metricsEnabled), from the driver's /metrics/prometheus. */
export interface StreamingMetrics {
  query: string;
  inputRps: number | null;
  processedRps: number | null;
  latencyMs: number | null;
  stateRows: number | null;
  stateBytes: number | null;
}

export interface ProgressSample {
  /** Where the batches came from: the listener, or derived from the driver's jobs API (fewer fields). */
  origin: 'listener' | 'derived';
  queries: Array<{ id: string; runId: string; name: string | null }>;
  /** Only the events not delivered before (the listener's `since`); empty when derived. */
  progress: QueryProgress[];
  terminated: Array<{ id: string; runId: string; exception: string | null }>;
  /** With origin 'derived': the batches seen in the jobs API (all retained ones, newest last). */
  derivedBatches: DerivedBatch[];
  /** With origin 'derived': Spark's streaming gauges when the app has them enabled (rates without the listener). */
  metrics?: StreamingMetrics[];
  /** Listener only, when the job told it: query options Spark shows nowhere. */
  settings?: QuerySettings;
}

/** What the job says about its query (sparktop_listener.attach(settings=)); null: not said. */
export interface QuerySettings {
  /** `10 seconds`, `availableNow`, or `default` (the next batch as soon as the last ends). */
  trigger: string | null;
  maxOffsetsPerTrigger: number | null;
  minPartitions: number | null;
}

export interface MasterSample {
  status: string;
  workers: Array<{ id: string; host: string; state: string; cores: number; coresused: number; memory: number; memoryused: number }>;
  cores: number;
  coresused: number;
  memory: number;
  memoryused: number;
  activeapps: Array<{ id: string; name: string; cores: number; memoryperslave: number | null; state: string; starttime: number | null }>;
  completedapps: Array<{ id: string; name: string; state: string }>;
}

export interface GeneratorsSample {
  generators: Array<{ name: string; targetRps: number; achievedRps: number | null; acked: number; errors: number; paused: boolean }>;
}

/** A source that could not be read: the model marks it unreachable since `t` with this reason. */
export interface SourceErrorSample {
  source: SourceName;
  message: string;
}

export interface ControlSample {
  action: string;
  detail: Record<string, unknown>;
  result: 'started' | 'ok' | 'failed';
  durationMs: number | null;
  message: string | null;
}

export interface MarkSample {
  note: string;
}

/**
 * What is to be watched (--app, --query-name, or the list opened with `a`): the application by id
 * or name (null: the one --spark-ui serves) and the query by name or id (null: the first).
 */
export interface SelectSample {
  app: string | null;
  query: string | null;
}

export type Sample =
  | { t: number; kind: 'kafka'; data: KafkaSample }
  | { t: number; kind: 'executors'; data: ExecutorsSample }
  | { t: number; kind: 'stages'; data: StagesSample }
  | { t: number; kind: 'jobs'; data: JobsSample }
  | { t: number; kind: 'progress'; data: ProgressSample }
  | { t: number; kind: 'master'; data: MasterSample }
  | { t: number; kind: 'generators'; data: GeneratorsSample }
  | { t: number; kind: 'checkpoint'; data: CheckpointSample }
  | { t: number; kind: 'source-error'; data: SourceErrorSample }
  | { t: number; kind: 'control'; data: ControlSample }
  | { t: number; kind: 'mark'; data: MarkSample }
  | { t: number; kind: 'select'; data: SelectSample };

export type SampleKind = Sample['kind'];
