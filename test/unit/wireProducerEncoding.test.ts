/**
 * The wire producer's encoding against kafkajs's own (the bytes kafkajs sends today): CRC-32C,
 * RecordBatch (magic 2) and the Produce v7 request; the v7 response decoder on hand-made bytes.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { crc32c } from '../../src/generator/wire/crc32c.js';
import { MalformedResponseError, decodeProduceResponse, encodeProduceRequest, type Acks } from '../../src/generator/wire/produceRequest.js';
import { writeRecordBatch, type Compression, type RecordValue } from '../../src/generator/wire/recordBatch.js';
import { Writer } from '../../src/generator/wire/writer.js';

const require = createRequire(import.meta.url);
const kjsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
const { RecordBatch: kjsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const kjsRecord = require('kafkajs/src/protocol/recordBatch/record/v0');
const kjsRequest = require('kafkajs/src/protocol/request');
const kjsProduceV7 = require('kafkajs/src/protocol/requests/produce/v7/request');
const kjsProduceV7Response = require('kafkajs/src/protocol/requests/produce/v7/response');
const { Types: KjsCompression } = require('kafkajs/src/protocol/message/compression');

/** Deterministic bytes (mulberry32). */
function randomBytes(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

const kjsCompression = (c: Compression) => (c === 'gzip' ? KjsCompression.GZIP : KjsCompression.None);

/** The batch kafkajs's Produce v3+ builds for messages that all carry `timestamp`, with epoch and sequence -1. */
async function kafkajsBatch(values: readonly RecordValue[], timestamp: number, compression: Compression): Promise<Buffer> {
  const records = values.map((value, i) => kjsRecord({ offsetDelta: i, timestampDelta: 0, value }));
  const enc = await kjsRecordBatch({
    compression: kjsCompression(compression),
    records,
    firstTimestamp: timestamp,
    maxTimestamp: timestamp,
    producerEpoch: -1,
    firstSequence: -1,
    lastOffsetDelta: records.length - 1,
  });
  return enc.buffer as Buffer;
}

function ourBatch(values: readonly RecordValue[], timestamp: number, compression: Compression = 'none', w = new Writer()): Buffer {
  writeRecordBatch(w, values, timestamp, compression);
  return w.take();
}

const ascii154 = (i: number) => `{"timestamp":1700000000000,"status":"200","severity":"Low","source_ip":"10.0.${i % 256}.7","user_id":"user_${i}","content":"GET /index.html ok ${String(i).padStart(8, '0')}"}`.padEnd(154, ' ');

const CASES: { name: string; values: RecordValue[] }[] = [
  { name: 'one empty string', values: [''] },
  { name: 'one 154-byte JSON record', values: [ascii154(1)] },
  { name: '63 / 64 / 65 records (offset delta varint grows)', values: Array.from({ length: 65 }, (_, i) => ascii154(i)) },
  { name: '500 records of 154 bytes', values: Array.from({ length: 500 }, (_, i) => ascii154(i)) },
  { name: '8200 short records (3-byte offset deltas)', values: Array.from({ length: 8200 }, (_, i) => `r${i}`) },
  { name: 'lengths around the varint steps', values: [31, 32, 58, 59, 60, 61, 62, 63, 64, 65, 127, 128, 8191, 8192, 8193].map((n) => 'x'.repeat(n)) },
  {
    name: 'unicode (2-, 3-, 4-byte UTF-8, lone surrogate)',
    values: ['é', 'Grüße aus Köln', '日本語のログ行', '🚀🔥 emoji', 'lone \ud800 surrogate', 'ä'.repeat(40), '€'.repeat(21), '語'.repeat(3000)],
  },
  { name: 'unicode whose UTF-8 length moves the length varints', values: ['é'.repeat(32), 'é'.repeat(60), '€'.repeat(43), '🚀'.repeat(16), '語'.repeat(2731)] },
  { name: 'buffers', values: [Buffer.alloc(0), randomBytes(1, 1), randomBytes(154, 2), randomBytes(64, 3), randomBytes(100_000, 4)] },
  { name: 'buffers and strings mixed', values: [randomBytes(10, 5), 'text', Buffer.from('€uro'), 'ü'] },
];
const TIMESTAMPS = [1, 1_700_000_000_123, 2 ** 32, 2 ** 32 - 1, 2 ** 41 + 12345, Number.MAX_SAFE_INTEGER];

describe('wire producer: CRC-32C', () => {
  it('has the standard check value', () => {
    assert.equal(crc32c(Buffer.from('123456789', 'ascii')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
  });

  it("matches kafkajs's CRC-32C on random buffers of many sizes and on ranges", () => {
    for (let n = 0; n <= 300; n++) {
      const b = randomBytes(n, n + 1);
      assert.equal(crc32c(b), kjsCrc32C(b), `size ${n}`);
    }
    for (const n of [1023, 1024, 4097, 65_537, 1_000_003]) {
      const b = randomBytes(n, n);
      assert.equal(crc32c(b), kjsCrc32C(b), `size ${n}`);
    }
    const big = randomBytes(4000, 7);
    for (let offset = 0; offset < 8; offset++) {
      const view = new Uint8Array(big.buffer, big.byteOffset + offset, 3000); // every alignment of the word loads
      for (const n of [0, 3, 15, 16, 17, 33, 3000]) assert.equal(crc32c(view, 0, n), kjsCrc32C(Buffer.from(view.subarray(0, n))), `offset ${offset}, ${n} bytes`);
    }
    const b = randomBytes(5000, 99);
    for (const [s, e] of [[0, 1], [1, 9], [3, 4000], [21, 5000], [4999, 5000], [7, 7]] as const) {
      assert.equal(crc32c(b, s, e), kjsCrc32C(b.subarray(s, e)), `range ${s}..${e}`);
    }
  });
});

describe('wire producer: RecordBatch', () => {
  for (const c of CASES) {
    it(`is byte-identical to kafkajs's: ${c.name}`, async () => {
      for (const ts of TIMESTAMPS) {
        assert.deepEqual(ourBatch(c.values, ts), await kafkajsBatch(c.values, ts, 'none'), `timestamp ${ts}`);
      }
    });
  }

  it('is the same when the writer has to move to a new slab mid-batch, and earlier batches stay intact', async () => {
    const w = new Writer(64); // smaller than one batch header
    const values = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'ö'.repeat(i % 70) : ascii154(i)));
    const taken: Buffer[] = [];
    for (let k = 0; k < 5; k++) taken.push(ourBatch(values.slice(k * 10), 1_700_000_000_000 + k, 'none', w));
    for (let k = 0; k < 5; k++) {
      assert.deepEqual(taken[k], await kafkajsBatch(values.slice(k * 10), 1_700_000_000_000 + k, 'none'), `batch ${k}`);
    }
  });

  it('with gzip: the same header and, decompressed, the same records as kafkajs; a valid CRC', async () => {
    for (const c of CASES) {
      const ts = 1_700_000_000_123;
      const ours = ourBatch(c.values, ts, 'gzip');
      const theirs = await kafkajsBatch(c.values, ts, 'gzip');
      assert.equal(ours.readInt16BE(21) & 7, 1, 'attributes: gzip');
      assert.deepEqual(ours.subarray(12, 17), theirs.subarray(12, 17), `${c.name}: epoch, magic`);
      assert.deepEqual(ours.subarray(21, 61), theirs.subarray(21, 61), `${c.name}: attributes .. record count`);
      assert.deepEqual(gunzipSync(ours.subarray(61)), gunzipSync(theirs.subarray(61)), `${c.name}: records`);
      assert.equal(ours.readInt32BE(8), ours.length - 12, `${c.name}: batch length`);
      assert.equal(ours.readUInt32BE(17), kjsCrc32C(ours.subarray(21)), `${c.name}: CRC`);
    }
  });

  it('writes producer id, epoch and base sequence -1, and both timestamps', () => {
    const b = ourBatch(['a', 'b'], 1_700_000_000_123);
    assert.equal(b.readBigInt64BE(0), 0n);
    assert.equal(b.readInt8(16), 2);
    assert.equal(b.readInt32BE(23), 1);
    assert.equal(b.readBigInt64BE(27), 1_700_000_000_123n);
    assert.equal(b.readBigInt64BE(35), 1_700_000_000_123n);
    assert.equal(b.readBigInt64BE(43), -1n);
    assert.equal(b.readInt16BE(51), -1);
    assert.equal(b.readInt32BE(53), -1);
    assert.equal(b.readInt32BE(57), 2);
  });
});

interface RequestCase {
  name: string;
  correlationId: number;
  clientId: string | null;
  acks: Acks;
  timeoutMs: number;
  compression: Compression;
  topics: { topic: string; partitions: { partition: number; values: RecordValue[]; timestamp: number }[] }[];
}

async function kafkajsRequest(r: RequestCase): Promise<Buffer> {
  const request = kjsProduceV7({
    acks: r.acks,
    timeout: r.timeoutMs,
    compression: kjsCompression(r.compression),
    producerEpoch: -1,
    topicData: r.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        firstSequence: -1,
        messages: p.values.map((value) => ({ value, timestamp: p.timestamp })),
      })),
    })),
  });
  const enc = await kjsRequest({ correlationId: r.correlationId, clientId: r.clientId, request });
  return enc.buffer as Buffer;
}

