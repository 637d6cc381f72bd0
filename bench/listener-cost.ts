/**
 * The JVM progress listener's own CPU, side by side with the batches it reports, in one run: over
 * the same N batches of the lab's job, the CPU its callbacks took on Spark's listener-bus thread and
 * the CPU of the threads it owns (HTTP server), read from its `/cost` diagnostic
 * (spark-apps/listener/sparktop/listener/ListenerCost.java), against those batches' durations and
 * the driver JVM's whole CPU (/proc). The listener is read once a second (`/progress?since=…`), as
 * the monitor reads it, so serving is included.
 *
 * Why this measure: the listener cannot lengthen a batch by more than the CPU it takes from the
 * batch (Spark calls it on the listener bus's own thread, after the batch has committed), so its CPU
 * per batch over the batch's duration bounds its effect on batch duration from above, without the
 * run-to-run noise a with/without comparison of durations has on a shared 2-core machine
 * (bench/listener-overhead.ts, docs/BENCHMARKS.md).
 *
 *   sparktop lab up            (the lab's job carries the JVM listener)
 *   node --import tsx bench/listener-cost.ts [--batches 40] [--cache-dir DIR] [--listener URL]
 *
 * Prints one JSON object; progress goes to stderr.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { defaultCacheDir, labPaths } from '../src/lab/paths.js';
import { readState } from '../src/lab/state.js';
import { argValue, CLK_TCK, cpuTicks } from './common.js';

interface Cost {
  supported: boolean;
  callbacks: number;
  callbackCpuNanos?: number;
  serverCpuNanos?: number;
}
interface ProgressEvent {
  runId: string;
  batchId: number;
  numInputRows: number;
  durationMs?: { triggerExecution?: number };
}

const cacheDir = argValue('cache-dir', defaultCacheDir());
const state = readState(labPaths(cacheDir).stateFile);
const listener = argValue('listener', `http://127.0.0.1:${state.config?.listenerPort ?? 4090}`);
const batches = Number(argValue('batches', '40'));
const driverPid = state.components['spark-app']?.pid;
if (!driverPid) throw new Error(`no running lab job in ${cacheDir} (sparktop lab up)`);

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${listener}${path}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${listener}${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** utime + stime of a process, in ms. */
const processCpuMs = (pid: number): number => (cpuTicks(pid) * 1000) / CLK_TCK;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const first = await getJson<{ progress: ProgressEvent[] }>('/progress');
const start = first.progress.at(-1);
if (!start) throw new Error('the listener has no batch yet: wait for the first one');
let since: ProgressEvent = start;
const cost0 = await getJson<Cost>('/cost');
if (!cost0.supported) throw new Error('this JVM does not measure thread CPU time');
const cpu0 = processCpuMs(driverPid);
const t0 = Date.now();
const seen: ProgressEvent[] = [];
while (seen.length < batches) {
  await delay(1000);
  const body: { progress: ProgressEvent[] } = await getJson<{ progress: ProgressEvent[] }>(`/progress?since=${since.batchId}&runId=${since.runId}`);
  for (const p of body.progress) if (p.runId === since.runId && p.batchId > since.batchId) seen.push(p);
  since = body.progress.at(-1) ?? since;
  process.stderr.write(`\r${seen.length}/${batches} batches`);
}
const cost1 = await getJson<Cost>('/cost');
const cpu1 = processCpuMs(driverPid);
const seconds = (Date.now() - t0) / 1000;
process.stderr.write('\n');

const durations = seen.map((p) => p.durationMs?.triggerExecution ?? 0);
const n = seen.length;
const callbackMs = (cost1.callbackCpuNanos! - cost0.callbackCpuNanos!) / 1e6;
const serverMs = (cost1.serverCpuNanos! - cost0.serverCpuNanos!) / 1e6;
const listenerPerBatch = (callbackMs + serverMs) / n;
const p50 = quantile(durations, 0.5);
const mean = durations.reduce((a, x) => a + x, 0) / n;
const driverPerBatch = (cpu1 - cpu0) / n;
console.log(
  JSON.stringify(
    {
      batches: n,
      seconds: Math.round(seconds),
      rowsPerBatch: Math.round(seen.reduce((a, p) => a + p.numInputRows, 0) / n),
      callbacks: cost1.callbacks - cost0.callbacks,
      batchDurationMs: { p50, p95: quantile(durations, 0.95), mean: Math.round(mean) },
      listenerCpuMs: { callbacks: +callbackMs.toFixed(2), server: +serverMs.toFixed(2), perBatch: +listenerPerBatch.toFixed(3) },
      driverCpuMsPerBatch: +driverPerBatch.toFixed(1),
      listenerShareOfDriverCpu: +(listenerPerBatch / driverPerBatch).toFixed(5),
      boundOnBatchDuration: { ofP50: +(listenerPerBatch / p50).toFixed(5), ofMean: +(listenerPerBatch / mean).toFixed(5) },
    },
    null,
    2,
  ),
);
