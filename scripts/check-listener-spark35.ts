/**
 * One jar for Spark 3.5 and 4.0: runs the JVM progress listener (built by `sparktop lab provision`
 * against pyspark 4.0's jars, `javac --release 8`) in a PySpark 3.5 job that knows nothing of it,
 * and checks that it serves the job's progress and settings and lets the JVM exit. Not part of
 * `npm test` (it installs pyspark 3.5, ~320 MB); run it by hand:
 *
 *   node --import tsx scripts/check-listener-spark35.ts [--pyspark 3.5.7] [--port 4391]
 *
 * Tried on 2026-12-05 with pyspark 3.5.7 (Scala 2.12) on Java 17: batches 0–3 served, settings
 * {"trigger":"1 second"}, exit 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { defaultCacheDir, labPaths } from '../src/lab/paths.js';
import { ensureListenerJar, listenerSubmitArgs } from '../src/lab/provision/listenerJar.js';
import { run } from '../src/lab/provision/exec.js';
import { readPythonEnv } from '../src/lab/provision/pythonEnv.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const JOB = `
import time
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("spark35-listener-check").getOrCreate()
q = (spark.readStream.format("rate").option("rowsPerSecond", 5).load()
     .writeStream.format("console").option("numRows", 1).queryName("smoke35").trigger(processingTime="1 second").start())
deadline = time.time() + 180
while time.time() < deadline and (q.lastProgress is None or q.lastProgress["batchId"] < 4):
    time.sleep(0.5)
q.stop(); spark.stop()
`;

const version = arg('pyspark', '3.5.7');
const port = Number(arg('port', '4391'));
const paths = labPaths(defaultCacheDir());
const env40 = readPythonEnv(paths.venvDir);
if (!env40) throw new Error('run `sparktop lab provision` first (the jar is built against pyspark 4.0)');
const { jar } = await ensureListenerJar(paths.cacheDir, env40.sparkHome, console.log);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-spark35-'));
const venv = path.join(dir, 'venv');
console.log(`installing pyspark ${version} into ${venv}`);
if ((await run('python3', ['-m', 'venv', venv])).code !== 0) throw new Error('python3 -m venv failed');
const pip = await run(path.join(venv, 'bin', 'pip'), ['install', '-q', `pyspark==${version}`]);
if (pip.code !== 0) throw new Error(`pip install failed: ${pip.stderr}`);
const sparkHome = path.join(venv, 'lib', fs.readdirSync(path.join(venv, 'lib'))[0]!, 'site-packages', 'pyspark');
fs.writeFileSync(path.join(dir, 'job.py'), JOB);
const child = spawn(
  path.join(sparkHome, 'bin', 'spark-submit'),
  ['--master', 'local[1]', '--driver-memory', '512m', '--conf', 'spark.ui.enabled=false', ...listenerSubmitArgs(jar, { port, settings: { trigger: '1 second' } }), path.join(dir, 'job.py')],
  { env: { ...process.env, SPARK_HOME: sparkHome, PYSPARK_PYTHON: path.join(venv, 'bin', 'python') }, stdio: ['ignore', 'pipe', 'pipe'] },
);
let log = '';
child.stdout.on('data', (c: Buffer) => (log += c.toString()));
child.stderr.on('data', (c: Buffer) => (log += c.toString()));
const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
let seen: { batches: number[]; settings: unknown } | null = null;
for (const deadline = Date.now() + 240_000; Date.now() < deadline && seen === null; await delay(500)) {
  try {
    const body = (await (await fetch(`http://127.0.0.1:${port}/progress`)).json()) as { progress: Array<{ batchId: number }>; settings: unknown };
    if (body.progress.length >= 3) seen = { batches: body.progress.map((p) => p.batchId), settings: body.settings };
  } catch {
    /* not serving yet */
  }
}
const code = await Promise.race([exited, delay(120_000, 'still running')]);
if (code === 'still running') child.kill('SIGKILL');
fs.rmSync(dir, { recursive: true, force: true });
const line = /sparktop-listener: .*/.exec(log)?.[0];
console.log(JSON.stringify({ pyspark: version, listenerLine: line ?? null, served: seen, exitCode: code }));
process.exitCode = seen && code === 0 ? 0 : 1;
