/**
 * The input topic deleted and created again (issue #9): offsets restart at 0, possibly with another
 * partition count, while Spark's last commit still holds the old topic's (much larger) offsets.
 * No recording shows it, so these tests use copies of the steady recording with the Kafka answers
 * changed as a recreation changes them (each change stated below; the cached fixture stays untouched).
 *
 * steady.jsonl, the lines used ("line N" = answer index N − 1):
 *   line 356  progress, batch 1 (run 850f7dab), delivered at …672320
 *   line 362  Kafka (t=1795890674265): high 1827058 / 1827059  ← the old topic's last answer (BASE)
 *   line 369  Kafka (t=1795890675298): high 1831957 / 1831958  ← the first answer after the recreation
 *   line 374  Kafka (t=1795890676269): high 1837052 / 1837054
 *   line 433  progress, batch 2: started 18:31:11.062Z (…671062, before the recreation), triggerExecution
 *             13431 → committed …684493, delivered …685309; endOffset 1811102 / 1811103 (old topic)
 *   line 524  progress, batch 3: started 18:31:24.499Z (…684499, after it), delivered …700503;
 *             endOffset 1878343 / 1878345
 *   line 590  Kafka (t=1795890712267): high 2017015 / 2017016, the newest at the end (line 596)
 *
 * The recreated topic: every Kafka answer after line 362 has high − BASE (so the new topic starts
 * at 0 and grows as the recording did) and a third partition with partition 0's offset. Batch 3 is
 * what Spark (failOnDataLoss=false) commits on the new topic: its endOffset and latestOffset − BASE,
 * partition 2 as partition 0, startOffset the new topic's start (0). Batches 1 and 2 stay as
 * recorded: offsets of the old topic, batch 2 delivered after the recreation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import type { Derived } from '../../src/model/derivedTypes.js';
import { derive } from '../../src/model/index.js';
import { applyKafkaSample, createKafkaState } from '../../src/model/kafkaState.js';
import type { KafkaSample } from '../../src/model/samples.js';
import type { EndpointAnswer } from '../../src/sources/answers.js';
import { describeKafkaError } from '../../src/sources/kafka.js';
import { modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

const LAST_OLD = 361;
const FIRST_NEW = 368;
const BATCH_2 = 432;
const BATCH_3 = 523;
const END = 595;
const BASE = [1827058, 1827059];

interface KafkaBody {
  topic: string;
  offsets: Array<{ partition: number; offset: string; high: string; low: string }>;
  group?: unknown;
}
type Offsets = Record<string, Record<string, number>>;
interface ProgressBody {
  progress: Array<{ batchId: number; sources: Array<{ startOffset: unknown; endOffset: unknown; latestOffset: unknown }> }>;
}

const shift = (high: string, partition: number) => String(Number(high) - BASE[partition]!);

function recreatedKafka(a: EndpointAnswer): EndpointAnswer {
  const body = a.body as KafkaBody;
  const offsets = body.offsets.map((o) => ({ ...o, offset: shift(o.high, o.partition), high: shift(o.high, o.partition), low: '0' }));
  const p0 = offsets.find((o) => o.partition === 0)!;
  return { ...a, body: { ...body, offsets: [...offsets, { ...p0, partition: 2 }] } };
}

function shiftedOffsets(value: unknown): Offsets {
  const logs = (value as Offsets).logs!;
  const out: Record<string, number> = {};
  for (const [p, o] of Object.entries(logs)) out[p] = o - BASE[Number(p)]!;
  out['2'] = out['0']!;
  return { logs: out };
}

function recreatedBatch(a: EndpointAnswer): EndpointAnswer {
  const body = a.body as ProgressBody;
  const progress = body.progress.map((p) => ({
    ...p,
    sources: p.sources.map((s) => ({ ...s, startOffset: { logs: { 0: 0, 1: 0, 2: 0 } }, endOffset: shiftedOffsets(s.endOffset), latestOffset: shiftedOffsets(s.latestOffset) })),
  }));
  return { ...a, body: { ...body, progress } };
}

/** steady with the topic recreated after line 362; `gap`: the Kafka answers of the next 3 s fail as during the deletion. */
function recreated(options: { gap: boolean }): EndpointAnswer[] {
  const answers = answersFromFixture('steady');
  const gapUntil = answers[LAST_OLD]!.t + 3500;
  return answers.map((a, i) => {
    if (a.endpoint === 'kafka:offsets' && i > LAST_OLD) {
      if (options.gap && a.t <= gapUntil) return { ...a, status: null, body: { error: 'topic logs does not exist' } };
      return recreatedKafka(a);
    }
    if (i === BATCH_3) return recreatedBatch(a);
    return a;
  });
}

