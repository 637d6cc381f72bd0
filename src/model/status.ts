/** `sparktop status --json`: exactly the shape of docs/ARCHITECTURE.md "Status JSON"; unknown is null, never 0. */
import type { Derived, ExperimentRow, Finding, Health } from './derivedTypes.js';

/** One experiment segment as `status --json` prints it (times ISO-8601; view 7 has the same figures). */
export type StatusExperiment = Omit<ExperimentRow, 'start' | 'end' | 'resources' | 'resourcesLabel' | 'batches' | 'warmupBatches' | 'verdict'> & {
  start: string;
  end: string | null;
  resources: string;
  sustainable: boolean | null;
  reasons: string[];
};

/** A finding as printed: `since` as ISO-8601; `message` is the one-line summary of the findings line and `check` (docs/ARCHITECTURE.md "Status JSON"). */
export type StatusFinding = Omit<Finding, 'since'> & { since: string };

export interface StatusJson {
  at: string;
  health: Health;
  kafka: {
    ok: boolean | null;
    topic: string | null;
    partitions: Array<{ partition: number; logEndOffset: number | null; sparkOffset: number | null; lag: number | null; produceRate: number | null }>;
    totalLag: number | null;
    /** Why the lag is unknown: no-progress, new-run, topic-recreated, no-commit-yet (null: known). */
    lagUnknown: string | null;
    produceRate: number | null;
  };
  spark: {
    ok: boolean | null;
    appId: string | null;
    appName: string | null;
    /** The master's running applications (null: the master did not answer) and which is watched. */
    apps: Array<{ id: string; name: string; cores: number; startedAt: string | null; watched: boolean }> | null;
    /** `app "X" is not running; running: a, b` when --app names no running application. */
    appMissing: string | null;
    /** The watched application's streaming queries (start order) and the one shown. */
    queries: Array<{ id: string; name: string | null }>;
    query: { id: string; name: string | null } | null;
    queryMissing: string | null;
    executors: Array<{
      id: string;
      host: string;
      cores: number;
      activeTasks: number;
      completedTasks: number;
      failedTasks: number;
      taskTimeMs: number;
      shuffleReadBytes: number;
      memoryUsed: number;
      maxMemory: number;
      gcTimeMs: number;
    }>;
    batch: { batchId: number; numInputRows: number | null; inputRowsPerSecond: number | null; processedRowsPerSecond: number | null; durationMs: number | null } | null;
  };
  /** The progress listener: answering, or why not (null before the first try). */
  progress: { ok: boolean | null; error: string | null };
  /** The query's checkpoint folder (--checkpoint): read, or why not (null: not read / not given). */
  checkpoint: { ok: boolean | null; error: string | null };
  master: { ok: boolean | null; workers: number | null; coresTotal: number | null; coresUsed: number | null; memoryTotalMb: number | null; memoryUsedMb: number | null };
  generators: { count: number | null; targetRps: number | null };
  findings: StatusFinding[];
  /** Oldest first (view 7). */
  experiments: StatusExperiment[];
}

/** NaN and ±Infinity are not JSON numbers (JSON.stringify would print null anyway): say so explicitly. */
const known = (n: number | null): number | null => (n !== null && Number.isFinite(n) ? n : null);

/**
 * The newest completed batch: without the listener the newest batch the driver lists is usually
 * still running (no duration, no rows yet); the listener only ever reports completed ones.
 */
function lastCompleted(rows: Derived['batches']['rows']): Derived['batches']['last'] {
  for (let i = rows.length - 1; i >= Math.max(0, rows.length - 5); i--) if (rows[i]!.durationMs !== null) return rows[i]!;
  return null;
}

export function toStatusJson(d: Derived): StatusJson {
  const last = lastCompleted(d.batches.rows) ?? d.batches.last;
  return {
    at: new Date(d.at).toISOString(),
    health: d.health,
    kafka: {
      ok: d.sources.kafka.ok,
      topic: d.partitions.topic,
      partitions: d.partitions.rows.map((r) => ({
        partition: r.partition,
        logEndOffset: r.logEndOffset,
        sparkOffset: r.sparkOffset,
        lag: r.lag,
        produceRate: known(r.produceRps),
      })),
      totalLag: d.partitions.totalLag,
      lagUnknown: d.partitions.lagUnknown,
      produceRate: known(d.partitions.produceRps),
    },
    spark: {
      ok: d.sources.driver.ok,
      appId: d.app.id,
      appName: d.app.name,
      apps:
        d.selection.apps?.map((a) => ({ id: a.id, name: a.name, cores: a.cores, startedAt: a.startedAt === null ? null : new Date(a.startedAt).toISOString(), watched: a.watched })) ??
        null,
      appMissing: d.selection.appMissing,
      queries: d.selection.queries,
      query: d.selection.query,
      queryMissing: d.selection.queryMissing,
      executors: d.executors.rows.map((e) => ({
        id: e.id,
        host: e.host,
        cores: e.cores,
        activeTasks: e.activeTasks,
        completedTasks: e.completedTasks,
        failedTasks: e.failedTasks,
        taskTimeMs: e.taskTimeMs,
        shuffleReadBytes: e.shuffleReadBytes,
        memoryUsed: e.memoryUsed,
        maxMemory: e.maxMemory,
        gcTimeMs: e.gcTimeMs,
      })),
      batch: last
        ? {
            batchId: last.batchId,
            numInputRows: known(last.numInputRows),
            inputRowsPerSecond: known(last.inputRps),
            processedRowsPerSecond: known(last.processedRps),
            durationMs: known(last.durationMs),
          }
        : null,
    },
    progress: { ok: d.sources.progress.ok, error: d.sources.progress.error },
    checkpoint: { ok: d.sources.checkpoint.ok, error: d.sources.checkpoint.error },
    master: {
      ok: d.sources.master.ok,
      workers: d.master.workers,
      coresTotal: d.master.coresTotal,
      coresUsed: d.master.coresUsed,
      memoryTotalMb: d.master.memoryTotalMb,
      memoryUsedMb: d.master.memoryUsedMb,
    },
    generators: { count: d.generators.count, targetRps: d.generators.targetRps },
    findings: d.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      message: f.message,
      title: f.title,
      evidence: f.evidence,
      suggestion: f.suggestion,
      since: new Date(f.since).toISOString(),
    })),
    experiments: d.experiments.map((r) => ({
      index: r.index,
      current: r.current,
      cause: r.cause,
      appId: r.appId,
      start: new Date(r.start).toISOString(),
      end: r.end === null ? null : new Date(r.end).toISOString(),
      durationMs: r.durationMs,
      resources: r.resourcesLabel,
      generators: r.generators,
      inputRps: known(r.inputRps),
      processedRps: known(r.processedRps),
      rowsPerBatch: known(r.rowsPerBatch),
      p50Ms: r.p50Ms,
      p95Ms: r.p95Ms,
      maxMs: r.maxMs,
      lagStart: r.lagStart,
      lagEnd: r.lagEnd,
      lagSlope: known(r.lagSlope),
      sustainable: r.verdict.sustainable,
      reasons: r.verdict.reasons,
    })),
  };
}
