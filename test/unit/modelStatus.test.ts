/** `sparktop status --json`: exactly the shape of docs/ARCHITECTURE.md "Status JSON"; unknown is null, never 0. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derive, toStatusJson } from '../../src/model/index.js';
import { derivedFromFixture, modelFromAnswers } from '../support/derivedFromFixture.js';
import { recordedStageRows } from '../support/recordedStageRows.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

const TOP = ['at', 'health', 'kafka', 'spark', 'progress', 'checkpoint', 'master', 'generators', 'findings', 'experiments'];
const EXPERIMENT = ['index', 'current', 'cause', 'appId', 'start', 'end', 'durationMs', 'resources', 'generators', 'inputRps', 'processedRps', 'rowsPerBatch', 'p50Ms', 'p95Ms', 'maxMs', 'lagStart', 'lagEnd', 'lagSlope', 'sustainable', 'reasons'];
const KAFKA = ['ok', 'topic', 'partitions', 'totalLag', 'lagUnknown', 'produceRate'];
const PARTITION = ['partition', 'logEndOffset', 'sparkOffset', 'lag', 'produceRate'];
// apps … queryMissing: several applications and queries (the watched one among the master's).
const SPARK = ['ok', 'appId', 'appName', 'apps', 'appMissing', 'queries', 'query', 'queryMissing', 'executors', 'batch'];
const EXECUTOR = ['id', 'host', 'cores', 'activeTasks', 'completedTasks', 'failedTasks', 'taskTimeMs', 'shuffleReadBytes', 'memoryUsed', 'maxMemory', 'gcTimeMs'];
const BATCH = ['batchId', 'numInputRows', 'inputRowsPerSecond', 'processedRowsPerSecond', 'durationMs'];
const MASTER = ['ok', 'workers', 'coresTotal', 'coresUsed', 'memoryTotalMb', 'memoryUsedMb'];

const keys = (o: object) => Object.keys(o);

/** What `status --json` prints: the object through JSON. */
function printed(d: ReturnType<typeof derivedFromFixture>) {
  return JSON.parse(JSON.stringify(toStatusJson(d))) as ReturnType<typeof toStatusJson>;
}

describe('status --json shape', () => {
  it('has exactly the fields of the documented status JSON (steady, end)', () => {
    const s = printed(derivedFromFixture('steady'));
    assert.deepEqual(keys(s), TOP);
    assert.deepEqual(keys(s.kafka), KAFKA);
    for (const p of s.kafka.partitions) assert.deepEqual(keys(p), PARTITION);
    assert.deepEqual(keys(s.spark), SPARK);
    for (const e of s.spark.executors) assert.deepEqual(keys(e), EXECUTOR);
    assert.deepEqual(keys(s.spark.batch!), BATCH);
    assert.deepEqual(keys(s.master), MASTER);
    assert.deepEqual(keys(s.generators), ['count', 'targetRps']);
    assert.ok(s.findings.length > 0);
    for (const f of s.findings) {
      assert.deepEqual(keys(f), ['id', 'severity', 'message', 'title', 'evidence', 'suggestion', 'since']);
      assert.deepEqual(keys(f.evidence), ['facts', 'text']);
      for (const fact of f.evidence.facts) assert.deepEqual(keys(fact), ['label', 'value']);
      assert.match(f.since, /^\d{4}-\d\d-\d\dT/);
    }
    assert.equal(s.experiments.length, 1);
    for (const e of s.experiments) assert.deepEqual(keys(e), EXPERIMENT);
  });

  it('prints the experiment segments with ISO times and unknown as null (experiments, end)', () => {
    const d = derivedFromFixture('experiments');
    const s = printed(d);
    assert.deepEqual(
      s.experiments.map((e) => [e.index, e.start, e.end, e.resources, e.sustainable]),
      d.experiments.map((r) => [r.index, new Date(r.start).toISOString(), r.end === null ? null : new Date(r.end).toISOString(), r.resourcesLabel, r.verdict.sustainable]),
    );
    const current = s.experiments.at(-1)!;
    assert.equal(current.end, null);
    assert.equal(current.inputRps, null, 'no counted batch yet: unknown, not 0');
  });

  it('carries the derived values (steady, end)', () => {
    const d = derivedFromFixture('steady');
    const s = printed(d);
    assert.equal(s.at, '2026-11-28T18:31:52.325Z');
    assert.equal(s.health, 'keeping-up');
    assert.deepEqual(s.kafka.partitions[0], { partition: 0, logEndOffset: 2017015, sparkOffset: 1878343, lag: 138672, produceRate: d.partitions.rows[0]!.produceRps });
    assert.equal(s.kafka.totalLag, 277343);
    assert.equal(s.kafka.topic, 'logs');
    assert.equal(s.spark.appId, 'app-20261128183001-0000');
    assert.equal(s.spark.appName, 'LogsProcessor');
    assert.deepEqual(s.spark.batch, {
      batchId: 3,
      numInputRows: 134483,
      inputRowsPerSecond: 10008.409615241499,
      processedRowsPerSecond: 8525.071315372425,
      durationMs: 15774,
    });
    assert.deepEqual(s.master, { ok: true, workers: 1, coresTotal: 2, coresUsed: 2, memoryTotalMb: 8192, memoryUsedMb: 2048 });
    assert.deepEqual(s.spark.executors.map((e) => e.id), ['driver', '0', '1']);
    assert.deepEqual(
      s.findings.map((f) => [f.id, f.message, Date.parse(f.since)]),
      d.findings.map((f) => [f.id, f.message, f.since]),
    );
  });
});

