import type { AdvisorThresholds } from './advisor/options.js';
/**
 * What the ui renders and `status --json` prints: everything the model derives from the samples,
 * display-ready. Unknown is null (shown as `–`), never 0.
 */
import type { JobResources } from '../domain/resources.js';
import type { SourceName } from './samples.js';

/**
 * - 'no-progress': no listener answers and nothing else gave Spark's offsets (no checkpoint);
 * - 'new-run': another application or run took over the topic and has not committed yet;
 * - 'topic-recreated': Spark's offsets are of the topic before it was recreated;
 * - 'no-commit-yet': the listener answers but the job has not completed a batch yet.
 */
export type LagUnknownReason = 'no-progress' | 'new-run' | 'topic-recreated' | 'no-commit-yet';

export type Health = 'keeping-up' | 'falling-behind' | 'idle' | 'down' | 'unknown';
export type PartitionStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'UNKNOWN';

export interface SourceState {
  ok: boolean | null;
  /** When the current state (reachable or not) began, epoch ms. */
  since: number | null;
  lastOkAt: number | null;
  error: string | null;
}

export interface BatchRow {
  appId: string | null;
  /** The streaming query (its id, the same across runs); null or absent when unknown. */
  queryId?: string | null;
  queryName?: string | null;
  runId: string;
  batchId: number;
  /** Batch start, epoch ms. */
  t: number;
  numInputRows: number | null;
  inputRps: number | null;
  processedRps: number | null;
  durationMs: number | null;
  breakdown: {
    addBatch: number | null;
    getBatch: number | null;
    latestOffset: number | null;
    queryPlanning: number | null;
    walCommit: number | null;
    commitOffsets: number | null;
  };
  stateRows: number | null;
  stateMemoryBytes: number | null;
  watermark: string | null;
  /**
   * Where the row came from (added by the model): 'derived' = seen only in the driver's jobs API,
   * so rows and rates are unknown (null).
   */
  origin?: 'listener' | 'derived';
}

export interface PartitionRow {
  partition: number;
  logEndOffset: number | null;
  sparkOffset: number | null;
  lag: number | null;
  lagSeconds: number | null;
  produceRps: number | null;
  status: PartitionStatus;
  /** At current rates: seconds until the backlog drains, or until it doubles (null: steady or unknown). */
  eta: { kind: 'drain' | 'double'; seconds: number } | null;
  groupOffset: number | null;
  groupLag: number | null;
}

export interface ExecutorRow {
  id: string;
  host: string;
  isActive: boolean;
  cores: number;
  activeTasks: number;
  completedTasks: number;
  failedTasks: number;
  /** Share of all executors' task time in the recent window (0..1), not since start. */
  taskShare: number | null;
  taskTimeMs: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  /** GC time ÷ task time in the recent window. */
  gcRatio: number | null;
  gcTimeMs: number;
  memoryUsed: number;
  maxMemory: number;
  removeReason: string | null;
}

export interface StageRow {
  stageId: number;
  attemptId: number;
  status: string;
  name: string;
  numTasks: number;
  numActiveTasks: number;
  numCompleteTasks: number;
  numFailedTasks: number;
  durationMs: number | null;
  inputRecords: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  spillBytes: number;
}

export interface EventRow {
  t: number;
  level: 'info' | 'warn' | 'error';
  text: string;
}

export type Severity = 'info' | 'warn' | 'error';

/** One number that triggered a finding, as shown: `{ label: 'p95 batch', value: '38.7 s' }`. */
export interface EvidenceFact {
  label: string;
  value: string;
}

/** What the advisor found (src/model/advisor): a stable id, the numbers behind it, what to change. */
export interface Finding {
  id: string;
  severity: Severity;
  /** Short, fixed wording per rule: `Spark falls behind the input`. */
  title: string;
  /** One line for the findings line, `check` and `status`: the title with its key number. */
  message: string;
  evidence: { facts: EvidenceFact[]; text: string };
  /** What to change, concrete (flags, `--conf k=v`, code). */
  suggestion: string;
  /** When it became active (epoch ms, the derive clock). */
  since: number;
}

export interface ClearedFinding extends Finding {
  clearedAt: number;
}

export interface ExperimentVerdict {
  /** null: not enough data (fewer than 3 batches) or a criterion unknown; the reasons say which. */
  sustainable: boolean | null;
  /** When false: every failed criterion; when true: the criteria that held; when null: why unknown. */
  reasons: string[];
}

/** One experiment segment (view 7): a stretch of constant resources and load. */
export interface ExperimentRow extends DurationsAndLag {
  /** Running number since sparktop started (1 = first segment seen). */
  index: number;
  /** The newest segment, still going. */
  current: boolean;
  /** What started it: the first sample, a new application id, a generators change, a resubmit action. */
  cause: 'start' | 'app' | 'generators' | 'resubmit';
  appId: string | null;
  start: number;
  /** null while current. */
  end: number | null;
  durationMs: number;
  resources: {
    executors: number | null;
    coresPerExecutor: number | null;
    executorMemory: string | null;
    totalCores: number | null;
    shufflePartitions: number | null;
    maxOffsetsPerTrigger: number | null;
    trigger: string | null;
    /** What the resubmit action asked for (control sample detail), when sparktop made it. */
    requested: JobResources | null;
    commandLine: string | null;
  };
  /** e.g. "2×1c 1G sp200". */
  resourcesLabel: string;
  generators: { count: number; ratePerGenerator: number | null; targetRps: number; paused: boolean } | null;
  /** Batches counted in rates and durations, and warm-up batches left out (a run's first two). */
  batches: number;
  warmupBatches: number;
  /** Row-weighted: Σ rows ÷ Σ seconds Spark measured (input: since the previous batch; processed: batch duration). */
  inputRps: number | null;
  processedRps: number | null;
  /** Mean input rows of the batches the rates count (Σ rows ÷ their number). */
  rowsPerBatch: number | null;
  verdict: ExperimentVerdict;
}

