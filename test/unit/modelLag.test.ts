/**
 * Lag, lag seconds, produce rate and trend statuses per partition, against numbers worked out by
 * hand from the recorded lab answers (test/fixtures/lab/*.jsonl; "line N" = answer index N − 1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Derived, PartitionRow } from '../../src/model/derivedTypes.js';
import { derive } from '../../src/model/index.js';
import { derivedFromFixture, eachMoment, modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

function row(d: Derived, partition: number): PartitionRow {
  const r = d.partitions.rows.find((x) => x.partition === partition);
  assert.ok(r, `partition ${partition} present`);
  return r;
}

function statuses(d: Derived): string[] {
  return d.partitions.rows.map((r) => r.status);
}

/** Guards the hand computations below: the answer at `index` is the one the comment describes. */
function assertAnswer(scenario: string, index: number, endpoint: string, t: number): void {
  const a = answersFromFixture(scenario)[index]!;
  assert.equal(a.endpoint, endpoint, `${scenario} line ${index + 1}`);
  assert.equal(a.t, t, `${scenario} line ${index + 1}`);
}

describe('lag and produce rate per partition (steady, end of the recording)', () => {
  // Last answer: line 596 (index 595, t=1795890712325).
  // Newest Kafka answer: line 590 (t=1795890712267): high 2017015 (p0), 2017016 (p1).
  // Newest progress: line 524, batch 3, endOffset {"logs":{"0":1878343,"1":1878345}}.
  //   lag p0 = 2017015 − 1878343 = 138672;   lag p1 = 2017016 − 1878345 = 138671.
  // Produce rate, 10 s window: the oldest Kafka answer at or after 1795890712267 − 10000 is line 537
  // (t=1795890703268; line 530 at …702266 is 1 ms too old): high 1972075 / 1972077.
  //   p0 = (2017015 − 1972075) / 8.999 s = 4993.888…/s;  p1 = (2017016 − 1972077) / 8.999 s = 4993.777…/s
  //   lag seconds p0 = 138672 / 4993.888 = 27.768 s
  const d = derivedFromFixture('steady');

  it('takes the answers the comment names', () => {
    assertAnswer('steady', 589, 'kafka:offsets', 1795890712267);
    assertAnswer('steady', 536, 'kafka:offsets', 1795890703268);
    assert.equal(d.at, 1795890712325);
    assert.equal(d.partitions.topic, 'logs');
  });

  it('lag = log-end offset − Spark committed end offset', () => {
    assert.deepEqual(
      d.partitions.rows.map((r) => [r.partition, r.logEndOffset, r.sparkOffset, r.lag]),
      [
        [0, 2017015, 1878343, 138672],
        [1, 2017016, 1878345, 138671],
      ],
    );
    assert.equal(d.partitions.totalLag, 138672 + 138671);
  });

  it('produce rate from log-end deltas over the 10 s window, lag seconds = lag ÷ produce rate', () => {
    const p0 = row(d, 0);
    const p1 = row(d, 1);
    assert.ok(Math.abs(p0.produceRps! - 44940 / 8.999) < 1e-6, String(p0.produceRps));
    assert.ok(Math.abs(p1.produceRps! - 44939 / 8.999) < 1e-6, String(p1.produceRps));
    assert.ok(Math.abs(p0.lagSeconds! - 138672 / (44940 / 8.999)) < 1e-9);
    assert.ok(Math.abs(p0.lagSeconds! - 27.768) < 0.001);
    assert.ok(Math.abs(d.partitions.produceRps! - (44940 + 44939) / 8.999) < 1e-6);
    assert.equal(d.rates.produceRps, d.partitions.produceRps);
  });

  it('is OK at the end of steady: batches keep coming and the lag at commit does not grow', () => {
    assert.deepEqual(statuses(d), ['OK', 'OK']);
  });

  it('is unknown (null, not 0) before Spark committed its first batch', () => {
    // Line 247 (index 246): the first batch of the run only arrives with line 248.
    const early = derivedFromFixture('steady', { at: 246 });
    for (const r of early.partitions.rows) {
      assert.equal(r.sparkOffset, null);
      assert.equal(r.lag, null);
      assert.equal(r.lagSeconds, null);
      assert.equal(r.status, 'UNKNOWN');
      assert.ok(r.logEndOffset !== null && r.produceRps !== null);
    }
    assert.equal(early.partitions.totalLag, null);
  });

  it('has no produce rate with a single Kafka answer', () => {
    const first = derivedFromFixture('steady', { at: 0 });
    assert.equal(first.partitions.rows[0]!.logEndOffset, 1519651);
    assert.equal(first.partitions.rows[0]!.produceRps, null);
    assert.equal(first.partitions.produceRps, null);
  });
});

