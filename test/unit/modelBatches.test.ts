/**
 * Batches: listener events kept whole, one row per (runId, batchId), p50/p95/max of the current
 * app's recent batches, and batches derived from the jobs API when the listener answers are
 * removed from a recording (rows and rates unknown then).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derivedFromFixture, modelFromAnswers } from '../support/derivedFromFixture.js';
import { recordedStageRows } from '../support/recordedStageRows.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { derive } from '../../src/model/index.js';

const OLD_APP = 'app-20261128183001-0000';
const NEW_APP = 'app-20261128183210-0001';

describe('batch rows and percentiles (steady)', () => {
  // Progress lines 248, 356, 433, 524: batches 0–3 of run 850f7dab, triggerExecution
  // 38683, 17669, 13431, 15774 ms. Sorted: 13431 15774 17669 38683 → nearest rank:
  // p50 = 2nd = 15774, p95 = 4th = 38683, max 38683.
  const d = derivedFromFixture('steady');

  it('keeps one row per batch with the app id, newest last', () => {
    assert.deepEqual(
      d.batches.rows.map((r) => [r.batchId, r.durationMs, r.numInputRows, r.appId, r.origin]),
      [
        [0, 38683, 1206, OLD_APP, 'listener'],
        [1, 17669, 371882, OLD_APP, 'listener'],
        [2, 13431, 176820, OLD_APP, 'listener'],
        [3, 15774, 134483, OLD_APP, 'listener'],
      ],
    );
    assert.equal(d.batches.last?.batchId, 3);
    assert.equal(d.batches.last?.t, Date.parse('2026-11-28T18:31:24.499Z'));
  });

  it('computes p50/p95/max by nearest rank', () => {
    assert.equal(d.batches.p50Ms, 15774);
    assert.equal(d.batches.p95Ms, 38683);
    assert.equal(d.batches.maxMs, 38683);
    assert.equal(d.batches.targetMs, 20_000);
    assert.equal(derivedFromFixture('steady', { targetBatchMs: 15_000 }).batches.targetMs, 15_000);
  });

  it("takes the rates of the last batch from Spark's own figures", () => {
    // line 524: inputRowsPerSecond 10008.409615241499, processedRowsPerSecond 8525.071315372425
    assert.equal(d.rates.inputRps, 10008.409615241499);
    assert.equal(d.rates.processedRps, 8525.071315372425);
    assert.deepEqual(
      d.rates.series.map((p) => p.batchId),
      [0, 1, 2, 3],
    );
  });

  it('keeps the breakdown and state figures of the listener event', () => {
    const last = d.batches.last!;
    assert.equal(last.breakdown.addBatch !== null && last.breakdown.addBatch > 0, true);
    assert.equal(typeof last.stateRows, 'number');
  });

  it('has no batches (null percentiles, not 0) before the first one completed', () => {
    const early = derivedFromFixture('steady', { at: 246 });
    assert.equal(early.batches.last, null);
    assert.equal(early.batches.p50Ms, null);
    assert.equal(early.batches.p95Ms, null);
    assert.equal(early.batches.maxMs, null);
    assert.equal(early.rates.inputRps, null);
  });
});

describe('batch ids restarting under a new run (resubmit)', () => {
  const d = derivedFromFixture('resubmit');

  it('keeps both runs, each row with its app id', () => {
    const zeros = d.batches.rows.filter((r) => r.batchId === 0);
    assert.deepEqual(
      zeros.map((r) => [r.appId, r.runId.slice(0, 8)]),
      [
        [OLD_APP, '850f7dab'],
        [NEW_APP, '9cd96a59'],
      ],
    );
    assert.equal(d.batches.rows.filter((r) => r.appId === OLD_APP).length, 5);
    assert.equal(d.batches.rows.filter((r) => r.appId === NEW_APP).length, 60);
    assert.equal(d.batches.last?.batchId, 59);
    assert.equal(d.batches.last?.appId, NEW_APP);
  });

  it("computes p50/p95/max over the current app's batches only", () => {
    // 60 batches of run 9cd96a59 (triggerExecution of every progress event of that run):
    // nearest rank p50 = 30th = 1178, p95 = 57th = 2743, max = batch 0 = 20504.
    assert.equal(d.batches.p50Ms, 1178);
    assert.equal(d.batches.p95Ms, 2743);
    assert.equal(d.batches.maxMs, 20504);
  });

  it("has no percentiles for the new app before its first batch, and still shows the old app's last batch", () => {
    const between = derivedFromFixture('resubmit', { at: 300 });
    assert.equal(between.app.id, NEW_APP);
    assert.equal(between.batches.p95Ms, null);
    assert.equal(between.batches.last?.appId, OLD_APP);
  });

  it('takes each listener event once although the first answer replays the run', () => {
    // Line 8 (index 7) replays batches 0–3 of the old run (since=-1), line 98 brings batch 4.
    const early = derivedFromFixture('resubmit', { at: 100 });
    assert.deepEqual(
      early.batches.rows.map((r) => r.batchId),
      [0, 1, 2, 3, 4],
    );
  });
});

describe('batches derived from the jobs API (listener answers removed from the recording)', () => {
  // Without the listener, the last jobs answer of steady (line 595) has batches 0–4 of run 850f7dab:
  // first submission → last completion: 0: 18:30:19.626 → 18:30:52.934 = 33308 ms,
  // 1: 17090, 2: 12788, 3: 14945, 4: running (no completion yet) → null.
  const answers = answersFromFixture('steady');
  const { model, now } = modelFromAnswers(answers, { keep: (a) => a.endpoint !== 'listener:/progress' });
  const d = derive(model, now);

  it('derives rows with durations, rows from the recorded stages and rates from them', () => {
    assert.deepEqual(
      d.batches.rows.map((r) => [r.batchId, r.durationMs, r.origin]),
      [
        [0, 33308, 'derived'],
        [1, 17090, 'derived'],
        [2, 12788, 'derived'],
        [3, 14945, 'derived'],
        [4, null, 'derived'],
      ],
    );
    const stageRows = recordedStageRows(answers);
    for (const r of d.batches.rows) {
      const running = r.durationMs === null;
      assert.equal(r.numInputRows, running ? null : stageRows.get(`${r.runId}/${r.batchId}`), `batch ${r.batchId}`);
      assert.equal(r.processedRps, running ? null : r.numInputRows! / (r.durationMs! / 1000));
      assert.equal(r.stateRows, null);
      assert.equal(r.appId, OLD_APP);
    }
    assert.ok(d.batches.rows.slice(0, 4).every((r) => r.numInputRows !== null && r.numInputRows > 0));
    assert.equal(d.rates.processedRps, d.batches.rows[3]!.processedRps, 'the newest finished batch gives the rates');
  });


  it('computes percentiles over the completed derived batches', () => {
    // 12788 14945 17090 33308 → p50 = 14945, p95 = max = 33308
    assert.equal(d.batches.p50Ms, 14945);
    assert.equal(d.batches.p95Ms, 33308);
    assert.equal(d.batches.maxMs, 33308);
  });

  it("knows no Spark offsets then: lag is unknown, not 0", () => {
    for (const r of d.partitions.rows) {
      assert.equal(r.sparkOffset, null);
      assert.equal(r.lag, null);
      assert.equal(r.status, 'UNKNOWN');
    }
    assert.equal(d.sources.progress.ok, null);
  });

  it('fills in the duration once a running batch completes', () => {
    const earlier = modelFromAnswers(answers, { at: 500, keep: (a) => a.endpoint !== 'listener:/progress' });
    const rows = derive(earlier.model, earlier.now).batches.rows;
    assert.equal(rows.find((r) => r.batchId === 3)?.durationMs, null);
    assert.equal(d.batches.rows.find((r) => r.batchId === 3)?.durationMs, 14945);
  });
});
