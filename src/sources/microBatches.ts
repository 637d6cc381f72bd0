/**
 * Micro-batches as the driver's REST API shows them without the progress listener: Spark describes
 * each micro-batch's jobs and SQL executions as "<query name>\nid = …\nrunId = …\nbatch = N".
 * Batches and durations come from the jobs, input rows from the SQL executions' MicroBatchScan
 * nodes. Pure, validated like the rest of the source boundary (parse.ts).
 */
import { z } from 'zod';
import type { DerivedBatch, JobSample, SqlExecution, StageSample } from '../model/samples.js';
import { sparkDate } from '../model/time.js';
import { count, parse, text, validated } from './payload.js';

/** Spark's description of a micro-batch's jobs and SQL executions: "<query name>\nid = …\nrunId = …\nbatch = N". */
const MICRO_BATCH = /runId = ([0-9a-f-]{36})\s+batch = (\d+)/;

/** The `runId/batchId` key of the micro-batch a description names, or null. */
export function batchKeyOfDescription(description: string | null | undefined): string | null {
  const m = MICRO_BATCH.exec(description ?? '');
  return m ? `${m[1]}/${m[2]}` : null;
}
/** The query a micro-batch description names: its first line (empty for an unnamed query) and `id = …`. */
const MICRO_BATCH_QUERY = /^(.*)\nid = ([0-9a-f-]{36})\s+runId = /;

/** Query id and name of a micro-batch's description (null when it names none). */
export function queryOfDescription(description: string | null): { id: string; name: string | null } | null {
  const m = MICRO_BATCH_QUERY.exec(description ?? '');
  return m ? { id: m[2]!, name: m[1]!.trim() === '' ? null : m[1]!.trim() } : null;
}

/** Run ids a driver's stage, job or SQL descriptions name (micro-batches of its streaming queries). */
export function runIdsOfDescriptions(descriptions: Iterable<string | null>): Set<string> {
  const runs = new Set<string>();
  for (const d of descriptions) {
    const m = MICRO_BATCH.exec(d ?? '');
    if (m) runs.add(m[1]!);
  }
  return runs;
}

/**
 * Without the listener, micro-batches can still be seen in the jobs API: Spark describes each
 * streaming job as "<query name>\nid = …\nrunId = …\nbatch = N". Duration = first submission to
 * last completion of the batch's jobs. Rows come from the SQL executions (`rows`, keyed
 * `runId/batchId`, batchRowsOf) when they were read; rates follow from them in the model.
 */
export function derivedBatchesFromJobs(jobs: JobSample[], rows: ReadonlyMap<string, number> = new Map()): DerivedBatch[] {
  const batches = new Map<string, { runId: string; batchId: number; start: number; end: number | null; running: boolean; query: { id: string; name: string | null } | null }>();
  for (const j of jobs) {
    const m = MICRO_BATCH.exec(j.description ?? '');
    const start = sparkDate(j.submissionTime);
    if (!m || start === null) continue;
    const key = `${m[1]}/${m[2]}`;
    const end = sparkDate(j.completionTime);
    const b = batches.get(key) ?? { runId: m[1]!, batchId: Number(m[2]), start, end: null, running: false, query: queryOfDescription(j.description) };
    b.start = Math.min(b.start, start);
    if (end === null) b.running = true;
    else b.end = Math.max(b.end ?? end, end);
    batches.set(key, b);
  }
  return [...batches.values()]
    .map((b) => {
      const running = b.running || b.end === null;
      return {
        runId: b.runId,
        batchId: b.batchId,
        startedAt: b.start,
        durationMs: running ? null : b.end! - b.start,
        // A running batch's scan metrics are partial (Spark updates them as tasks end).
        numInputRows: running ? null : (rows.get(`${b.runId}/${b.batchId}`) ?? null),
        queryId: b.query?.id ?? null,
        queryName: b.query?.name ?? null,
      };
    })
    .sort((a, b) => a.startedAt - b.startedAt || a.batchId - b.batchId);
}

/** Spark's SQL metric values are Locale.US integers ("27,446"); anything else is not a row count. */
const metricCount = (value: string): number | null => {
  if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(value)) return null;
  const n = Number(value.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : null;
};

const sqlExecutionSchema = z.looseObject({
  id: count,
  status: text,
  description: text.nullable().optional(),
  nodes: z
    .array(z.looseObject({ nodeName: text, metrics: z.array(z.looseObject({ name: text, value: text })).max(1000) }))
    .max(10_000)
    .optional(),
});

