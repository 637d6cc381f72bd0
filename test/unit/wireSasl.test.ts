/**
 * SASL/PLAIN in the wire producer: SaslHandshake v1 and SaslAuthenticate v1 requests against their
 * byte layout, their responses decoded from hand-made bytes, and a WireProducer authenticating
 * with a fake SASL_PLAINTEXT broker on 127.0.0.1 (a node:net server in this process; no Kafka).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { KafkaConnectionError, SaslAuthenticationError, isRetriable } from '../../src/generator/wire/errors.js';
import { MalformedResponseError } from '../../src/generator/wire/produceRequest.js';
import { WireProducer, type BrokerAddress, type WireProducerOptions } from '../../src/generator/wire/producer.js';
import {
  decodeSaslAuthenticateResponse,
  decodeSaslHandshakeResponse,
  encodeSaslAuthenticateRequest,
  encodeSaslHandshakeRequest,
  plainToken,
} from '../../src/generator/wire/sasl.js';

const ascii = (s: string) => [...Buffer.from(s, 'ascii')];

describe('wire producer: SASL requests and responses', () => {
  it('encodes SaslHandshake v1: header v1, then the mechanism', () => {
    const expected = Buffer.from([
      ...[0, 0, 0, 25], // size: the 25 bytes below
      ...[0, 17], // apiKey: SaslHandshake
      ...[0, 1], // apiVersion
      ...[0, 0, 0, 7], // correlationId
      ...[0, 8, ...ascii('sparktop')], // clientId STRING
      ...[0, 5, ...ascii('PLAIN')], // mechanism STRING
    ]);
    assert.deepEqual(encodeSaslHandshakeRequest({ correlationId: 7, clientId: 'sparktop', mechanism: 'PLAIN' }), expected);
  });

  it('encodes a null client id as length -1', () => {
    const expected = Buffer.from([
      ...[0, 0, 0, 17], // size
      ...[0, 17, 0, 1], // apiKey, apiVersion
      ...[0x7f, 0xff, 0xff, 0xff], // correlationId 2^31 - 1
      ...[0xff, 0xff], // clientId null
      ...[0, 5, ...ascii('PLAIN')],
    ]);
    assert.deepEqual(encodeSaslHandshakeRequest({ correlationId: 0x7fffffff, clientId: null, mechanism: 'PLAIN' }), expected);
  });

  it('encodes SaslAuthenticate v1: header v1, then the PLAIN token as BYTES', () => {
    // RFC 4616 token: empty authzid, NUL, "jürgen" (7 bytes of UTF-8), NUL, "pw"
    const token = [0, ...ascii('j'), 0xc3, 0xbc, ...ascii('rgen'), 0, ...ascii('pw')];
    assert.equal(token.length, 11);
    const expected = Buffer.from([
      ...[0, 0, 0, 28], // size: 2 + 2 + 4 + (2 + 3) + (4 + 11)
      ...[0, 36], // apiKey: SaslAuthenticate
      ...[0, 1], // apiVersion
      ...[1, 2, 3, 4], // correlationId
      ...[0, 3, ...ascii('gen')], // clientId STRING
      ...[0, 0, 0, 11, ...token], // authBytes BYTES
    ]);
    assert.deepEqual(plainToken('jürgen', 'pw'), Buffer.from(token));
    assert.deepEqual(encodeSaslAuthenticateRequest({ correlationId: 0x01020304, clientId: 'gen', authBytes: plainToken('jürgen', 'pw') }), expected);
  });

  it('decodes a SaslHandshake v1 response: error code and enabled mechanisms', () => {
    const body = Buffer.from([
      ...[0, 33], // errorCode
      ...[0, 0, 0, 2], // 2 mechanisms
      ...[0, 13, ...ascii('SCRAM-SHA-256')],
      ...[0, 13, ...ascii('SCRAM-SHA-512')],
    ]);
    assert.deepEqual(decodeSaslHandshakeResponse(body), { errorCode: 33, mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    assert.deepEqual(decodeSaslHandshakeResponse(Buffer.from([0, 0, 0, 0, 0, 1, 0, 5, ...ascii('PLAIN')])), { errorCode: 0, mechanisms: ['PLAIN'] });
    assert.throws(() => decodeSaslHandshakeResponse(body.subarray(0, body.length - 1)), MalformedResponseError);
  });

  it('decodes a SaslAuthenticate v1 response: error, message, auth bytes and session lifetime', () => {
    const refused = Buffer.from([
      ...[0, 58], // errorCode
      ...[0, 11, ...ascii('bad secret!')], // errorMessage NULLABLE_STRING
      ...[0, 0, 0, 0], // authBytes: empty
      ...[0, 0, 0, 0, 0, 0, 0, 0], // sessionLifetimeMs
    ]);
    assert.deepEqual(decodeSaslAuthenticateResponse(refused), { errorCode: 58, errorMessage: 'bad secret!', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 });
    const accepted = Buffer.from([
      ...[0, 0],
      ...[0xff, 0xff], // errorMessage null
      ...[0, 0, 0, 2, 0xab, 0xcd],
      ...[0, 0, 0, 0, 0, 0x36, 0xee, 0x80], // 3 600 000 ms
    ]);
    assert.deepEqual(decodeSaslAuthenticateResponse(accepted), { errorCode: 0, errorMessage: null, authBytes: Buffer.from([0xab, 0xcd]), sessionLifetimeMs: 3_600_000 });
    assert.throws(() => decodeSaslAuthenticateResponse(accepted.subarray(0, 12)), /SaslAuthenticate v1 response truncated at byte 10 of 12/);
  });

  it('a SaslAuthenticationError is not retriable', () => {
    const err = new SaslAuthenticationError('refused', 58);
    assert.equal(err.retriable, false);
    assert.equal(isRetriable(err), false);
    assert.equal(isRetriable(new KafkaConnectionError('dropped')), true);
  });
});

interface RequestSeen {
  /** Which of the broker's connections (0, 1, …) it came on. */
  connection: number;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** After the request header. */
  body: Buffer;
}

