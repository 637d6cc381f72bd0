/**
 * What a client can do to a Kafka (the e2e privacy suite runs it as another Unix user, and as the
 * owner): produce one record to `topic`, and create `<topic>-via-controller` through the KRaft
 * controller listener. Plain JavaScript and kafkajs only, so that another user can run it.
 * Usage: node kafkaProbe.mjs <bootstrap> <controller host:port> <topic> <login properties file | ->
 * Prints {"produce": "produced" | "refused: …", "createTopicViaController": "created" | "refused: …"}.
 */
import fs from 'node:fs';
import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, controller, topic, loginFile] = process.argv.slice(2);

function login(file) {
  if (file === '-') return {};
  const text = fs.readFileSync(file, 'utf8');
  const username = /username="([^"]*)"/.exec(text)?.[1];
  const password = /password="([^"]*)"/.exec(text)?.[1];
  return { sasl: { mechanism: 'plain', username, password } };
}

const client = (broker) =>
  new Kafka({ clientId: 'sparktop-probe', brokers: [broker], logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 5000, retry: { retries: 1 }, ...login(loginFile) });

async function attempt(what) {
  try {
    return await what();
  } catch (err) {
    return `refused: ${err.name}: ${err.message}`;
  }
}

const produce = await attempt(async () => {
  const producer = client(bootstrap).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: 'probe' }] });
    return 'produced';
  } finally {
    await producer.disconnect();
  }
});

function frame(apiKey, apiVersion, correlationId, body) {
  const clientId = Buffer.from('sparktop-probe');
  const head = Buffer.alloc(10);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(apiVersion, 2);
  head.writeInt32BE(correlationId, 4);
  head.writeInt16BE(clientId.length, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(head.length + clientId.length + body.length);
  return Buffer.concat([size, head, clientId, body]);
}
const str = (s) => {
  const b = Buffer.from(s);
  const n = Buffer.alloc(2);
  n.writeInt16BE(b.length);
  return Buffer.concat([n, b]);
};
const int = (bytes, v) => {
  const b = Buffer.alloc(bytes);
  if (bytes === 1) b.writeInt8(v);
  else if (bytes === 2) b.writeInt16BE(v);
  else b.writeInt32BE(v);
  return b;
};

/** Sends requests one at a time on one connection; each resolves with its response body (after the correlation id). */
function connect(hostPort) {
  const [host, port] = hostPort.split(':');
  const socket = net.connect({ host, port: Number(port) });
  let buffered = Buffer.alloc(0);
  let waiting = null;
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (waiting && buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const size = buffered.readInt32BE(0);
      const body = buffered.subarray(8, 4 + size);
      buffered = buffered.subarray(4 + size);
      const w = waiting;
      waiting = null;
      w.resolve(body);
    }
  });
  const closed = (why) => () => waiting?.reject(new Error(why));
  socket.on('close', closed('the broker closed the connection'));
  socket.on('error', (err) => waiting?.reject(err));
  socket.setTimeout(10_000, () => {
    waiting?.reject(new Error('no answer within 10 s'));
    socket.destroy();
  });
  return {
    ready: new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }),
    ask: (bytes) =>
      new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(bytes);
      }),
    close: () => socket.destroy(),
  };
}

async function createTopicOnController(hostPort, name, sasl) {
  const c = connect(hostPort);
  await c.ready;
  try {
    if (sasl) {
      const hs = await c.ask(frame(17, 1, 1, str('PLAIN')));
      if (hs.readInt16BE(0) !== 0) throw new Error(`SaslHandshake error ${hs.readInt16BE(0)}`);
      const token = Buffer.from(`\0${sasl.username}\0${sasl.password}`);
      const auth = await c.ask(frame(36, 1, 2, Buffer.concat([int(4, token.length), token])));
      if (auth.readInt16BE(0) !== 0) throw new Error(`SaslAuthenticate error ${auth.readInt16BE(0)}`);
    }
    // CreateTopics v4: [name, partitions, replication factor, no assignments, no configs], timeout, validateOnly.
    const body = Buffer.concat([int(4, 1), str(name), int(4, 1), int(2, 1), int(4, 0), int(4, 0), int(4, 10_000), int(1, 0)]);
    const r = await c.ask(frame(19, 4, 3, body));
    // throttle int32 | [name STRING | error int16 | message NULLABLE_STRING]
    const nameLength = r.readInt16BE(8);
    const error = r.readInt16BE(10 + nameLength);
    return error === 0 ? 'created' : `answered error ${error}`;
  } finally {
    c.close();
  }
}

// kafkajs cannot talk to a KRaft controller (it wants Metadata first): CreateTopics v4 by hand,
// after SaslHandshake v1 + SaslAuthenticate v1 when there is a login.
const createTopicViaController = await attempt(() => createTopicOnController(controller, `${topic}-via-controller`, login(loginFile).sasl));
process.stdout.write(`${JSON.stringify({ produce, createTopicViaController })}\n`);