/**
 * The driver's `/applications/{id}/sql?details=true` (a page of it): the executions of micro-batches
 * with the rows their MicroBatchScan nodes read; other executions (batch queries) are left out.
 */
export function parseSqlExecutions(body: unknown): SqlExecution[] {
  const rows = parse(z.array(z.unknown()).max(100_000), body, 'driver /sql');
  const out: SqlExecution[] = [];
  rows.forEach((raw, i) => {
    const e = validated(sqlExecutionSchema, raw, 'driver /sql', [i]);
    const m = MICRO_BATCH.exec(e.description ?? '');
    if (!m) return;
    let scanRows: number | null = null;
    for (const node of e.nodes ?? []) {
      if (node.nodeName !== 'MicroBatchScan') continue;
      const metric = node.metrics.find((x) => x.name === 'number of output rows');
      const n = metric ? metricCount(metric.value) : null;
      if (n !== null) scanRows = (scanRows ?? 0) + n;
    }
    out.push({ id: e.id, status: e.status, runId: m[1]!, batchId: Number(m[2]), scanRows });
  });
  return out;
}

/**
 * Input rows per batch (`runId/batchId` → rows) from its SQL executions: within one execution the
 * MicroBatchScan nodes add up (one per source); across the batch's executions the largest counts.
 *
 * Evidence (the lab's classroom job on Spark 4.0.0, test/fixtures/lab/no-listener-sql.jsonl and
 * the listener's numInputRows of the same batches): each batch has three executions, e.g. batch 1
 * = executions 3, 4, 5. Execution 3 (no job: the outer WriteToDataSourceV2 plan) lists a
 * MicroBatchScan node with no metrics; execution 4 (the batch's job) has MicroBatchScan "number of
 * output rows" = 27,446, exactly the listener's numInputRows (27446) for batch 1; execution 5 is
 * the console sink's LocalTableScan (21 rows of output, no MicroBatchScan). So one execution per
 * batch scans the source; were the batch's data scanned again by another execution (foreachBatch
 * writing twice), it would be the same offsets range, the same rows: the maximum, not the sum, is
 * the batch's input.
 */
export function batchRowsOf(executions: Iterable<SqlExecution>): Map<string, number> {
  const rows = new Map<string, number>();
  for (const e of executions) {
    if (e.scanRows === null) continue;
    const key = `${e.runId}/${e.batchId}`;
    rows.set(key, Math.max(rows.get(key) ?? 0, e.scanRows));
  }
  return rows;
}

/**
 * Input rows per batch (`runId/batchId` → rows) from its completed stages: the largest
 * `inputRecords` (rows the source's readers counted) among the batch's stages. Used for the batches
 * whose SQL executions do not show the scan's rows (batchRowsOf comes first where it has them).
 *
 * Evidence (an independent PySpark job with a `foreachBatch` sink on Spark 4.0.0,
 * test/fixtures/lab/no-listener-foreachbatch.jsonl): the sink hands the batch to Python as a
 * DataFrame over the already planned RDD, so the execution that runs it shows "Scan ExistingRDD"
 * (the rows of the aggregation's output) and the outer execution's MicroBatchScan has no metrics.
 * Each batch's first stage reads Kafka: its inputRecords equal the rows between the checkpoint's
 * offsets of the batch and of the one before. The largest, not the sum: a batch whose data is read
 * twice (a foreachBatch writing twice) reads the same offsets range twice. A stream-static join's
 * static side is read by a stage of the batch too, and can be the larger: the SQL rule has no such
 * limit, which is why it comes first.
 */
export function stageRowsOf(stages: Iterable<StageSample>): Map<string, number> {
  const rows = new Map<string, number>();
  for (const s of stages) {
    if (s.status !== 'COMPLETE') continue;
    const m = MICRO_BATCH.exec(s.description ?? '');
    if (!m) continue;
    const key = `${m[1]}/${m[2]}`;
    rows.set(key, Math.max(rows.get(key) ?? 0, s.inputRecords));
  }
  return rows;
}

/** Rows per batch: from the SQL executions where they show them, else from the stages. */
export function batchRows(fromSql: ReadonlyMap<string, number>, fromStages: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...fromStages, ...fromSql]);
}