describe('status --json: unknown is null, never 0', () => {
  it('after the very first answer (Kafka only)', () => {
    const s = printed(derivedFromFixture('steady', { at: 0 }));
    assert.equal(s.health, 'down');
    assert.equal(s.kafka.ok, true);
    assert.deepEqual(s.kafka.partitions[0], { partition: 0, logEndOffset: 1519651, sparkOffset: null, lag: null, produceRate: null });
    assert.equal(s.kafka.totalLag, null);
    assert.equal(s.kafka.produceRate, null);
    assert.deepEqual(s.spark, { ok: null, appId: null, appName: null, apps: null, appMissing: null, queries: [], query: null, queryMissing: null, executors: [], batch: null });
    assert.deepEqual(s.master, { ok: null, workers: null, coresTotal: null, coresUsed: null, memoryTotalMb: null, memoryUsedMb: null });
    assert.deepEqual(s.generators, { count: null, targetRps: null });
  });

  it('while Kafka is unreachable: no produce rate (kafka-down line 301)', () => {
    const s = printed(derivedFromFixture('kafka-down', { at: 300 }));
    assert.equal(s.kafka.ok, false);
    assert.equal(s.kafka.produceRate, null);
    for (const p of s.kafka.partitions) assert.equal(p.produceRate, null);
  });

  it('with batches derived from the jobs API: the newest completed batch, rows from its stages, its rates (steady without the listener)', () => {
    const answers = answersFromFixture('steady');
    const { model, now } = modelFromAnswers(answers, { keep: (a) => a.endpoint !== 'listener:/progress' });
    const d = derive(model, now);
    const s = JSON.parse(JSON.stringify(toStatusJson(d))) as ReturnType<typeof toStatusJson>;
    // Batch 4 is still running at the end of the recording: batch 3 is the last one that completed.
    const b3 = d.batches.rows.find((r) => r.batchId === 3)!;
    const rows = recordedStageRows(answers).get(`${b3.runId}/3`)!;
    assert.ok(rows > 0);
    assert.deepEqual(s.spark.batch, { batchId: 3, numInputRows: rows, inputRowsPerSecond: b3.inputRps, processedRowsPerSecond: rows / 14.945, durationMs: 14945 });
    for (const p of s.kafka.partitions) {
      assert.equal(p.sparkOffset, null);
      assert.equal(p.lag, null);
    }
    assert.equal(s.kafka.totalLag, null);
  });

  it('prints no NaN or Infinity anywhere (every moment of kafka-down, sampled)', () => {
    const answers = answersFromFixture('kafka-down');
    for (let at = 0; at < answers.length; at += 50) {
      const text = JSON.stringify(toStatusJson(derivedFromFixture('kafka-down', { at })));
      assert.ok(!/NaN|Infinity/.test(text), `index ${at}`);
    }
  });
});
