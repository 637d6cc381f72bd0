import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchRowsOf, parseSqlExecutions, stageRowsOf } from '../../src/sources/microBatches.js';
import { parseStages } from '../../src/sources/parseDriver.js';
import { AnswerInterpreter, type EndpointAnswer } from '../../src/sources/answers.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';
import { assertRowsAreConsumedOffsets } from '../support/checkpointRows.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

// no-listener-foreachbatch.jsonl: test/jobs/crash_counts_job.py (a foreachBatch sink, no sparktop
// option) on the lab's master, recorded with its checkpoint folder (scripts/record-lab-fixtures.ts).
const SCENARIO = 'no-listener-foreachbatch';
const answers = answersFromFixture(SCENARIO);

function stagesOf(list: readonly EndpointAnswer[]) {
  return list.filter((a) => a.endpoint === 'driver:/stages' && a.status === 200).flatMap((a) => parseStages('app', a.body).stages);
}

describe('rows per batch from the stages when the SQL executions do not show them (foreachBatch, no listener)', () => {
  const d = derivedFromFixture(SCENARIO);

  it("the SQL executions show no MicroBatchScan rows for this job: the sink's executions scan an RDD", () => {
    const executions = answers.filter((a) => a.endpoint === 'driver:/sql' && a.status === 200).flatMap((a) => parseSqlExecutions(a.body));
    assert.ok(executions.length > 20);
    assert.equal(batchRowsOf(executions).size, 0);
  });

  it("equal Spark's consumed offsets: Σ over partitions of the checkpoint's end offsets of N minus those of N−1", () => {
    assert.equal(d.sources.progress.ok, false);
    const compared = assertRowsAreConsumedOffsets(d.batches.rows, answers);
    assert.ok(compared >= 15, `${compared} batches compared`);
  });

  it('gives rates from them, as Spark defines them', () => {
    const done = d.batches.rows.filter((r) => r.numInputRows !== null && r.durationMs !== null);
    assert.ok(done.length >= 15);
    const r = done.at(-1)!;
    assert.equal(r.processedRps, r.numInputRows! / (r.durationMs! / 1000));
  });

  it("on the lab's classroom job the stages agree with the SQL executions' scan rows, batch by batch", () => {
    const sqlAnswers = answersFromFixture('no-listener-sql');
    const fromSql = batchRowsOf(sqlAnswers.filter((a) => a.endpoint === 'driver:/sql' && a.status === 200).flatMap((a) => parseSqlExecutions(a.body)));
    const fromStages = stageRowsOf(stagesOf(sqlAnswers));
    let compared = 0;
    for (const [key, rows] of fromSql) {
      if (!fromStages.has(key)) continue;
      assert.equal(fromStages.get(key), rows, key);
      compared++;
    }
    assert.ok(compared >= 30, `${compared} batches compared`);
  });

  it('asks for the first stage of each finished batch whose rows are unknown, once', () => {
    const interpreter = new AnswerInterpreter();
    // Everything but the stages: the jobs show finished batches, nothing gives their rows.
    for (const a of answers) if (a.endpoint !== 'driver:/stages') interpreter.interpret(a);
    const wanted = interpreter.stagesWantedForRows(4);
    assert.equal(wanted.length, 4);
    const stages = stagesOf(answers);
    for (const id of wanted) {
      const s = stages.find((x) => x.stageId === id)!;
      assert.ok(s.inputRecords > 0, `stage ${id} reads the source`);
    }
    assert.deepEqual([...wanted].sort((a, b) => b - a), wanted, 'newest first');
    assert.ok(interpreter.stagesWantedForRows(100).every((id) => !wanted.includes(id)), 'not asked again');
    // Their answers give the rows, and the derived batches change at once.
    const stageAnswer: EndpointAnswer = { t: answers.at(-1)!.t, endpoint: 'driver:/stages', status: 200, body: answers.filter((a) => a.endpoint === 'driver:/stages').at(-1)!.body };
    const samples = interpreter.interpret(stageAnswer);
    const progress = samples.find((s) => s.kind === 'progress');
    assert.ok(progress && progress.kind === 'progress');
    assert.ok(progress.data.derivedBatches!.filter((b) => b.numInputRows !== null && b.numInputRows > 0).length >= 10);
  });
});
