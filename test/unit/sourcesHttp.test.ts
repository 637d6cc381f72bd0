import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { derive } from '../../src/model/index.js';
import type { Sample } from '../../src/model/samples.js';
import { AnswerInterpreter, type EndpointAnswer } from '../../src/sources/answers.js';
import { HttpEndpoint, isLoopback, type HttpAnswer } from '../../src/sources/http.js';
import { Sampler } from '../../src/sources/sampler.js';
import { modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

/**
 * A server that, while `trickle` is on, sends its headers and then a byte every 300 ms without ever
 * finishing: an idle timeout never fires on it. Otherwise it answers `{"ok":true}` at once.
 */
async function tricklingServer(): Promise<{ url: string; server: http.Server; trickle: boolean }> {
  const state = { trickle: true };
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (!state.trickle) {
      res.end('{"ok":true}');
      return;
    }
    res.writeHead(200);
    res.write('[');
    const timer = setInterval(() => res.write(' '), 300);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, server });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const servers: http.Server[] = [];
after(() => Promise.all(servers.map(close)));

describe('HttpEndpoint', () => {
  it('knows loopback addresses', () => {
    for (const url of ['http://127.0.0.1:4040', 'http://localhost:8080/', 'http://[::1]:4090', 'http://127.1.2.3']) assert.equal(isLoopback(url), true, url);
    for (const url of ['http://spark-master:8080', 'http://10.0.0.5:4040', 'not a url']) assert.equal(isLoopback(url), false, url);
  });

  it('asks a loopback server for uncompressed answers and parses JSON', async () => {
    let encoding: string | undefined;
    const server = http.createServer((req, res) => {
      encoding = req.headers['accept-encoding'];
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new HttpEndpoint(`http://127.0.0.1:${port}`).get('/x');
      assert.deepEqual(answer, { status: 200, body: { ok: true } });
      assert.equal(encoding, 'identity');
    } finally {
      server.close();
    }
  });

  it('an answer that trickles past the deadline is a failure with the reason; the next one, complete, is read again', async () => {
    const deadlineMs = 1000;
    const s = await tricklingServer();
    servers.push(s.server);
    const endpoint = new HttpEndpoint(s.url, deadlineMs);
    const started = Date.now();
    const pending = endpoint.get('/x');
    // While it runs, the same path is not asked again: the poll is skipped (the running request reports).
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(endpoint.busy('/x'), true);
    assert.equal(await endpoint.get('/x'), null);
    const answer = await pending;
    const elapsed = Date.now() - started;
    assert.deepEqual(answer, { status: null, body: { error: 'no complete answer within 1 s' } });
    // Generous: the machine may be loaded. Without the deadline it never ends.
    assert.ok(elapsed < 4 * deadlineMs, `ended after ${elapsed} ms`);
    assert.equal(endpoint.busy('/x'), false);

    s.trickle = false;
    assert.deepEqual(await endpoint.get('/x'), { status: 200, body: { ok: true } });
  });
});

describe('a request past its deadline, downstream', () => {
  const failure: HttpAnswer = { status: null, body: { error: 'no complete answer within 2 s' } };

  it('the interpreter turns it into an error of the source with that reason', () => {
    const interpreter = new AnswerInterpreter();
    for (const endpoint of ['driver:/allexecutors', 'driver:/applications', 'master:/json', 'listener:/progress'] as const) {
      const samples = interpreter.interpret({ t: 1, endpoint, ...failure });
      const source = endpoint.startsWith('driver') ? 'driver' : endpoint.startsWith('master') ? 'master' : 'progress';
      assert.deepEqual(samples, [{ t: 1, kind: 'source-error', data: { source, message: 'no complete answer within 2 s' } }], endpoint);
    }
  });

  it("the model marks the driver down with that reason, its values as old (steady, the driver's answers failing from the middle on)", () => {
    const answers = answersFromFixture('steady');
    const from = Math.floor(answers.length / 2);
    const failing: EndpointAnswer[] = answers.map((a, i) => (i >= from && a.endpoint.startsWith('driver:') ? { ...a, ...failure } : a));
    const { model, now } = modelFromAnswers(failing);
    const d = derive(model, now);
    assert.equal(d.sources.driver.ok, false);
    assert.equal(d.sources.driver.error, 'no complete answer within 2 s');
    assert.ok(d.sources.driver.lastOkAt !== null && d.sources.driver.lastOkAt < now, 'its last values are older than now');
    assert.equal(d.sources.kafka.ok, true);
  });

  it('the sampler reports the trickling driver, master and listener once their requests pass the deadline, though the next poll found them busy', async () => {
    const s = await tricklingServer();
    servers.push(s.server);
    const samples: Sample[] = [];
    const sampler = new Sampler({
      kafka: '127.0.0.1:1',
      kafkaLogin: { auth: null },
      topic: 'logs',
      group: null,
      sparkUi: s.url,
      sparkMaster: s.url,
      progressUrl: s.url,
      refreshMs: 1000,
      generatorsDir: null,
      onSample: (x) => samples.push(x),
    });
    try {
      const first = sampler.poll();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sampler.poll();
      await first;
    } finally {
      await sampler.stop();
    }
    const errors = samples.filter((x): x is Extract<Sample, { kind: 'source-error' }> => x.kind === 'source-error');
    for (const source of ['driver', 'master', 'progress'] as const) {
      assert.deepEqual(
        errors.filter((e) => e.data.source === source).map((e) => e.data.message),
        ['no complete answer within 2 s'],
        `${source}: ${JSON.stringify(errors)}`,
      );
    }
  });

  it('stop() waits for the requests already sent: their answers reach the model before it resolves, and none comes after', async () => {
    const answerAfterMs = 600;
    const server = http.createServer((req, res) => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      }, answerAfterMs);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const before: Sample[] = [];
    const after: Sample[] = [];
    let stopped = false;
    const sampler = new Sampler({
      kafka: '127.0.0.1:1',
      kafkaLogin: { auth: null },
      topic: 'logs',
      group: null,
      sparkUi: url,
      sparkMaster: url,
      progressUrl: url,
      refreshMs: 60_000,
      generatorsDir: null,
      onSample: (x) => (stopped ? after : before).push(x),
    });
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sampler.stop();
    stopped = true;
    // The master's and the listener's answers (not what they expect: errors of those sources) came before stop() resolved.
    const sources = before.filter((x): x is Extract<Sample, { kind: 'source-error' }> => x.kind === 'source-error').map((x) => x.data.source);
    for (const source of ['master', 'progress', 'kafka'] as const) assert.ok(sources.includes(source), `${source}: ${JSON.stringify(before)}`);
    await new Promise((resolve) => setTimeout(resolve, 2 * answerAfterMs));
    assert.deepEqual(after, []);
  });
});