/**
 * The batch durations and the lag's course over a stretch of time: an experiment segment's
 * (view 7) and a sweep step's figures alike.
 */
export interface DurationsAndLag {
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Total lag (records) at the stretch's start and end, measured against its own application. */
  lagStart: number | null;
  lagEnd: number | null;
  /** Least-squares slope of total lag over time, records/s (negative: it drained). */
  lagSlope: number | null;
}

export interface RunningApp {
  id: string;
  name: string;
  cores: number;
  /** Start (epoch ms) as the master reports it. */
  startedAt: number | null;
  watched: boolean;
}

export interface SelectionDerived {
  /** The master's running applications, oldest first (null: the master has not answered). */
  apps: RunningApp[] | null;
  /** --app (or the list's choice); null: the application --spark-ui serves. */
  appRequest: string | null;
  /** 1-based place of the watched application among `apps` (null: not among them, or unknown). */
  appIndex: number | null;
  /** `app "X" is not running; running: a, b` when the one asked for is not running. */
  appMissing: string | null;
  /** The watched application's streaming queries, in start order. */
  queries: Array<{ id: string; name: string | null }>;
  queryRequest: string | null;
  /** The query shown (null: none known, or the one asked for is not running). */
  query: { id: string; name: string | null } | null;
  /** 1-based place of `query` among `queries`. */
  queryIndex: number | null;
  queryMissing: string | null;
}

export interface Derived {
  at: number;
  health: Health;
  sources: Record<SourceName, SourceState>;
  app: { id: string | null; name: string | null; startedAt: number | null };
  /** Which application and query are watched among those running (issue "Several applications and queries"). */
  selection: SelectionDerived;
  resources: {
    executors: number | null;
    coresPerExecutor: number | null;
    executorMemory: string | null;
    shufflePartitions: number | null;
    trigger: string | null;
    maxOffsetsPerTrigger: number | null;
  };
  generators: { count: number | null; targetRps: number | null; achievedRps: number | null; errors: number | null };
  rates: {
    /** Of the last batch (Spark's own figures). */
    inputRps: number | null;
    processedRps: number | null;
    /** Into Kafka, from log-end offset deltas. */
    produceRps: number | null;
    /** Oldest first, at most the last 120 batches. */
    series: Array<{ batchId: number; t: number; input: number | null; processed: number | null }>;
  };
  batches: {
    last: BatchRow | null;
    p50Ms: number | null;
    p95Ms: number | null;
    maxMs: number | null;
    targetMs: number;
    /** Newest last, at most the last 500 batches. */
    rows: BatchRow[];
  };
  partitions: {
    topic: string | null;
    rows: PartitionRow[];
    totalLag: number | null;
    produceRps: number | null;
    /** Why the lag is unknown (null: it is known, or there are no partitions). */
    lagUnknown: LagUnknownReason | null;
    /** Total lag over time, oldest first (for the chart). */
    lagSeries: Array<{ t: number; lag: number | null }>;
    /** Whose log end the lag is measured from: Kafka's, or Spark's view at each batch (an event log). */
    logEndView: 'kafka' | 'spark';
  };
  executors: {
    rows: ExecutorRow[];
    removed: ExecutorRow[];
    /** max ÷ median over the recent window (null with fewer than 2 executors). */
    skew: { taskTime: number | null; shuffleRead: number | null };
  };
  stages: { rows: StageRow[]; longestStageId: number | null };
  master: {
    workers: number | null;
    coresTotal: number | null;
    coresUsed: number | null;
    memoryTotalMb: number | null;
    memoryUsedMb: number | null;
    /** The most cores and memory one alive worker offers (one executor must fit on one worker). */
    largestWorker: { cores: number; memoryMb: number } | null;
  };
  /** Times at which the application changed (resubmission) and user marks: annotated on charts. */
  appChanges: Array<{ t: number; appId: string }>;
  marks: Array<{ t: number; note: string }>;
  events: EventRow[];
  /** Experiment segments, oldest first (at most 200). */
  experiments: ExperimentRow[];
  /** Active findings, most severe first; `healthy` alone when nothing is wrong. */
  findings: Finding[];
  /** The advisor's thresholds in force (defaults, config, --threshold): colours and the sweep judge by these too. */
  thresholds: AdvisorThresholds;
  advisor: {
    /** Recently cleared findings, newest first. */
    cleared: ClearedFinding[];
    /** Time of the advisor's last evaluation (null: none yet). */
    evaluatedAt: number | null;
  };
}
