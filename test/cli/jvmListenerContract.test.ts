/**
 * The JVM listener (spark-apps/listener/) and the Python one (spark-apps/sparktop_listener.py) fed
 * the same recorded events answer every request alike: same status, same JSON, same headers. This
 * is what lets sparktop not care which of the two serves /progress.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ask,
  compileHarness,
  fixture,
  progressEvent,
  serveWithJava,
  serveWithPython,
  stop,
  type ListenerEvent,
  type Progress,
  type Served,
  type StoreOptions,
} from './listenerHarness.js';
import { tempDir } from '../support/tempDir.js';

const RUN1 = fixture<Progress[]>('rate-count-run1.json');
const RUN2 = fixture<Progress[]>('rate-count-run2-resumed.json');
const RUN3 = fixture<Progress[]>('rate-count-run3-fresh-checkpoint.json');
const WINDOW = fixture<Progress[]>('rate-window-watermark.json');
const LIFECYCLE = fixture<Array<{ event: string; id: string; runId: string; name?: string; exception?: string | null }>>('lifecycle.json');
const HTTP_PROGRESS = fixture<{ progress: Progress[] }>('http-progress.json');

/** The recorded lifecycle: each run's start, its progress, its end (one run failed with a long exception). */
function lifecycleEvents(): ListenerEvent[] {
  const events: ListenerEvent[] = [];
  for (const e of LIFECYCLE) {
    if (e.event === 'started') {
      events.push({ kind: 'started', id: e.id, runId: e.runId, name: e.name ?? null });
      for (const p of HTTP_PROGRESS.progress.filter((q) => q.runId === e.runId)) events.push(progressEvent(p));
    } else {
      events.push({ kind: 'terminated', id: e.id, runId: e.runId, exception: e.exception ?? null });
    }
  }
  return events;
}

/** Progress only (a listener attached after the queries started), two logical queries interleaved, one unnamed. */
function interleavedEvents(): ListenerEvent[] {
  const unnamed = WINDOW.map((p) => ({ ...p, name: null }));
  const count = [...RUN1, ...RUN2, ...RUN3];
  const out: ListenerEvent[] = [];
  for (let i = 0; i < Math.max(count.length, unnamed.length); i++) {
    if (count[i]) out.push(progressEvent(count[i]!));
    if (unnamed[i]) out.push(progressEvent(unnamed[i]!));
  }
  return out;
}

/** More runs than the run table keeps (256): the oldest runs' events outlive their run entries. */
function manyRunsEvents(): ListenerEvent[] {
  const out: ListenerEvent[] = [];
  for (let r = 0; r < 262; r++) {
    const id = r % 3 === 0 ? RUN1[0]!.id : `${RUN1[0]!.id.slice(0, -4)}${String(r).padStart(4, '0')}`;
    const runId = `${RUN1[0]!.runId.slice(0, -4)}${String(r).padStart(4, '0')}`;
    const name = r % 2 === 0 ? 'rate_count' : null;
    out.push({ kind: 'started', id, runId, name });
    for (const p of RUN1.slice(0, 1 + (r % 4))) out.push(progressEvent({ ...p, id, runId, name, batchId: p.batchId + (r % 5) }));
    if (r % 7 === 0) out.push({ kind: 'terminated', id, runId, exception: r % 14 === 0 ? `failed run ${r}\n\tat x` : null });
  }
  return out;
}

function runIdsOf(events: ListenerEvent[]): string[] {
  return [...new Set(events.map((e) => e.runId))];
}