const REQUESTS: RequestCase[] = [
  {
    name: 'one partition, acks -1',
    correlationId: 1,
    clientId: 'sparktop-gen',
    acks: -1,
    timeoutMs: 30_000,
    compression: 'none',
    topics: [{ topic: 'logs', partitions: [{ partition: 0, values: Array.from({ length: 500 }, (_, i) => ascii154(i)), timestamp: 1_700_000_000_000 }] }],
  },
  {
    name: 'several partitions and topics, acks 1, unicode client id',
    correlationId: 0x7fffffff,
    clientId: 'générateur',
    acks: 1,
    timeoutMs: 1500,
    compression: 'none',
    topics: [
      {
        topic: 'logs',
        partitions: [
          { partition: 3, values: ['a', 'é', '🚀'], timestamp: 1_700_000_000_001 },
          { partition: 0, values: [randomBytes(300, 7)], timestamp: 1_700_000_000_002 },
        ],
      },
      { topic: 'other-topic', partitions: [{ partition: 11, values: Array.from({ length: 70 }, (_, i) => `v${i}`), timestamp: 2 ** 40 }] },
    ],
  },
  {
    name: 'acks 0, null client id',
    correlationId: 42,
    clientId: null,
    acks: 0,
    timeoutMs: 0,
    compression: 'none',
    topics: [{ topic: 't', partitions: [{ partition: 1, values: ['x'], timestamp: 5 }] }],
  },
];

