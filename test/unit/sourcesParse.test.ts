import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AnswerInterpreter, type EndpointAnswer } from '../../src/sources/answers.js';
import { derivedBatchesFromJobs } from '../../src/sources/microBatches.js';
import { PayloadError } from '../../src/sources/payload.js';
import { parseExecutors, parseJobs, parseStages } from '../../src/sources/parseDriver.js';
import { parseKafkaOffsets, parseListenerProgress, parseMaster } from '../../src/sources/parse.js';
import { sparkDate } from '../../src/model/time.js';

function answers(scenario: string): EndpointAnswer[] {
  const file = path.join('test', 'fixtures', 'lab', `${scenario}.jsonl`);
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EndpointAnswer);
}

const steady = answers('steady');
const first = (endpoint: string, pred: (a: EndpointAnswer) => boolean = () => true) => {
  const a = steady.find((x) => x.endpoint === endpoint && x.status === 200 && pred(x));
  assert.ok(a, `the fixture has a ${endpoint} answer`);
  return structuredClone(a);
};

describe('source boundary: recorded answers parse into samples', () => {
  it('turns a whole recording into samples without one payload error', () => {
    const interp = new AnswerInterpreter();
    const kinds = new Map<string, number>();
    for (const a of steady) for (const s of interp.interpret(a)) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    assert.equal(kinds.get('source-error'), undefined);
    for (const k of ['kafka', 'master', 'executors', 'stages', 'jobs', 'progress']) assert.ok((kinds.get(k) ?? 0) > 0, `${k} samples`);
  });

  it('reads Kafka offsets as numbers per partition', () => {
    const a = steady.find((x) => x.endpoint === 'kafka:offsets')!;
    const body = a.body as { topic: string; offsets: Array<{ partition: number; high: string }> };
    const s = parseKafkaOffsets(body.topic, body.offsets);
    assert.deepEqual(s.partitions.map((p) => p.partition), [0, 1]);
    assert.equal(s.partitions[0]!.logEndOffset, Number(body.offsets.find((o) => o.partition === 0)!.high));
  });

  it('derives micro-batches from the jobs API when there is no listener', () => {
    const jobsAnswer = [...steady].reverse().find((x) => x.endpoint === 'driver:/jobs' && Array.isArray(x.body) && (x.body as unknown[]).length > 2)!;
    const batches = derivedBatchesFromJobs(parseJobs('app', jobsAnswer.body).jobs);
    assert.ok(batches.length >= 2);
    const listener = [...steady].reverse().find((x) => x.endpoint === 'listener:/progress' && (x.body as { progress: unknown[] }).progress.length > 0)!;
    const p = parseListenerProgress(listener.body).progress.at(-1)!;
    const same = batches.find((b) => b.batchId === p.batchId && b.runId === p.runId);
    assert.ok(same, 'the listener\'s batch is among the derived ones');
    // The jobs of a batch run inside its trigger: derived duration ≤ Spark's own triggerExecution.
    assert.ok(same.durationMs !== null && same.durationMs <= p.durationMs.triggerExecution!);
    assert.equal(sparkDate('2026-11-28T18:31:42.598GMT'), Date.UTC(2026, 10, 28, 18, 31, 42, 598));
  });
});

describe('source boundary: stage rows the sampler hands again', () => {
  it('are validated once: the same raw row gives the same sample row, a new row is validated anew', () => {
    const rows = first('driver:/stages', (x) => Array.isArray(x.body) && (x.body as unknown[]).length >= 2).body as Array<Record<string, unknown>>;
    const a = parseStages('app', rows).stages;
    const b = parseStages('app', rows).stages;
    assert.ok(a.every((row, i) => row === b[i]));
    const changed = { ...rows[0]!, numCompleteTasks: Number(rows[0]!.numCompleteTasks) + 1 };
    const c = parseStages('app', [changed, ...rows.slice(1)]).stages;
    assert.notEqual(c[0], a[0]);
    assert.equal(c[0]!.numCompleteTasks, a[0]!.numCompleteTasks + 1);
    assert.equal(c[1], a[1]);
  });
});

describe('source boundary: garbage is rejected with a reason', () => {
  const rejects = (fn: () => unknown, fragment: RegExp) =>
    assert.throws(fn, (err: unknown) => err instanceof PayloadError && fragment.test(err.message));

  it('HTML instead of JSON', () => rejects(() => parseMaster('<!DOCTYPE html><html><body>Spark Master</body></html>'), /expected JSON, got HTML/));
  it('JSON of the wrong shape', () => rejects(() => parseMaster({ workers: 'none' }), /Spark master \/json: unexpected shape/));
  it('a negative Kafka offset', () => {
    const a = steady.find((x) => x.endpoint === 'kafka:offsets')!;
    const body = structuredClone(a.body) as { topic: string; offsets: Array<{ high: string }> };
    body.offsets[0]!.high = '-5';
    rejects(() => parseKafkaOffsets(body.topic, body.offsets), /non-negative offset/);
  });
  it('a huge number and NaN in executor counters', () => {
    const a = first('driver:/allexecutors');
    const rows = a.body as Array<Record<string, unknown>>;
    rows[0]!.totalDuration = 1e300;
    rejects(() => parseExecutors({ id: 'x', name: 'n', startedAt: null, completed: false }, rows, null), /allexecutors: unexpected shape at 0\.totalDuration/);
    rows[0]!.totalDuration = Number.NaN;
    rejects(() => parseExecutors({ id: 'x', name: 'n', startedAt: null, completed: false }, rows, null), /unexpected shape/);
  });
  it('a bad stage row among rows validated before', () => {
    const rows = first('driver:/stages', (x) => Array.isArray(x.body) && (x.body as unknown[]).length >= 2).body as Array<Record<string, unknown>>;
    parseStages('app', rows);
    const bad = { ...rows[1]!, numTasks: -1 };
    rejects(() => parseStages('app', [rows[0], bad]), /driver \/stages: unexpected shape at 1\.numTasks/);
    rejects(() => parseStages('app', [rows[0], 'stage']), /driver \/stages: unexpected shape at 1 /);
    rejects(() => parseStages('app', { stages: rows }), /driver \/stages: unexpected shape/);
  });
  it('truncated JSON arrives as text and is named as invalid JSON', () => {
    const a = first('master:/json');
    const truncated = JSON.stringify(a.body).slice(0, 50);
    rejects(() => parseMaster(truncated), /expected JSON, got invalid JSON \(truncated/);
    rejects(() => parseMaster('Service Unavailable'), /expected JSON, got text/);
  });
  it('an interpreter turns bad answers into source errors and keeps going', () => {
    const interp = new AnswerInterpreter();
    const bad: EndpointAnswer = { t: 1, endpoint: 'master:/json', status: 200, body: '<html>' };
    assert.deepEqual(interp.interpret(bad), [{ t: 1, kind: 'source-error', data: { source: 'master', message: 'Spark master /json: expected JSON, got HTML ("<html>…")' } }]);
    assert.deepEqual(interp.interpret({ t: 2, endpoint: 'master:/json', status: 500, body: 'boom' })[0]!.data, { source: 'master', message: 'HTTP 500 from /json' });
    assert.equal(interp.interpret(first('master:/json'))[0]!.kind, 'master');
  });
});