function derivedAt(answers: EndpointAnswer[], at: number, keep?: (a: EndpointAnswer) => boolean): Derived {
  const { model, now } = modelFromAnswers(answers, { at, ...(keep ? { keep } : {}) });
  return derive(model, now);
}

const table = (d: Derived) => d.partitions.rows.map((r) => [r.partition, r.logEndOffset, r.sparkOffset, r.lag, r.status]);

describe('topic recreated with 3 partitions: the fixture lines the comment names', () => {
  const answers = answersFromFixture('steady');
  it('takes the answers the comment describes', () => {
    assert.equal(answers[LAST_OLD]!.endpoint, 'kafka:offsets');
    assert.equal(answers[LAST_OLD]!.t, 1795890674265);
    assert.deepEqual((answers[LAST_OLD]!.body as KafkaBody).offsets.map((o) => Number(o.high)), BASE);
    assert.equal(answers[FIRST_NEW]!.endpoint, 'kafka:offsets');
    assert.equal(answers[FIRST_NEW]!.t, 1795890675298);
    assert.ok(answers.slice(LAST_OLD + 1, FIRST_NEW).every((a) => a.endpoint !== 'kafka:offsets'));
    assert.deepEqual((answers[BATCH_2]!.body as ProgressBody).progress.map((p) => p.batchId), [2]);
    assert.deepEqual((answers[BATCH_3]!.body as ProgressBody).progress.map((p) => p.batchId), [3]);
  });
});