describe('STOP: the run that committed the offsets is gone (resubmit)', () => {
  it('is OK while the old driver answers (line 131)', () => {
    const d = derivedFromFixture('resubmit', { at: 130 });
    assert.deepEqual(statuses(d), ['OK', 'OK']);
  });

  // Line 132 (index 131, t=1795890723608): the driver's /allexecutors fails ("fetch failed").
  // Newest Kafka answer line 129: high 2073701 / 2073703; Spark's last batch (4, old app) endOffset
  // 1957144 / 1957146 → lag 116557 on both partitions. Nothing consumes: the backlog doubles in
  // lag ÷ produce rate = its lag seconds.
  it('turns STOP the moment the driver is unreachable (line 132)', () => {
    assertAnswer('resubmit', 131, 'driver:/allexecutors', 1795890723608);
    const d = derivedFromFixture('resubmit', { at: 131 });
    assert.deepEqual(statuses(d), ['STOP', 'STOP']);
    assert.deepEqual(
      d.partitions.rows.map((r) => r.lag),
      [2073701 - 1957144, 2073703 - 1957146],
    );
    const p0 = row(d, 0);
    assert.equal(p0.eta?.kind, 'double');
    assert.ok(Math.abs(p0.eta!.seconds - p0.lagSeconds!) < 1e-9);
  });

  // Line 173 (index 172): the driver answers again, for app-20261128183210-0001; the offsets
  // belong to the old app's run, and the new run commits its first batch only at line 355. The new
  // app consumes the topic from a position not seen yet: lag unknown, never STOP (nor the old lag).
  it('is UNKNOWN once the new app answers, until the new run commits (lines 173–354)', () => {
    for (const at of [172, 200, 300, 353]) {
      const d = derivedFromFixture('resubmit', { at });
      assert.deepEqual(statuses(d), ['UNKNOWN', 'UNKNOWN'], `index ${at}`);
      assert.deepEqual(d.partitions.rows.map((r) => [r.sparkOffset, r.lag]), [[null, null], [null, null]], `index ${at}`);
      assert.equal(d.partitions.totalLag, null);
    }
    // The lag chart has no point for the old offsets after the new app answered.
    const changedAt = derivedFromFixture('resubmit', { at: 172 }).at;
    const series = derivedFromFixture('resubmit', { at: 353 }).partitions.lagSeries.filter((p) => p.t > changedAt);
    assert.ok(series.length > 10);
    assert.ok(series.every((p) => p.lag === null));
  });

  // Line 355 (index 354): batch 0 of run 9cd96a59 (fresh checkpoint), endOffset 2190333 / 2190334.
  // Newest Kafka answer line 351: high 2293554 / 2293556 → lag 103221 / 103222.
  it('measures against the new run once it committed (line 355), batch ids restarting at 0', () => {
    assertAnswer('resubmit', 354, 'listener:/progress', 1795890767621);
    const d = derivedFromFixture('resubmit', { at: 354 });
    assert.deepEqual(
      d.partitions.rows.map((r) => [r.sparkOffset, r.lag, r.status]),
      [
        [2190333, 2293554 - 2190333, 'OK'],
        [2190334, 2293556 - 2190334, 'OK'],
      ],
    );
  });
});

describe('STALL: Spark is there but its offsets do not move (kafka-down)', () => {
  // Batch 101 (line 133): started 18:34:42.377Z = 1795890882377, triggerExecution 1300 ms →
  // committed at 1795890883677; endOffset 2867702 / 2867704. The previous batch started 884 ms
  // earlier, so the expected interval is 1.3 s and STALL comes after max(15 s, 2 × 1.3 s) = 15 s,
  // i.e. after 1795890898677. Kafka was last read at line 122 (high 2870848 / 2870850): lag ≥ 3146.
  it('is OK at line 217 (t=1795890898086) and STALL at line 218 (t=1795890899076)', () => {
    assertAnswer('kafka-down', 216, 'listener:/progress', 1795890898086);
    assertAnswer('kafka-down', 217, 'kafka:offsets', 1795890899076);
    const before = derivedFromFixture('kafka-down', { at: 216 });
    const after = derivedFromFixture('kafka-down', { at: 217 });
    assert.deepEqual(statuses(before), ['OK', 'OK']);
    assert.deepEqual(statuses(after), ['STALL', 'STALL']);
    assert.deepEqual(
      after.partitions.rows.map((r) => [r.logEndOffset, r.sparkOffset, r.lag]),
      [
        [2870848, 2867702, 3146],
        [2870850, 2867704, 3146],
      ],
    );
  });

  it('shows no current produce rate, lag seconds or ETA while Kafka is unreachable', () => {
    const d = derivedFromFixture('kafka-down', { at: 300 });
    for (const r of d.partitions.rows) {
      assert.equal(r.produceRps, null);
      assert.equal(r.lagSeconds, null);
      assert.equal(r.eta, null);
    }
    assert.equal(d.partitions.produceRps, null);
  });

  it('stays STALL after Kafka is back until the hung batch 102 commits (line 469)', () => {
    assert.deepEqual(statuses(derivedFromFixture('kafka-down', { at: 467 })), ['STALL', 'STALL']);
    assert.deepEqual(statuses(derivedFromFixture('kafka-down', { at: 468 })), ['OK', 'OK']);
  });
});

