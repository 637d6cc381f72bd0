import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckpointSample } from '../../src/model/samples.js';
import { batchRowsOf, parseSqlExecutions } from '../../src/sources/microBatches.js';
import { parseKafkaOffsets } from '../../src/sources/parse.js';
import { derive } from '../../src/model/index.js';
import { derivedFromFixture, modelFromAnswers } from '../support/derivedFromFixture.js';
import { assertRowsAreConsumedOffsets } from '../support/checkpointRows.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

// no-listener-sql.jsonl: the lab's classroom job resubmitted with `--listener off`, recorded with
// the driver's SQL executions read page by page as the sampler reads them, and the query's
// checkpoint folder read as `--checkpoint` does (scripts/record-lab-fixtures.ts).
const SCENARIO = 'no-listener-sql';
const answers = answersFromFixture(SCENARIO);

describe('rows per batch from the SQL executions (no listener)', () => {
  const d = derivedFromFixture(SCENARIO);
  const row = (batchId: number) => d.batches.rows.find((r) => r.batchId === batchId)!;

  it('the listener is unreachable, batches are derived', () => {
    assert.equal(d.sources.progress.ok, false);
    assert.ok(d.batches.rows.length > 80);
    assert.ok(d.batches.rows.every((r) => r.origin === 'derived'));
  });

  it('gives the rows of each batch as read from the recording', () => {
    assert.equal(row(1).numInputRows, 29539);
    assert.equal(row(7).numInputRows, 3727);
    assert.equal(row(8).numInputRows, 3642);
    assert.equal(row(58).numInputRows, 2198);
    assert.equal(row(90).numInputRows, 1174);
  });

  it("equal Spark's consumed offsets: Σ over partitions of the checkpoint's end offsets of N minus those of N−1", () => {
    const compared = assertRowsAreConsumedOffsets(d.batches.rows, answers);
    assert.ok(compared >= 30, `${compared} batches compared`);
  });

  it('one execution per batch reads the source: the rule (max over the executions) takes that one', () => {
    const byBatch = new Map<number, number[]>();
    for (const a of answers) {
      if (a.endpoint !== 'driver:/sql' || a.status !== 200) continue;
      for (const e of parseSqlExecutions(a.body)) {
        if (e.status !== 'COMPLETED') continue;
        const seen = byBatch.get(e.batchId) ?? [];
        if (!seen.includes(e.id) && e.scanRows !== null) seen.push(e.id);
        byBatch.set(e.batchId, seen);
      }
    }
    assert.ok(byBatch.size > 80);
    for (const [batchId, withRows] of byBatch) assert.equal(withRows.length, 1, `batch ${batchId}: executions with scan rows ${withRows.join(',')}`);
    // Batch 1's executions as recorded: 3 (outer plan, no metrics), 4 (the scan), 5 (console sink).
    const first = parseSqlExecutions(answers.find((a) => a.endpoint === 'driver:/sql')!.body).filter((e) => e.batchId === 1);
    assert.deepEqual(
      first.map((e) => [e.id, e.scanRows]),
      [
        [3, null],
        [4, 29539],
        [5, null],
      ],
    );
    assert.equal(batchRowsOf(first).get(`${first[0]!.runId}/1`), 29539);
  });

  it("rates as Spark defines them: rows ÷ time since the previous batch's start, rows ÷ duration", () => {
    const r = row(8);
    assert.equal(r.inputRps, 3642 / ((r.t - row(7).t) / 1000));
    assert.equal(r.processedRps, 3642 / (r.durationMs! / 1000));
    assert.equal(row(0).inputRps, null, 'batch 0 has no previous batch');
    const running = d.batches.rows.at(-1)!;
    assert.equal(running.numInputRows, null, 'finished after the last SQL read: rows come with the next one');
  });
});

describe('lag from the checkpoint (no listener)', () => {
  const d = derivedFromFixture(SCENARIO);
  const lastCheckpoint = answers.filter((a) => a.endpoint === 'checkpoint:offsets' && a.status === 0).at(-1)!.body as CheckpointSample;
  const lastKafka = answers.filter((a) => a.endpoint === 'kafka:offsets' && a.status === 0).at(-1)!;
  const kafka = parseKafkaOffsets('logs', (lastKafka.body as { offsets: unknown }).offsets);

  it("is log end − the checkpoint's end offsets, per partition", () => {
    assert.equal(d.sources.checkpoint.ok, true);
    assert.equal(d.partitions.rows.length, 2);
    for (const p of d.partitions.rows) {
      const logEnd = kafka.partitions.find((k) => k.partition === p.partition)!.logEndOffset;
      const offset = lastCheckpoint.offsets.find((o) => o.partition === p.partition)!.offset;
      assert.equal(p.logEndOffset, logEnd);
      assert.equal(p.sparkOffset, offset);
      assert.equal(p.lag, logEnd - offset);
      assert.ok(p.lag! > 0);
      assert.equal(p.status, 'OK', 'commits are seen through the checkpoint: not UNKNOWN');
    }
    assert.equal(d.partitions.totalLag, d.partitions.rows.reduce((s, p) => s + p.lag!, 0));
  });

  it('without --checkpoint (its answers left out) the same recording has no lag, and no checkpoint source', () => {
    const { model, now } = modelFromAnswers(answers, { keep: (a) => a.endpoint !== 'checkpoint:offsets' });
    const without = derive(model, now);
    assert.equal(without.sources.checkpoint.ok, null);
    assert.ok(without.partitions.rows.every((p) => p.lag === null && p.status === 'UNKNOWN'));
  });
});