describe('topic recreated with 3 partitions, seen by the monitor at once (no failed read in between)', () => {
  const answers = recreated({ gap: false });

  it('follows the new partition count at the first answer of the new topic, with offsets from 0', () => {
    const d = derivedAt(answers, FIRST_NEW);
    // 1831957 − 1827058 = 4899, 1831958 − 1827059 = 4899; partition 2 as partition 0.
    assert.deepEqual(d.partitions.rows.map((r) => [r.partition, r.logEndOffset]), [
      [0, 4899],
      [1, 4899],
      [2, 4899],
    ]);
  });

  it('does not compare the old topic\'s Spark offsets with the new log end: lag unknown, not 0', () => {
    // Batch 1's offsets (1722692 / 1722693) are far above the new log end (4899): before the fix
    // the table showed them with lag max(0, 4899 − 1722692) = 0 and status OK.
    const d = derivedAt(answers, FIRST_NEW);
    assert.deepEqual(table(d), [
      [0, 4899, null, null, 'UNKNOWN'],
      [1, 4899, null, null, 'UNKNOWN'],
      [2, 4899, null, null, 'UNKNOWN'],
    ]);
    assert.equal(d.partitions.totalLag, null);
    assert.equal(d.partitions.lagSeries.at(-1)!.lag, null);
  });

  it('has no produce rate from a single answer of the new topic, and measures it from the second', () => {
    const first = derivedAt(answers, FIRST_NEW);
    assert.deepEqual(first.partitions.rows.map((r) => r.produceRps), [null, null, null]);
    assert.equal(first.partitions.produceRps, null);
    // Line 374 (t=…676269): p0 1837052 − 1827058 = 9994, 9994 − 4899 = 5095 in 0.971 s; p1 5096.
    const second = derivedAt(answers, 373);
    const [p0, p1, p2] = second.partitions.rows.map((r) => r.produceRps!);
    assert.ok(Math.abs(p0! - 5095 / 0.971) < 1e-6, String(p0));
    assert.ok(Math.abs(p1! - 5096 / 0.971) < 1e-6, String(p1));
    assert.ok(Math.abs(p2! - 5095 / 0.971) < 1e-6, String(p2));
  });

  it('logs the recreation in the events', () => {
    const d = derivedAt(answers, FIRST_NEW);
    const e = d.events.find((x) => /recreated/.test(x.text));
    assert.ok(e, d.events.map((x) => x.text).join('\n'));
    assert.equal(e.level, 'warn');
    assert.equal(e.t, 1795890675298);
    assert.equal(
      e.text,
      "Kafka topic logs was recreated (partition 0's log-end offset went back from 1827058 to 4899; partitions 2 → 3): lag is unknown until Spark commits offsets of the new topic",
    );
  });

  it('ignores a commit of the old topic delivered after the recreation (batch 2, line 433)', () => {
    const d = derivedAt(answers, BATCH_2);
    assert.deepEqual(d.partitions.rows.map((r) => [r.sparkOffset, r.lag, r.status]), [
      [null, null, 'UNKNOWN'],
      [null, null, 'UNKNOWN'],
      [null, null, 'UNKNOWN'],
    ]);
    assert.equal(d.batches.last?.batchId, 2, 'the batch itself is shown');
  });

  it('measures lag again from Spark\'s first commit on the new topic (batch 3, line 524), for the new partition too', () => {
    // End (line 596), newest Kafka line 590: 2017015 − 1827058 = 189957, 2017016 − 1827059 = 189957.
    // Batch 3: 1878343 − 1827058 = 51285, 1878345 − 1827059 = 51286 → lag 138672 / 138671, as
    // in the unchanged recording (test/unit/modelLag.test.ts).
    const d = derivedAt(answers, END);
    assert.deepEqual(table(d), [
      [0, 189957, 51285, 138672, 'OK'],
      [1, 189957, 51286, 138671, 'OK'],
      [2, 189957, 51285, 138672, 'OK'],
    ]);
    assert.equal(d.partitions.totalLag, 138672 + 138671 + 138672);
    // The 10 s window lies inside the new topic: the same rates as the recording (modelLag.test.ts).
    assert.ok(Math.abs(d.partitions.rows[0]!.produceRps! - 44940 / 8.999) < 1e-6);
  });

  it('never shows a negative lag or produce rate, nor an offset of the old topic, after the recreation', () => {
    // The old topic's commits are at 1.5 M and more; the new topic's log end stays under 190 000.
    const model = modelFromAnswers(answers, { at: LAST_OLD }).model;
    for (let at = FIRST_NEW; at <= END; at++) {
      const d = derivedAt(answers, at);
      for (const r of d.partitions.rows) {
        assert.ok(r.lag === null || r.lag >= 0, `line ${at + 1}: lag ${r.lag}`);
        assert.ok(r.produceRps === null || r.produceRps >= 0, `line ${at + 1}: rate ${r.produceRps}`);
        assert.ok(r.sparkOffset === null || r.sparkOffset < 1_000_000, `line ${at + 1}: spark offset ${r.sparkOffset}`);
        assert.notEqual(r.status, 'WARN', `line ${at + 1}: no trend across the recreation`);
      }
    }
    assert.equal(model.kafka.reset, null, 'no reset before the recreation');
  });
});

describe('topic recreated with 3 partitions after 3 s of failed reads (the deletion seen)', () => {
  const answers = recreated({ gap: true });

  it('keeps the old rows while the topic is missing, with the reason', () => {
    const gapAnswer = answers.findIndex((a, i) => i > LAST_OLD && a.endpoint === 'kafka:offsets');
    const d = derivedAt(answers, gapAnswer);
    assert.equal(d.sources.kafka.ok, false);
    assert.equal(d.sources.kafka.error, 'topic logs does not exist');
    assert.deepEqual(d.partitions.rows.map((r) => [r.partition, r.logEndOffset]), [
      [0, 1827058],
      [1, 1827059],
    ]);
  });

  it('shows the new topic from its first answer (line 386, t=…678271), lag unknown until batch 3, then measured', () => {
    const first = answers.findIndex((a, i) => i > LAST_OLD && a.endpoint === 'kafka:offsets' && a.status === 0);
    assert.equal(first, 385);
    assert.equal(answers[first]!.t, 1795890678271);
    const d = derivedAt(answers, first);
    assert.equal(d.sources.kafka.ok, true);
    // 1847065 − 1827058 = 20007, 1847066 − 1827059 = 20007.
    assert.deepEqual(table(d), [
      [0, 20007, null, null, 'UNKNOWN'],
      [1, 20007, null, null, 'UNKNOWN'],
      [2, 20007, null, null, 'UNKNOWN'],
    ]);
    assert.deepEqual(d.partitions.rows.map((r) => r.produceRps), [null, null, null], 'no rate across the recreation');
    assert.deepEqual(table(derivedAt(answers, END)).map((r) => r[3]), [138672, 138671, 138672]);
  });
});

