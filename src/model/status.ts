/** `sparktop status --json`: exactly the shape of DESIGN.md ("CLI contract"); unknown is null, never 0. */
import type { Derived, Finding, Health } from './derived.js';

/** A finding as printed: `since` as ISO-8601; `message` is the one-line summary DESIGN.md names. */
export type StatusFinding = Omit<Finding, 'since'> & { since: string };

export interface StatusJson {
  at: string;
  health: Health;
  kafka: {
    ok: boolean | null;
    topic: string | null;
    partitions: Array<{ partition: number; logEndOffset: number | null; sparkOffset: number | null; lag: number | null; produceRate: number | null }>;
    totalLag: number | null;
    produceRate: number | null;
  };
  spark: {
    ok: boolean | null;
    appId: string | null;
    appName: string | null;
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
  master: { ok: boolean | null; workers: number | null; coresTotal: number | null; coresUsed: number | null; memoryTotalMb: number | null; memoryUsedMb: number | null };
  generators: { count: number | null; targetRps: number | null };
  findings: StatusFinding[];
}

/** NaN and ±Infinity are not JSON numbers (JSON.stringify would print null anyway): say so explicitly. */
const known = (n: number | null): number | null => (n !== null && Number.isFinite(n) ? n : null);

export function toStatusJson(d: Derived): StatusJson {
  const last = d.batches.last;
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
      produceRate: known(d.partitions.produceRps),
    },
    spark: {
      ok: d.sources.driver.ok,
      appId: d.app.id,
      appName: d.app.name,
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
    master: { ok: d.sources.master.ok, ...d.master },
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
  };
}