interface SaslBrokerScript {
  /** The SaslHandshake answer, or 'close' to drop the connection instead; default PLAIN accepted. */
  handshake?: { errorCode: number; mechanisms: string[] } | 'close';
  /** The SaslAuthenticate answer for a token; default: accepts alice / s3cr3t. */
  authenticate?: (token: Buffer) => { errorCode: number; errorMessage: string | null };
}

interface SaslBroker extends BrokerAddress {
  seen: RequestSeen[];
  /** Connections the client has closed or the broker has dropped. */
  closedConnections: number;
  close(): Promise<void>;
}

const GOOD_TOKEN = Buffer.from('\0alice\0s3cr3t');

const saslBrokers: SaslBroker[] = [];
after(async () => {
  await Promise.all(saslBrokers.map((b) => b.close()));
});

function frameOf(correlationId: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  return Buffer.concat([head, body]);
}

function int16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

function string(s: string | null): Buffer {
  if (s === null) return int16(-1);
  const b = Buffer.from(s);
  return Buffer.concat([int16(b.length), b]);
}

/** Reads the header v1 of a request (after its size prefix). */
function parseRequest(bytes: Buffer, connection: number): RequestSeen {
  const clientIdLength = bytes.readInt16BE(8);
  const clientId = clientIdLength < 0 ? null : bytes.toString('utf8', 10, 10 + clientIdLength);
  return {
    connection,
    apiKey: bytes.readInt16BE(0),
    apiVersion: bytes.readInt16BE(2),
    correlationId: bytes.readInt32BE(4),
    clientId,
    body: bytes.subarray(10 + Math.max(0, clientIdLength)),
  };
}

/** A Produce v7 response accepting every partition of the request's one topic at `baseOffset`. */
function produceAccepted(produceBody: Buffer, baseOffset: bigint): Buffer {
  let p = 2 + 2 + 4 + 4; // transactionalId (null), acks, timeoutMs, topic count (1)
  const topicLength = produceBody.readInt16BE(p);
  const topic = produceBody.toString('utf8', p + 2, p + 2 + topicLength);
  p += 2 + topicLength;
  const partitions: number[] = [];
  for (let n = produceBody.readInt32BE((p += 4) - 4); n > 0; n--) {
    partitions.push(produceBody.readInt32BE(p));
    p += 8 + produceBody.readInt32BE(p + 4);
  }
  const results = partitions.map((partition) => {
    const b = Buffer.alloc(4 + 2 + 24);
    b.writeInt32BE(partition, 0);
    b.writeBigInt64BE(baseOffset, 6);
    b.writeBigInt64BE(-1n, 14);
    return b;
  });
  return Buffer.concat([int32(1), string(topic), int32(partitions.length), ...results, int32(0)]);
}