describe('STOP by time (no batch for max(floor, 3 × expected interval))', () => {
  // The recordings' longest gaps between commits are 56 s (kafka-down: batch 101 committed at
  // …883677, batch 102 at …939835) and 50 s (resubmit), under the default 60 s floor: with it,
  // STOP by time is not reached in any recording. With a 30 s floor it is, in kafka-down:
  // 1795890883677 + 30000 = …913677 falls between line 308 (…913154) and line 309 (…914083).
  const answers = answersFromFixture('kafka-down');
  const at = (index: number, stopFloorMs: number) => {
    const { model, now } = modelFromAnswers(answers, { at: index, model: { thresholds: { stopFloorMs } } });
    return statuses(derive(model, now));
  };

  it('is reached 30 s after the last commit with a 30 s floor', () => {
    assert.deepEqual(at(307, 30_000), ['STALL', 'STALL']);
    assert.deepEqual(at(308, 30_000), ['STOP', 'STOP']);
  });

  it('is not reached with the default 60 s floor', () => {
    assert.deepEqual(at(308, 60_000), ['STALL', 'STALL']);
    assert.deepEqual(at(467, 60_000), ['STALL', 'STALL']);
  });
});

describe('WARN: the lag at commit grows across the last 3 commits (resubmit)', () => {
  // Lag at commit = log-end interpolated at the commit (batch start + triggerExecution) − endOffset:
  //   batch 11: commit …792598, Kafka lines 501 (…792573: 2418541) / 508 (…793571: 2423508),
  //             log-end 2418665.4 − 2413344 → 5321
  //   batch 12: commit …794038, lines 508 / 513 (…794637: 2428808), 2425829.9 − 2418741 → 7089
  //   batch 13: commit …796424, lines 520 (…795638: 2433855) / 525 (…796634: 2438913),
  //             2437846.6 − 2425911 → 11936
  // Non-decreasing, and it grew by 6615 ≥ 1 s of what Kafka received meanwhile
  // ((2437846.6 − 2418665.4) / 3.826 s = 5013). Batch 14 (commit …798872): 11888 < 11936 → OK again.
  it('is OK before batch 13 arrives (line 529), WARN with it (line 530), OK after batch 14 (line 547)', () => {
    assertAnswer('resubmit', 529, 'listener:/progress', 1795890796836);
    assert.deepEqual(statuses(derivedFromFixture('resubmit', { at: 528 })), ['OK', 'OK']);
    assert.deepEqual(statuses(derivedFromFixture('resubmit', { at: 529 })), ['WARN', 'WARN']);
    assert.deepEqual(statuses(derivedFromFixture('resubmit', { at: 545 })), ['WARN', 'WARN']);
    assert.deepEqual(statuses(derivedFromFixture('resubmit', { at: 546 })), ['OK', 'OK']);
  });

  it('is not reached by noise: steady and kafka-down (outside the outage) never WARN', () => {
    for (const scenario of ['steady', 'kafka-down']) {
      eachMoment(scenario, (d, at) => assert.ok(!statuses(d).includes('WARN'), `${scenario} index ${at}: ${statuses(d).join(',')}`));
    }
  });
});

describe('ETA: drain or double at the current lag trend', () => {
  // Resubmit, line 398 (index 397, t=1795890773…): batch 1 of the new run arrives.
  //   batch 0: start 18:32:26.038Z + 20504 ms → commit 1795890766542; Kafka lines 340 (…765561:
  //            2283437) / 345 (…766565: 2288559) → log-end 2288441.66 − 2190333 → lag at commit 98109
  //   batch 1: start 18:32:46.612Z + 6823 ms → commit 1795890773435; lines 381 (…772569: 2318559) /
  //            388 (…773588: 2323556) → log-end 2322805.71 − 2288755 → lag at commit 34051
  //   trend p0 = (34051 − 98109) / 6.893 s = −9293.2/s; current lag (Kafka line 393: 2328532) =
  //   2328532 − 2288755 = 39777 → drains in 39777 / 9293.2 = 4.28 s.
  it('drains while the new run catches up (resubmit line 398)', () => {
    const d = derivedFromFixture('resubmit', { at: 397 });
    const p0 = row(d, 0);
    assert.equal(p0.status, 'OK');
    assert.equal(p0.lag, 39777);
    assert.equal(p0.eta?.kind, 'drain');
    assert.ok(Math.abs(p0.eta!.seconds - 39777 / ((98109 - 34051) / 6.893)) < 1e-6, String(p0.eta!.seconds));
    assert.equal(row(d, 1).eta?.kind, 'drain');
  });

  it('is null (steady) when the lag trend is within 5 % of the produce rate (kafka-down line 600)', () => {
    const d = derivedFromFixture('kafka-down', { at: 599 });
    for (const r of d.partitions.rows) assert.equal(r.eta, null);
  });
});
