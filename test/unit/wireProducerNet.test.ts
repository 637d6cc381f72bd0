/**
 * The wire producer's connection and producer against fake brokers on 127.0.0.1 (node:net servers
 * in this process that read Produce requests and answer by hand; no Kafka). The records a fake
 * broker receives are decoded with kafkajs's RecordBatch decoder.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { BrokerConnection } from '../../src/generator/wire/connection.js';
import { KafkaConnectionError } from '../../src/generator/wire/errors.js';
import { WireProducer, type BrokerAddress, type WireProducerOptions } from '../../src/generator/wire/producer.js';

const require = createRequire(import.meta.url);
const KjsDecoder = require('kafkajs/src/protocol/decoder');
const kjsRecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder');
const kjsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

interface Frame {
  correlationId: number;
  /** The request after its size prefix. */
  bytes: Buffer;
}

interface ProducePartition {
  partition: number;
  values: string[];
  timestamps: string[];
}

interface ProduceRequestSeen {
  correlationId: number;
  apiKey: number;
  apiVersion: number;
  clientId: string | null;
  acks: number;
  timeoutMs: number;
  topic: string;
  partitions: ProducePartition[];
}

async function parseProduce(bytes: Buffer): Promise<ProduceRequestSeen> {
  let p = 0;
  const i16 = () => ((p += 2), bytes.readInt16BE(p - 2));
  const i32 = () => ((p += 4), bytes.readInt32BE(p - 4));
  const str = () => {
    const n = i16();
    if (n < 0) return null;
    p += n;
    return bytes.toString('utf8', p - n, p);
  };
  const apiKey = i16();
  const apiVersion = i16();
  const correlationId = i32();
  const clientId = str();
  assert.equal(str(), null, 'transactional id');
  const acks = i16();
  const timeoutMs = i32();
  assert.equal(i32(), 1, 'one topic');
  const topic = str()!;
  const partitions: ProducePartition[] = [];
  for (let n = i32(); n > 0; n--) {
    const partition = i32();
    const size = i32();
    const batch = bytes.subarray(p, p + size);
    p += size;
    assert.equal(batch.readUInt32BE(17), kjsCrc32C(batch.subarray(21)), 'CRC');
    const decoded = await kjsRecordBatchDecoder(new KjsDecoder(batch));
    partitions.push({
      partition,
      values: decoded.records.map((r: { value: Buffer }) => r.value.toString()),
      timestamps: decoded.records.map((r: { timestamp: string }) => r.timestamp),
    });
  }
  assert.equal(p, bytes.length, 'request fully read');
  return { correlationId, apiKey, apiVersion, clientId, acks, timeoutMs, topic, partitions };
}

/** A Produce v7 response body (after the correlation id). */
function produceResponse(topic: string, results: { partition: number; errorCode?: number; baseOffset?: bigint }[], throttleMs = 0): Buffer {
  const parts: Buffer[] = [];
  const i32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  i32(1);
  const name = Buffer.from(topic);
  parts.push(Buffer.from([name.length >> 8, name.length & 0xff]), name);
  i32(results.length);
  for (const r of results) {
    const b = Buffer.alloc(4 + 2 + 24);
    b.writeInt32BE(r.partition, 0);
    b.writeInt16BE(r.errorCode ?? 0, 4);
    b.writeBigInt64BE(r.baseOffset ?? -1n, 6);
    b.writeBigInt64BE(-1n, 14);
    b.writeBigInt64BE(0n, 22);
    parts.push(b);
  }
  i32(throttleMs);
  return Buffer.concat(parts);
}

function frameOf(correlationId: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  return Buffer.concat([head, body]);
}

interface FakeBroker extends BrokerAddress {
  frames: Frame[];
  sockets: net.Socket[];
  close(): Promise<void>;
}

const brokers: FakeBroker[] = [];
after(async () => {
  await Promise.all(brokers.map((b) => b.close()));
});