describe('wire producer: Produce v7 request', () => {
  for (const r of REQUESTS) {
    it(`is byte-identical to kafkajs's: ${r.name}`, async () => {
      assert.deepEqual(encodeProduceRequest(new Writer(), r), await kafkajsRequest(r));
    });
  }

  it('is byte-identical when encoded one after another into a small writer', async () => {
    const w = new Writer(128);
    const ours = REQUESTS.map((r) => encodeProduceRequest(w, r));
    for (let i = 0; i < REQUESTS.length; i++) assert.deepEqual(ours[i], await kafkajsRequest(REQUESTS[i]!), REQUESTS[i]!.name);
  });

  it('with gzip: the same request around the batch, whose records decompress to the same bytes', async () => {
    const r: RequestCase = { ...REQUESTS[0]!, compression: 'gzip' };
    const ours = encodeProduceRequest(new Writer(), r);
    const theirs = await kafkajsRequest(r);
    // size | header | ... | partition | record set size | batch: the batch starts after the topic's partition fields
    const batchAt = 4 + 2 + 2 + 4 + 2 + 'sparktop-gen'.length + 2 + 2 + 4 + 4 + 2 + 'logs'.length + 4 + 4 + 4;
    assert.equal(ours.readInt32BE(0), ours.length - 4);
    assert.deepEqual(ours.subarray(4, batchAt - 4), theirs.subarray(4, batchAt - 4));
    assert.equal(ours.readInt32BE(batchAt - 4), ours.length - batchAt);
    assert.deepEqual(ours.subarray(batchAt + 21, batchAt + 61), theirs.subarray(batchAt + 21, batchAt + 61));
    assert.deepEqual(gunzipSync(ours.subarray(batchAt + 61)), gunzipSync(theirs.subarray(batchAt + 61)));
  });
});