/**
 * Answers like a SASL_PLAINTEXT listener: SaslHandshake and SaslAuthenticate by the script, after
 * a refusal closes the connection (as Kafka does); a Produce before authentication closes it too.
 */
async function saslBroker(script: SaslBrokerScript = {}): Promise<SaslBroker> {
  const server = net.createServer();
  const sockets: net.Socket[] = [];
  const broker: SaslBroker = {
    host: '127.0.0.1',
    port: 0,
    seen: [],
    closedConnections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const authenticate = script.authenticate ?? ((token) => (token.equals(GOOD_TOKEN) ? { errorCode: 0, errorMessage: null } : { errorCode: 58, errorMessage: 'Authentication failed: Invalid username or password' }));
  let nextOffset = 0n;
  server.on('connection', (socket) => {
    const connection = sockets.length;
    sockets.push(socket);
    let authenticated = false;
    let pending = Buffer.alloc(0);
    const answer = (req: RequestSeen) => {
      if (req.apiKey === 17) {
        const handshake = script.handshake ?? { errorCode: 0, mechanisms: ['PLAIN'] };
        if (handshake === 'close') return void socket.destroy();
        socket.write(frameOf(req.correlationId, Buffer.concat([int16(handshake.errorCode), int32(handshake.mechanisms.length), ...handshake.mechanisms.map(string)])));
        if (handshake.errorCode !== 0) socket.end();
      } else if (req.apiKey === 36) {
        const token = req.body.subarray(4, 4 + req.body.readInt32BE(0));
        const { errorCode, errorMessage } = authenticate(token);
        authenticated = errorCode === 0;
        socket.write(frameOf(req.correlationId, Buffer.concat([int16(errorCode), string(errorMessage), int32(0), Buffer.alloc(8)])));
        if (!authenticated) socket.end();
      } else if (req.apiKey === 0 && authenticated) {
        socket.write(frameOf(req.correlationId, produceAccepted(req.body, nextOffset++)));
      } else {
        socket.destroy();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const bytes = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + bytes.length);
        const req = parseRequest(bytes, connection);
        broker.seen.push(req);
        answer(req);
      }
    });
    socket.on('close', () => broker.closedConnections++);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  broker.port = (server.address() as net.AddressInfo).port;
  saslBrokers.push(broker);
  return broker;
}

function saslProducer(broker: BrokerAddress, more: Partial<WireProducerOptions> = {}) {
  const calls = { refresh: 0 };
  const p = new WireProducer({
    topic: 'logs',
    leaders: () => new Map([[0, broker]]),
    refreshLeaders: async () => {
      calls.refresh++;
    },
    clientId: 'gen-test',
    retryBackoffMs: 10,
    sasl: { username: 'alice', password: 's3cr3t' },
    ...more,
  });
  return { p, calls };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const result = await Promise.allSettled([promise]);
  assert.equal(result[0]!.status, 'rejected');
  return (result[0] as PromiseRejectedResult).reason as Error;
}

describe('wire producer: SASL/PLAIN with a broker', { timeout: 20_000 }, () => {
  it('authenticates a new connection before its first Produce, with the producer’s correlation ids', async () => {
    const b = await saslBroker();
    const { p } = saslProducer(b);
    const [first, second] = p.sendBatches([
      { partition: 0, values: ['a'], timestamp: 1 },
      { partition: 0, values: ['b'], timestamp: 1 },
    ]);
    assert.deepEqual(await first, { partition: 0, baseOffset: 0n });
    assert.deepEqual(await second, { partition: 0, baseOffset: 1n });
    // the Produce requests took ids 1 and 2 before their connection was asked for
    assert.deepEqual(
      b.seen.map((r) => [r.connection, r.apiKey, r.apiVersion, r.correlationId, r.clientId]),
      [
        [0, 17, 1, 3, 'gen-test'],
        [0, 36, 1, 4, 'gen-test'],
        [0, 0, 7, 1, 'gen-test'],
        [0, 0, 7, 2, 'gen-test'],
      ],
    );
    assert.deepEqual(b.seen[0]!.body, string('PLAIN'));
    assert.deepEqual(b.seen[1]!.body, Buffer.concat([int32(GOOD_TOKEN.length), GOOD_TOKEN]));
    assert.deepEqual(await p.send(0, ['c'], 2), { partition: 0, baseOffset: 2n });
    assert.equal(b.seen.filter((r) => r.apiKey === 36).length, 1, 'one authentication per connection');
    await p.close();
  });

  it('wrong credentials: rejects at once naming the user and the broker’s message, never the password', async () => {
    const b = await saslBroker();
    const { p, calls } = saslProducer(b, { sasl: { username: 'alice', password: 'wrong-pw' } });
    const err = await rejection(p.send(0, ['x'], 1));
    assert.ok(err instanceof SaslAuthenticationError);
    assert.equal(err.code, 58);
    assert.equal(err.message, `Kafka broker 127.0.0.1:${b.port} refused the credentials of user "alice": Authentication failed: Invalid username or password`);
    assert.ok(!err.message.includes('wrong-pw') && !String(err.stack).includes('wrong-pw'));
    assert.deepEqual(b.seen.map((r) => r.apiKey), [17, 36], 'one handshake, one authenticate, no Produce');
    assert.equal(calls.refresh, 0, 'not retried');
    // the refused connection is not kept: the next send tries a new one
    await assert.rejects(p.connect(), SaslAuthenticationError);
    assert.deepEqual(b.seen.map((r) => r.connection), [0, 0, 1, 1]);
    await p.close();
  });

  it('keeps the password out of the message even when the broker echoes it', async () => {
    const b = await saslBroker({ authenticate: () => ({ errorCode: 58, errorMessage: 'no user with password s3cr3t' }) });
    const { p } = saslProducer(b);
    const err = await rejection(p.send(0, ['x'], 1));
    assert.match(err.message, /refused the credentials of user "alice": no user with password \*\*\*$/);
    await p.close();
  });

  it('a listener without PLAIN: the message lists the mechanisms it offers', async () => {
    const b = await saslBroker({ handshake: { errorCode: 33, mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'] } });
    const { p, calls } = saslProducer(b);
    const err = await rejection(p.send(0, ['x'], 1));
    assert.ok(err instanceof SaslAuthenticationError);
    assert.equal(err.message, `Kafka broker 127.0.0.1:${b.port} does not accept SASL/PLAIN (it offers: SCRAM-SHA-256, SCRAM-SHA-512)`);
    assert.deepEqual(b.seen.map((r) => r.apiKey), [17]);
    assert.equal(calls.refresh, 0);
    await p.close();
  });

  it('a PLAINTEXT listener answering ILLEGAL_SASL_STATE: says it does not seem to use SASL', async () => {
    const b = await saslBroker({ handshake: { errorCode: 34, mechanisms: [] } });
    const { p } = saslProducer(b);
    const err = await rejection(p.connect());
    assert.ok(err instanceof SaslAuthenticationError);
    assert.equal(
      err.message,
      `Kafka broker 127.0.0.1:${b.port} answered the SASL handshake with ILLEGAL_SASL_STATE (34): its listener does not seem to use SASL (PLAINTEXT rather than SASL_PLAINTEXT?)`,
    );
    await p.close();
  });

  it('a broker closing the connection at the handshake: retried, then the message points at SASL', async () => {
    const b = await saslBroker({ handshake: 'close' });
    const { p, calls } = saslProducer(b, { retries: 1 });
    const err = await rejection(p.send(0, ['x'], 1));
    assert.match(err.message, /^Kafka broker 127\.0\.0\.1:\d+: connection closed \(1 request pending\) during the SASL handshake: its listener does not seem to use SASL \(or the broker went down\) \(gave up after 2 attempts\)$/);
    assert.equal(calls.refresh, 1);
    assert.deepEqual(b.seen.map((r) => [r.connection, r.apiKey]), [[0, 17], [1, 17]]);
    await p.close();
  });

  it('without sasl, no SASL request is sent', async () => {
    const b = await saslBroker({ handshake: 'close' });
    const { p } = saslProducer(b, { sasl: undefined });
    await p.connect();
    await p.close();
    assert.deepEqual(b.seen, []);
  });
});