describe('a monitor started after the recreation (e.g. `sparktop status`): the Kafka answers before it dropped', () => {
  // Batch 2 (old topic) committed at …684493. The first Kafka answer read more than 5 s later comes
  // after …689493; from then on its offsets (1811102 / 1811103) cannot be the new topic's (log end ~60 000).
  const answers = recreated({ gap: false });
  const dropped = new Set(answers.filter((a, i) => a.endpoint === 'kafka:offsets' && i <= LAST_OLD));
  const keep = (a: EndpointAnswer) => !dropped.has(a);
  const settled = answers.findIndex((a, i) => i > BATCH_2 && a.endpoint === 'kafka:offsets' && a.t > 1795890684493 + 5000);

  it('sees no reset (it never saw the old topic)', () => {
    const { model } = modelFromAnswers(answers, { at: settled, keep });
    assert.equal(model.kafka.reset, null);
  });

  it('does not take the old commit\'s offsets for the new topic once a Kafka answer read 5 s after it shows a lower log end', () => {
    const d = derivedAt(answers, settled, keep);
    assert.deepEqual(d.partitions.rows.map((r) => [r.partition, r.sparkOffset, r.lag, r.status]), [
      [0, null, null, 'UNKNOWN'],
      [1, null, null, 'UNKNOWN'],
      [2, null, null, 'UNKNOWN'],
    ]);
    assert.deepEqual(table(derivedAt(answers, END, keep)).map((r) => r[3]), [138672, 138671, 138672], 'batch 3 is the new topic\'s');
  });
});

describe('topic recreated with fewer partitions (3 → 2)', () => {
  // The recreated Kafka answers of lines 369 (without partition 2) and 374, then line 381's as a 2-partition topic
  // whose offsets went on growing: a partition disappearing is a recreation too.
  const answers = recreated({ gap: false });
  const sample = (i: number): KafkaSample => {
    const body = answers[i]!.body as KafkaBody;
    return { topic: body.topic, partitions: body.offsets.map((o) => ({ partition: o.partition, logEndOffset: Number(o.high), logStartOffset: Number(o.low) })), group: null };
  };

  it('starts a new incarnation when a partition is gone, and not when partitions are added', () => {
    const state = createKafkaState(100, 'logs');
    const three = sample(FIRST_NEW);
    const twoOf = (s: KafkaSample): KafkaSample => ({ ...s, partitions: s.partitions.filter((p) => p.partition !== 2) });
    applyKafkaSample(state, answers[FIRST_NEW]!.t, twoOf(three));
    applyKafkaSample(state, answers[373]!.t, sample(373));
    assert.equal(state.reset, null, 'a partition added (2 → 3) with offsets going on is the same topic');
    applyKafkaSample(state, answers[380]!.t, twoOf(sample(380)));
    assert.deepEqual(state.reset, { t: answers[380]!.t, partitionsBefore: 3, partitionsAfter: 2, partition: 2, from: 9994, to: null });
    assert.equal(state.epoch, 1);
    assert.deepEqual(state.history.newest()!.layout.ids, [0, 1]);
  });
});

describe('the Kafka reader\'s reason when the topic is missing', () => {
  // kafkajs is CommonJS and spreads its error classes into its exports: Node cannot name them statically.
  const { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;
  // What kafkajs throws from fetchTopicOffsets for a deleted topic: the broker's
  // UNKNOWN_TOPIC_OR_PARTITION, wrapped when the retries (0 in the reader) run out.
  const protocol = new KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' } as unknown as Error);

  it('names the topic', () => {
    assert.equal(describeKafkaError(new KafkaJSNumberOfRetriesExceeded(protocol, { retryCount: 0, retryTime: 300 }), 'logs'), 'topic logs does not exist');
    assert.equal(describeKafkaError(protocol, 'logs'), 'topic logs does not exist');
  });

  it('says connection refused for a broker that is down, and passes other messages on', () => {
    assert.equal(describeKafkaError(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9094'), 'logs'), 'connection refused');
    assert.equal(describeKafkaError(new Error('no answer within 2 s'), 'logs'), 'no answer within 2 s');
  });
});
