/**
 * The JVM listener in a real PySpark job, loaded by spark-submit options alone: it serves Spark's
 * progress and the settings it was given; with its port taken the job runs on; and it never keeps a
 * finished job's JVM alive.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { defaultCacheDir, labPaths } from '../../src/lab/paths.js';
import { ensureListenerJar, LISTENER_CLASS, listenerSubmitArgs, type ListenerJar } from '../../src/lab/provision/listenerJar.js';
import { readPythonEnv, type PythonEnv } from '../../src/lab/provision/pythonEnv.js';
import { freeLoopbackPort } from '../../src/lab/ports.js';
import { ask } from './listenerHarness.js';

/**
 * Rate source → console sink, 1 s trigger; prints a marker per batch; stops the query when the stop
 * file exists and enough batches ran, then Spark when "<stop file>.exit" exists. A second session
 * constructs a second listener instance (which must not try to bind again).
 */
const JOB = `
import os, sys, time
from pyspark.sql import SparkSession

stop_file, min_batches = sys.argv[1], int(sys.argv[2])
spark = SparkSession.builder.appName("sparktop-jvm-listener-smoke").getOrCreate()
spark.sparkContext.setLogLevel("WARN")
spark.newSession().streams.active
rows = spark.readStream.format("rate").option("rowsPerSecond", 5).load()
query = (rows.writeStream.format("console").option("numRows", 1).queryName("smoke")
         .trigger(processingTime="1 second").start())
seen, deadline = -1, time.time() + 400
while time.time() < deadline:
    last = query.lastProgress
    if last is not None and last["batchId"] > seen:
        seen = last["batchId"]
        print(f"SMOKE batch {seen}", flush=True)
    if seen + 1 >= min_batches and os.path.exists(stop_file):
        break
    time.sleep(0.2)
query.stop()
print("SMOKE query stopped", flush=True)
deadline = time.time() + 120
while not os.path.exists(stop_file + ".exit") and time.time() < deadline:
    time.sleep(0.2)
spark.stop()
print("SMOKE stopped", flush=True)
`;
import { tempDir } from '../support/tempDir.js';