describe('wire producer: Produce v7 response', () => {
  // Field order as in kafkajs's requests/produce/v7/response.js (v5's decoder):
  // [topic STRING [partition INT32, error_code INT16, base_offset INT64, log_append_time INT64,
  //  log_start_offset INT64]] throttle_time_ms INT32
  const body = Buffer.concat([
    Buffer.from([0, 0, 0, 2]), // 2 topics
    Buffer.from([0, 4]), Buffer.from('logs'),
    Buffer.from([0, 0, 0, 2]), // 2 partitions
    Buffer.from([0, 0, 0, 0]), Buffer.from([0, 0]), Buffer.from([0, 0, 0, 0, 0, 0, 0x30, 0x39]), // p0: ok, base offset 12345
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]), // log append time -1, log start 7
    Buffer.from([0, 0, 0, 1]), Buffer.from([0, 6]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // p1: NOT_LEADER_OR_FOLLOWER, -1
    Buffer.from([0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]), // log append time 1700000000000
    Buffer.from([0, 1]), Buffer.from('x'),
    Buffer.from([0, 0, 0, 1]),
    Buffer.from([0, 0, 0, 9]), Buffer.from([0, 0]), Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]),
    Buffer.from([0, 0, 0x01, 0xf4]), // throttle 500 ms
  ]);

  it('decodes every partition result and the throttle time', () => {
    assert.deepEqual(decodeProduceResponse(body), {
      topics: [
        {
          topic: 'logs',
          partitions: [
            { partition: 0, errorCode: 0, baseOffset: 12345n, logAppendTime: -1n, logStartOffset: 7n },
            { partition: 1, errorCode: 6, baseOffset: -1n, logAppendTime: 1_700_000_000_000n, logStartOffset: 0n },
          ],
        },
        { topic: 'x', partitions: [{ partition: 9, errorCode: 0, baseOffset: 2n ** 63n - 1n, logAppendTime: 0n, logStartOffset: 0n }] },
      ],
      throttleTimeMs: 500,
    });
  });

  it("agrees with kafkajs's v7 response decoder", async () => {
    const theirs = await kjsProduceV7Response.decode(body);
    const ours = decodeProduceResponse(body);
    assert.equal(ours.throttleTimeMs, theirs.clientSideThrottleTime);
    assert.deepEqual(
      ours.topics.map((t) => ({ topicName: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: p.errorCode, baseOffset: String(p.baseOffset), logAppendTime: String(p.logAppendTime), logStartOffset: String(p.logStartOffset) })) })),
      theirs.topics,
    );
  });

  it('rejects a truncated response', () => {
    for (const n of [0, 3, 10, body.length - 1]) {
      assert.throws(() => decodeProduceResponse(body.subarray(0, n)), MalformedResponseError, `${n} bytes`);
    }
  });
});