/** Every request a monitor (or a confused client) could send. */
function requests(events: ListenerEvent[]): Array<{ method: string; path: string; body?: string }> {
  const paths = ['/progress', '/progress/', '/progress//', '/progress?', '/progress?since=-1', '/progress?since=-1&runId=x', '/progress?since=3&cachebuster=1&x', '/progress?&since=2&'];
  for (let n = 0; n <= 12; n++) paths.push(`/progress?since=${n}`);
  paths.push('/progress?since=100', '/progress?since=99999999999999999999999', '/progress?since=%2B3', '/progress?since=%203%20', '/progress?since=1_0', '/progress?since=0004');
  paths.push('/progress?since=%D9%A3'); // ARABIC-INDIC DIGIT THREE: Python's int() takes it
  const runIds = runIdsOf(events);
  for (const runId of [...runIds.slice(0, 6), ...runIds.slice(-3), 'no-such-run']) {
    for (const n of [0, 1, 2, 4, 5, 7, 8, 50]) paths.push(`/progress?since=${n}&runId=${encodeURIComponent(runId)}`);
  }
  paths.push(`/progress?runId=${runIds[0]}&since=1`, `/progress?since=1&runId=%20${runIds[0]}%20`);
  const bad = ['since=abc', 'since=', 'since', 'since=1.5', 'since=-2', 'since=1&since=2', 'runId=x', 'since=1&runId=', 'since=1&runId=%20',
    'since=1&runId=a&runId=b', "since=it's", 'since=%22q%22', 'since=a%27b%22c', 'since=%E2%82%AC', 'since=%FF%FE', 'since=%0A%09x',
    'since=%C2%A0', 'since=_1', 'since=1__0', 'since=1_', 'since=+'];
  for (const q of bad) paths.push(`/progress?${q}`);
  paths.push('/health', '/health/', '/health?x=1', '/', '/progresss', '/api/v1/progress', '/health/x', '/Progress', '/progress%2F', '/pr%C3%B6gress', '/progress;x');
  const out: Array<{ method: string; path: string; body?: string }> = paths.map((p) => ({ method: 'GET', path: p }));
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) out.push({ method, path: '/progress', body: '{"x":1}' }, { method, path: '/nowhere' });
  out.push({ method: 'HEAD', path: '/health' }, { method: 'HEAD', path: '/progress?since=1' });
  return out;
}

interface Pair {
  python: Served;
  java: Served;
}

const dir = tempDir('sparktop-jvm-contract-');
const classes = path.join(dir, 'classes');
const started: Served[] = [];

async function servePair(name: string, events: ListenerEvent[], opts: StoreOptions): Promise<Pair> {
  const [python, java] = await Promise.all([serveWithPython(dir, name, events, opts), serveWithJava(classes, dir, name, events, opts)]);
  started.push(python, java);
  return { python, java };
}

async function assertSameAnswers(pair: Pair, reqs: Array<{ method: string; path: string; body?: string }>): Promise<void> {
  for (const r of reqs) {
    const [py, jv] = await Promise.all([ask(pair.python.port, r.method, r.path, r.body), ask(pair.java.port, r.method, r.path, r.body)]);
    const what = `${r.method} ${r.path}`;
    assert.equal(jv.status, py.status, what);
    assert.deepEqual(jv.body, py.body, what);
    assert.deepEqual(jv.headers, py.headers, what);
    if (r.method === 'HEAD') assert.equal(jv.raw, '', what);
  }

}

/**
 * Request targets that are not valid URIs: the JDK's HttpServer answers 400 with an HTML body of its
 * own before the listener sees them, where Python says 400 about `since`. Same status; no client
 * of sparktop's kind sends these.
 */
const NOT_URIS = ['/progress?since=%zz', '/progress?since=1%', '/progress?since=\\'];