interface Job {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const dir = tempDir('sparktop-jvm-spark-');
const env: PythonEnv | null = readPythonEnv(labPaths(defaultCacheDir()).venvDir);
const jobs: Job[] = [];
let listener: ListenerJar | undefined;
let buildSeconds = 0;

function submit(name: string, port: number, stopFile: string): Job {
  const script = path.join(dir, 'smoke_job.py');
  fs.writeFileSync(script, JOB);
  const localDir = path.join(dir, `${name}-local`);
  fs.mkdirSync(localDir, { recursive: true });
  const args = [
    '--master', 'local[1]',
    '--driver-memory', '512m',
    '--conf', 'spark.ui.enabled=false',
    '--conf', 'spark.sql.shuffle.partitions=1',
    '--conf', `spark.local.dir=${localDir}`,
    '--conf', 'spark.sql.streaming.forceDeleteTempCheckpointLocation=true',
    ...listenerSubmitArgs(listener!.jar, { port, settings: { trigger: '1 second', maxOffsetsPerTrigger: 100 } }),
    script, stopFile, '3',
  ];
  const child = spawn(path.join(env!.sparkHome, 'bin', 'spark-submit'), args, {
    env: { ...process.env, SPARK_HOME: env!.sparkHome, PYSPARK_PYTHON: env!.python, PYSPARK_DRIVER_PYTHON: env!.python },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: spark-submit, the JVM and Python are killed together
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const job = { child, stdout: () => stdout, stderr: () => stderr, exited };
  jobs.push(job);
  return job;
}

function killGroup(job: Job): void {
  if (job.child.exitCode !== null || job.child.signalCode !== null || job.child.pid === undefined) return;
  try {
    process.kill(-job.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Polls until `probe` returns a value; fails with the job's output tail when the time is up or the job ends. */
async function eventually<T>(what: string, job: Job, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not serving yet
    }
    if (Date.now() > deadline || job.child.exitCode !== null) {
      throw new Error(`${job.child.exitCode !== null ? `the job exited (${job.child.exitCode})` : `timed out after ${timeoutMs / 1000} s`} waiting for ${what}\n--- stderr tail ---\n${job.stderr().slice(-3000)}`);
    }
    await delay(250);
  }
}

async function exitsWithin(job: Job, ms: number): Promise<number | null> {
  const timer = new AbortController();
  const timeout = delay(ms, 'timeout' as const, { signal: timer.signal }).catch(() => 'cancelled' as const);
  const code = await Promise.race([job.exited, timeout]);
  timer.abort();
  assert.notEqual(code, 'timeout', `the job did not exit within ${ms / 1000} s of being told to stop (does a listener thread keep the JVM alive?)\n${job.stderr().slice(-2000)}`);
  return code as number | null;
}

type Snapshot = { queries: Array<{ id: string; runId: string; name: string | null }>; progress: Array<Record<string, unknown>>; settings: unknown };

describe('the JVM listener in a real Spark job', { timeout: 900_000 }, () => {
  before(async () => {
    if (!env) return;
    const started = Date.now();
    listener = await ensureListenerJar(path.join(dir, 'cache'), env.sparkHome, (line) => process.stderr.write(`${line}\n`));
    buildSeconds = (Date.now() - started) / 1000;
  });

  after(() => {
    for (const job of jobs) killGroup(job);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds the jar once per source hash', async (t) => {
    if (!env) return t.skip(`pyspark is not provisioned in ${labPaths(defaultCacheDir()).venvDir} (run \`sparktop lab up\` once)`);
    process.stderr.write(`  listener jar built in ${buildSeconds.toFixed(1)} s\n`);
    assert.equal(listener!.className, LISTENER_CLASS);
    assert.match(listener!.sourceHash, /^[0-9a-f]{64}$/);
    assert.equal(path.basename(path.dirname(listener!.jar)), listener!.sourceHash.slice(0, 16));
    const again = await ensureListenerJar(path.join(dir, 'cache'), env.sparkHome, () => assert.fail('a cached jar is not rebuilt'));
    assert.deepEqual(again, listener);
    assert.deepEqual(fs.readdirSync(path.dirname(listener!.jar)), ['sparktop-listener.jar']);
  });

  it("serves Spark's progress, the settings and `since`, and lets the job exit", async (t) => {
    if (!env) return t.skip(`pyspark is not provisioned in ${labPaths(defaultCacheDir()).venvDir} (run \`sparktop lab up\` once)`);
    const port = await freeLoopbackPort();
    const stopFile = path.join(dir, 'stop-serving');
    const job = submit('serving', port, stopFile);
    try {
      await eventually('/health', job, async () => ((await ask(port, 'GET', '/health')).status === 200 ? true : undefined), 300_000);
      const snap = await eventually(
        '2 progress events',
        job,
        async () => {
          const body = (await ask(port, 'GET', '/progress')).body as Snapshot;
          return body.progress.length >= 2 ? body : undefined;
        },
        300_000,
      );
      const first = snap.progress[0]!;
      for (const key of ['id', 'runId', 'name', 'timestamp', 'batchId', 'numInputRows', 'inputRowsPerSecond', 'processedRowsPerSecond', 'durationMs', 'sources', 'sink']) {
        assert.ok(key in first, `progress has ${key}`);
      }
      assert.equal(first.name, 'smoke');
      assert.ok(Array.isArray(first.sources) && (first.sources as Array<{ description: string }>)[0]!.description.includes('Rate'));
      assert.deepEqual(snap.settings, { trigger: '1 second', maxOffsetsPerTrigger: 100 });
      assert.deepEqual(snap.queries.map((q) => [q.id, q.runId, q.name]), [[first.id, first.runId, 'smoke']]);

      const since = first.batchId as number;
      const later = (await ask(port, 'GET', `/progress?since=${since}`)).body as Snapshot;
      assert.ok(later.progress.length >= 1 && later.progress.every((p) => (p.batchId as number) > since));
      const exact = (await ask(port, 'GET', `/progress?since=${since}&runId=${String(first.runId)}`)).body as Snapshot;
      assert.ok(exact.progress.every((p) => (p.batchId as number) > since));
      const bad = await ask(port, 'GET', '/progress?since=x');
      assert.equal(bad.status, 400);

      fs.writeFileSync(stopFile, '');
      await eventually('the query to stop', job, async () => (job.stdout().includes('SMOKE query stopped') ? true : undefined), 120_000);
      const ended = (await ask(port, 'GET', '/progress')).body as Snapshot & { terminated: unknown[] };
      assert.deepEqual(ended.terminated, [{ id: first.id, runId: first.runId, exception: null }]);

      fs.writeFileSync(`${stopFile}.exit`, '');
      assert.equal(await exitsWithin(job, 120_000), 0);
      const lines = job.stderr().split('\n').filter((l) => l.startsWith('sparktop-listener:'));
      assert.deepEqual(lines, [`sparktop-listener: serving streaming progress at http://127.0.0.1:${port}/progress (ring of 2000 events)`]);
      assert.match(job.stdout(), /SMOKE stopped/);
    } finally {
      killGroup(job);
    }
  });

  it('with its port taken, reports it once and the job runs on and exits', async (t) => {
    if (!env) return t.skip(`pyspark is not provisioned in ${labPaths(defaultCacheDir()).venvDir} (run \`sparktop lab up\` once)`);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const stopFile = path.join(dir, 'stop-taken');
    const job = submit('taken', port, stopFile);
    try {
      await eventually('3 batches', job, async () => ((job.stdout().match(/^SMOKE batch \d+$/gm) ?? []).length >= 3 ? true : undefined), 300_000);
      const lines = job.stderr().split('\n').filter((l) => l.startsWith('sparktop-listener:'));
      assert.equal(lines.length, 1, lines.join('\n'));
      process.stderr.write(`  the job said: ${lines[0]}\n`);
      assert.match(lines[0]!, new RegExp(`127\\.0\\.0\\.1:${port}\\b.*DISABLED.*keeps running`));
      assert.match(job.stdout(), /Batch: 2/, 'the console sink kept printing batches');
      fs.writeFileSync(`${stopFile}.exit`, '');
      fs.writeFileSync(stopFile, '');
      assert.equal(await exitsWithin(job, 120_000), 0);
    } finally {
      killGroup(job);
      blocker.close();
    }
  });
});