/** A server that frames requests and hands each to `onRequest`. */
async function fakeBroker(onRequest: (frame: Frame, socket: net.Socket, broker: FakeBroker) => void): Promise<FakeBroker> {
  const server = net.createServer();
  const broker: FakeBroker = {
    host: '127.0.0.1',
    port: 0,
    frames: [],
    sockets: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of broker.sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    broker.sockets.push(socket);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const bytes = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + bytes.length);
        const frame = { correlationId: bytes.readInt32BE(4), bytes };
        broker.frames.push(frame);
        onRequest(frame, socket, broker);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  broker.port = (server.address() as net.AddressInfo).port;
  brokers.push(broker);
  return broker;
}

/** A request whose payload is just `tag` (the connection does not look inside). */
function request(correlationId: number, tag: string): Buffer {
  const t = Buffer.from(tag);
  const b = Buffer.alloc(4 + 8 + t.length);
  b.writeInt32BE(8 + t.length, 0);
  b.writeInt32BE(correlationId, 8);
  t.copy(b, 12);
  return b;
}
const tagOf = (f: Frame) => f.bytes.toString('utf8', 8);

async function waitFor(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('wire producer: broker connection', { timeout: 20_000 }, () => {
  it('pipelines requests and matches answers that come in another order', async () => {
    const b = await fakeBroker((_f, socket, broker) => {
      if (broker.frames.length < 3) return;
      for (const f of [...broker.frames].reverse()) socket.write(frameOf(f.correlationId, Buffer.from(`answer to ${tagOf(f)}`)));
    });
    const c = await BrokerConnection.connect({ host: b.host, port: b.port });
    const answers = await Promise.all([c.send(request(1, 'a'), 1), c.send(request(2, 'b'), 2), c.send(request(3, 'c'), 3)]);
    assert.deepEqual(answers.map(String), ['answer to a', 'answer to b', 'answer to c']);
    c.close();
  });

  it('keeps at most maxInFlight requests unanswered; the next is written when one is answered', async () => {
    const b = await fakeBroker(() => undefined);
    const c = await BrokerConnection.connect({ host: b.host, port: b.port, maxInFlight: 2 });
    const ps = [1, 2, 3, 4].map((id) => c.send(request(id, `r${id}`), id));
    await waitFor(() => b.frames.length === 2, '2 requests');
    await sleep(50);
    assert.equal(b.frames.length, 2);
    assert.equal(c.pendingCount, 4);
    b.sockets[0]!.write(frameOf(2, Buffer.from('two')));
    assert.equal(String(await ps[1]), 'two');
    await waitFor(() => b.frames.length === 3, 'the third request');
    assert.deepEqual(b.frames.map(tagOf), ['r1', 'r2', 'r3']);
    for (const id of [1, 3]) b.sockets[0]!.write(frameOf(id, Buffer.from(`#${id}`)));
    await waitFor(() => b.frames.length === 4, 'the fourth request');
    b.sockets[0]!.write(frameOf(4, Buffer.from('#4')));
    assert.deepEqual((await Promise.all(ps)).map(String), ['#1', 'two', '#3', '#4']);
    c.close();
  });

  it('frames answers split anywhere and several answers in one chunk', async () => {
    const b = await fakeBroker(async (_f, socket, broker) => {
      if (broker.frames.length < 4) return;
      const all = Buffer.concat([
        frameOf(1, Buffer.from('first answer')),
        frameOf(2, Buffer.alloc(0)),
        frameOf(3, Buffer.alloc(70_000, 'x')),
        frameOf(4, Buffer.from('last')),
      ]);
      // cuts inside a size prefix, inside a correlation id, inside a body, and after whole frames
      const cuts = [0, 2, 3, 6, 10, 30, 50, 70_040, all.length - 5, all.length];
      for (let i = 1; i < cuts.length; i++) {
        socket.write(all.subarray(cuts[i - 1], cuts[i]));
        await sleep(15);
      }
    });
    const c = await BrokerConnection.connect({ host: b.host, port: b.port });
    const answers = await Promise.all([1, 2, 3, 4].map((id) => c.send(request(id, `r${id}`), id)));
    assert.equal(String(answers[0]), 'first answer');
    assert.equal(answers[1]!.length, 0);
    assert.deepEqual(answers[2], Buffer.alloc(70_000, 'x'));
    assert.equal(String(answers[3]), 'last');
    c.close();
  });

  it('fails every pending request with a clear error when the broker closes the connection', async () => {
    const b = await fakeBroker((_f, socket, broker) => {
      if (broker.frames.length === 3) socket.end();
    });
    const c = await BrokerConnection.connect({ host: b.host, port: b.port });
    const results = await Promise.allSettled([1, 2, 3].map((id) => c.send(request(id, 'x'), id)));
    const expected = `Kafka broker 127.0.0.1:${b.port}: connection closed (3 requests pending)`;
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok(r.reason instanceof KafkaConnectionError);
      assert.equal(r.reason.message, expected);
    }
    assert.equal(c.isOpen, false);
    await assert.rejects(c.send(request(4, 'y'), 4), /connection closed/);
  });

  it('rejects a request not answered within the deadline and closes the connection', async () => {
    const b = await fakeBroker(() => undefined);
    let closed = 0;
    const c = await BrokerConnection.connect({ host: b.host, port: b.port, requestTimeoutMs: 150, onClose: () => closed++ });
    const t0 = Date.now();
    const first = c.send(request(1, 'x'), 1);
    await sleep(60);
    const second = c.send(request(2, 'y'), 2);
    await assert.rejects(first, /Kafka broker 127\.0\.0\.1:\d+: no answer within 150 ms \(correlation id 1\)/);
    assert.ok(Date.now() - t0 < 1000);
    await assert.rejects(second, /connection closed after a request timed out \(1 request pending\)/);
    assert.equal(closed, 1);
  });

  it('resolves a request that expects no answer (acks 0) once written', async () => {
    const b = await fakeBroker(() => undefined);
    const c = await BrokerConnection.connect({ host: b.host, port: b.port });
    assert.equal((await c.send(request(9, 'fire and forget'), 9, false)).length, 0);
    await waitFor(() => b.frames.length === 1, 'the request');
    assert.equal(c.pendingCount, 0);
    c.close();
  });

  it('rejects a connection refused, and a connect that takes longer than its timeout', async () => {
    const b = await fakeBroker(() => undefined);
    const port = b.port;
    await b.close();
    await assert.rejects(BrokerConnection.connect({ host: '127.0.0.1', port }), new RegExp(`^KafkaConnectionError: Kafka broker 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
    const t0 = Date.now();
    await assert.rejects(
      BrokerConnection.connect({ host: 'broker.invalid', port: 9092, connectTimeoutMs: 100, lookup: () => undefined }),
      /^KafkaConnectionError: Kafka broker broker\.invalid:9092: connect timed out after 100 ms$/,
    );
    assert.ok(Date.now() - t0 < 1000);
  });

  it('closes on a size prefix that cannot be a response', async () => {
    const b = await fakeBroker((_f, socket) => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 1])));
    const c = await BrokerConnection.connect({ host: b.host, port: b.port });
    await assert.rejects(c.send(request(1, 'x'), 1), /response size -2 out of range \(1 request pending\)/);
  });

  it('closes on an answer with a correlation id it did not send', async () => {
    const b = await fakeBroker((f, socket) => socket.write(frameOf(f.correlationId + 100, Buffer.alloc(0))));
    const c = await BrokerConnection.connect({ host: b.host, port: b.port });
    await assert.rejects(c.send(request(1, 'x'), 1), /response with unexpected correlation id 101 \(1 request pending\)/);
  });
});

/** Answers each Produce with `answer(partition, attempt on this broker)`: an error code, or 0 with offsets counting up. */
async function produceBroker(answer: (partition: number, n: number) => number = () => 0): Promise<FakeBroker & { seen: ProduceRequestSeen[] }> {
  const seen: ProduceRequestSeen[] = [];
  let next = 0n;
  const counts = new Map<number, number>();
  let inOrder = Promise.resolve(); // the decoder is async: keep requests in arrival order
  const b = await fakeBroker((f, socket) => {
    inOrder = inOrder.then(() => parseProduce(f.bytes)).then((req) => {
      seen.push(req);
      if (req.acks === 0) return;
      const results = req.partitions.map((p) => {
        const n = (counts.get(p.partition) ?? 0) + 1;
        counts.set(p.partition, n);
        const errorCode = answer(p.partition, n);
        const baseOffset = errorCode === 0 ? next : -1n;
        if (errorCode === 0) next += BigInt(p.values.length);
        return { partition: p.partition, errorCode, baseOffset };
      });
      socket.write(frameOf(f.correlationId, produceResponse(req.topic, results)));
    }, (err: Error) => {
      console.error(`fake broker: bad request: ${err.stack}`);
      socket.destroy();
    });
  });
  return Object.assign(b, { seen });
}

function producer(leaders: Map<number, BrokerAddress>, more: Partial<WireProducerOptions> = {}) {
  const calls = { refresh: 0 };
  const p = new WireProducer({
    topic: 'logs',
    leaders: () => leaders,
    refreshLeaders: async () => {
      calls.refresh++;
    },
    retryBackoffMs: 10,
    ...more,
  });
  return { p, calls };
}

describe('wire producer: WireProducer', { timeout: 20_000 }, () => {
  it('sends records that a Kafka decoder reads back, and resolves with the base offset', async () => {
    const b = await produceBroker();
    const { p } = producer(new Map([[0, b]]), { clientId: 'gen-test', ackTimeoutMs: 1234 });
    await p.connect();
    const values = Array.from({ length: 500 }, (_, i) => `{"n":${i},"text":"grüße ${i}"}`);
    assert.deepEqual(await p.send(0, values, 1_700_000_000_000), { partition: 0, baseOffset: 0n });
    assert.deepEqual(await p.send(0, ['again'], 1_700_000_000_001), { partition: 0, baseOffset: 500n });
    const req = b.seen[0]!;
    assert.deepEqual(
      { apiKey: req.apiKey, apiVersion: req.apiVersion, clientId: req.clientId, acks: req.acks, timeoutMs: req.timeoutMs, topic: req.topic },
      { apiKey: 0, apiVersion: 7, clientId: 'gen-test', acks: -1, timeoutMs: 1234, topic: 'logs' },
    );
    assert.deepEqual(req.partitions[0]!.values, values);
    assert.ok(req.partitions[0]!.timestamps.every((t) => t === '1700000000000'));
    await p.close();
  });

  it('puts the batches of one call for the same broker into one request, a partition at most once', async () => {
    const a = await produceBroker();
    const b = await produceBroker();
    const { p } = producer(new Map([[0, a], [1, b], [2, a]]));
    const results = await Promise.all(
      p.sendBatches([
        { partition: 0, values: ['a0'], timestamp: 1 },
        { partition: 1, values: ['b1'], timestamp: 1 },
        { partition: 2, values: ['a2', 'a2'], timestamp: 1 },
        { partition: 0, values: ['a0 again'], timestamp: 2 },
      ]),
    );
    assert.deepEqual(results.map((r) => r.partition), [0, 1, 2, 0]);
    assert.deepEqual(a.seen.map((r) => r.partitions.map((x) => [x.partition, x.values])), [
      [[0, ['a0']], [2, ['a2', 'a2']]],
      [[0, ['a0 again']]],
    ]);
    assert.deepEqual(b.seen.map((r) => r.partitions.map((x) => x.partition)), [[1]]);
    await p.close();
  });

  it('on NOT_LEADER_OR_FOLLOWER refreshes the leaders and sends to the new leader', async () => {
    const old = await produceBroker(() => 6);
    const now = await produceBroker();
    const leaders = new Map<number, BrokerAddress>([[0, old], [1, now]]);
    const p = new WireProducer({
      topic: 'logs',
      leaders: () => leaders,
      refreshLeaders: async () => {
        leaders.set(0, now);
      },
      retryBackoffMs: 10,
    });
    const [r0, r1] = p.sendBatches([
      { partition: 0, values: ['moved'], timestamp: 1 },
      { partition: 1, values: ['stays'], timestamp: 1 },
    ]);
    assert.deepEqual(await r1, { partition: 1, baseOffset: 0n });
    assert.deepEqual(await r0, { partition: 0, baseOffset: 1n });
    assert.equal(old.seen.length, 1);
    assert.deepEqual(now.seen.map((r) => r.partitions[0]!.values), [['stays'], ['moved']]);
    await p.close();
  });

  it('retries a retriable error up to `retries` times, then rejects naming the error', async () => {
    const b = await produceBroker(() => 19);
    const { p, calls } = producer(new Map([[0, b]]), { retries: 2 });
    await assert.rejects(p.send(0, ['x'], 1), /^Error: Kafka error NOT_ENOUGH_REPLICAS \(19\) producing to logs partition 0 \(gave up after 3 attempts\)$/);
    assert.equal(b.seen.length, 3);
    assert.equal(calls.refresh, 2);
    await p.close();
  });

  it('rejects a non-retriable error at once, with its name', async () => {
    const b = await produceBroker(() => 10);
    const { p, calls } = producer(new Map([[0, b]]));
    await assert.rejects(p.send(0, ['too big'], 1), /^KafkaProtocolError: Kafka error MESSAGE_TOO_LARGE \(10\) producing to logs partition 0$/);
    assert.equal(b.seen.length, 1);
    assert.equal(calls.refresh, 0);
    await p.close();
  });

  it('retries on a new connection when the broker drops one', async () => {
    let dropped = false;
    const b = await fakeBroker((f, socket) => {
      if (!dropped) {
        dropped = true;
        socket.destroy();
        return;
      }
      void parseProduce(f.bytes).then((req) => socket.write(frameOf(f.correlationId, produceResponse('logs', [{ partition: req.partitions[0]!.partition, baseOffset: 77n }]))));
    });
    const { p } = producer(new Map([[3, b]]));
    assert.deepEqual(await p.send(3, ['x', 'y'], 1), { partition: 3, baseOffset: 77n });
    assert.equal(b.sockets.length, 2);
    await p.close();
  });

  it('a partition without a known leader is retried after a refresh, then fails', async () => {
    const { p, calls } = producer(new Map(), { retries: 1 });
    await assert.rejects(p.send(4, ['x'], 1), /^Error: no leader known for logs partition 4 \(gave up after 2 attempts\)$/);
    assert.equal(calls.refresh, 1);
    await assert.rejects(p.connect(), /no partition leaders known for topic logs/);
  });

  it('with acks 0 resolves once written, without an offset', async () => {
    const b = await produceBroker();
    const { p } = producer(new Map([[0, b]]), { acks: 0 });
    assert.deepEqual(await p.send(0, ['fire'], 1), { partition: 0, baseOffset: -1n });
    await waitFor(() => b.seen.length === 1, 'the request');
    assert.equal(b.seen[0]!.acks, 0);
    await p.close();
  });

  it('with gzip sends batches that a Kafka decoder decompresses', async () => {
    const b = await produceBroker();
    const { p } = producer(new Map([[0, b]]), { compression: 'gzip' });
    const values = Array.from({ length: 300 }, (_, i) => `gzip me ${i} 🚀`);
    await p.send(0, values, 5);
    assert.deepEqual(b.seen[0]!.partitions[0]!.values, values);
    await p.close();
  });

  it('after close, sends reject', async () => {
    const b = await produceBroker();
    const { p } = producer(new Map([[0, b]]));
    await p.connect();
    await p.close();
    await assert.rejects(p.send(0, ['late'], 1), /the producer is closed/);
  });
});