describe('the JVM listener answers exactly as the Python listener', { timeout: 240_000 }, () => {
  before(async () => {
    fs.mkdirSync(classes);
    await compileHarness(classes);
  });

  after(() => {
    for (const s of started) stop(s);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on the recorded lifecycle (resume, fresh checkpoint, watermark query, a failed run), with settings', async () => {
    const events = lifecycleEvents();
    const pair = await servePair('lifecycle', events, { capacity: 2000, settings: { trigger: '1 second', maxOffsetsPerTrigger: 100 } });
    await assertSameAnswers(pair, requests(events));
    for (const target of NOT_URIS) {
      const [py, jv] = await Promise.all([ask(pair.python.port, 'GET', target), ask(pair.java.port, 'GET', target)]);
      assert.deepEqual([py.status, jv.status], [400, 400], target);
    }
    const { body } = await ask(pair.java.port, 'GET', '/progress');
    const snap = body as { progress: unknown[]; terminated: Array<{ exception: string | null }>; settings: unknown };
    assert.equal(snap.progress.length, HTTP_PROGRESS.progress.length);
    assert.deepEqual(snap.progress, HTTP_PROGRESS.progress, "Spark's JSON is served as it was recorded");
    assert.ok(snap.terminated.some((t) => t.exception?.includes('deliberate failure')));
    assert.deepEqual(snap.settings, { trigger: '1 second', maxOffsetsPerTrigger: 100 });
  });

  it('measures its own CPU at /cost (JVM only, a diagnostic outside the contract): the server threads\' CPU grows with the requests it serves', async () => {
    const events = interleavedEvents();
    const java = await serveWithJava(classes, dir, 'cost', events, { capacity: 2000, settings: {} });
    started.push(java);
    const before = (await ask(java.port, 'GET', '/cost')).body as { supported: boolean; callbacks: number; serverCpuNanos: number };
    assert.equal(before.supported, true);
    assert.equal(before.callbacks, 0, 'the harness feeds the store, not the listener callbacks');
    for (let i = 0; i < 300; i++) await ask(java.port, 'GET', '/progress');
    const after = (await ask(java.port, 'GET', '/cost')).body as { serverCpuNanos: number };
    assert.ok(after.serverCpuNanos > before.serverCpuNanos, `${before.serverCpuNanos} → ${after.serverCpuNanos}`);
  });

  it('on progress without start events, two logical queries interleaved, one of them unnamed', async () => {
    const events = interleavedEvents();
    await assertSameAnswers(await servePair('interleaved', events, { capacity: 2000, settings: {} }), requests(events));
  });

  it('when the ring is full (capacity 5 and 4)', async () => {
    for (const [name, events, capacity] of [['small-lifecycle', lifecycleEvents(), 5], ['small-interleaved', interleavedEvents(), 4]] as const) {
      const pair = await servePair(name, events, { capacity, settings: { minPartitions: 2 } });
      await assertSameAnswers(pair, requests(events));
      const { body } = await ask(pair.java.port, 'GET', '/progress');
      assert.equal((body as { progress: unknown[] }).progress.length, capacity);
    }
  });

  it('with more runs than the run table keeps (events of forgotten runs)', async () => {
    const events = manyRunsEvents();
    const pair = await servePair('many-runs', events, { capacity: 2000, settings: {} });
    await assertSameAnswers(pair, requests(events));
    const { body } = await ask(pair.java.port, 'GET', '/progress');
    assert.equal((body as { queries: unknown[] }).queries.length, 256);
  });

  it('bounds the JSON it holds by its byte budget, newest kept', async () => {
    const events = interleavedEvents();
    const texts = events.flatMap((e) => (e.kind === 'progress' ? [e.json] : []));
    const budget = Buffer.byteLength(texts[0]!) * 3 + 10;
    const java = await serveWithJava(classes, dir, 'budget', events, { capacity: 2000, maxBytes: budget, settings: {} });
    started.push(java);
    let kept = 0;
    let bytes = 0;
    for (let i = texts.length - 1; i >= 0 && bytes + Buffer.byteLength(texts[i]!) <= budget; i--) {
      bytes += Buffer.byteLength(texts[i]!);
      kept += 1;
    }
    assert.ok(kept >= 2 && kept < texts.length, `the budget keeps ${kept} of ${texts.length} events`);
    const { body } = await ask(java.port, 'GET', '/progress');
    assert.deepEqual((body as { progress: unknown[] }).progress, texts.slice(-kept).map((t) => JSON.parse(t) as unknown));

    // one event larger than the whole budget is still served (the newest is always kept)
    const tiny = await serveWithJava(classes, dir, 'budget-tiny', events, { capacity: 2000, maxBytes: 100, settings: {} });
    started.push(tiny);
    const answer = await ask(tiny.port, 'GET', '/progress');
    assert.deepEqual((answer.body as { progress: unknown[] }).progress, [JSON.parse(texts[texts.length - 1]!) as unknown]);
  });
});
