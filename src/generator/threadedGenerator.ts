/**
 * `sparktop gen --threads N|auto`: the generator's records made and sent by N worker threads, each
 * a runGenerator with its own connections, its own record sequence and its share of the rate. This
 * thread reads the control file, hands out the shares, adds up the threads' counters into the one
 * stats file and status line, and reports the totals. With 'auto' the number of working threads
 * follows the rate (threadPlan.ts); a thread without a share idles, paused.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ControlFile, applyControl, keepingText, oneReadAtATime } from './controlFile.js';
import { SHUTDOWN_TIMEOUT_MS, type GeneratorIo, type GeneratorTotals } from './generator.js';
import type { GeneratorOptions } from './options.js';
import { StatsFileWriter, formatFinalLine, formatStatusLine, groupDigits, type GeneratorStatsFile } from './stats.js';
import { AUTO_THREAD_RPS, threadShare, workingThreads } from './threadPlan.js';
import type { FromProducerThread, ProducerThreadData, ToProducerThread } from './threadMessages.js';

/** The thread's module next to this one: .js when built, .ts when run from the sources (tsx). */
const THREAD_MODULE = new URL(`./producerThread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface ProducerThread {
  index: number;
  worker: Worker;
  latest: GeneratorStatsFile | null;
  done: Promise<GeneratorTotals | null>;
}

export async function runThreadedGenerator(opts: GeneratorOptions, io: GeneratorIo, cores = availableParallelism()): Promise<GeneratorTotals> {
  const { signal, log } = io;
  const startedWall = new Date();
  const startedPerf = performance.now();
  let targetRps = opts.targetRps;
  let paused = false;
  const most = opts.threads === 'auto' ? Math.max(1, cores) : opts.threads;
  const threads: ProducerThread[] = [];
  let failure: string | null = null;
  const failed = new AbortController();

  const start = (index: number, share: number): ProducerThread => {
    const data: ProducerThreadData = {
      options: {
        ...opts,
        threads: 1,
        targetRps: share,
        statsFile: null,
        controlFile: null,
        clientId: `${opts.clientId}-${index + 1}`,
        // Each thread its own sequence; the same ones on every run with the same seed.
        seed: opts.seed === null ? null : (opts.seed + index) >>> 0,
      },
    };
    const worker = new Worker(THREAD_MODULE, { workerData: data });
    const thread: ProducerThread = { index, worker, latest: null, done: Promise.resolve(null) };
    thread.done = new Promise<GeneratorTotals | null>((resolve) => {
      worker.on('message', (message: FromProducerThread) => {
        if (message.type === 'log') log(`thread ${index + 1}: ${message.line}`);
        else if (message.type === 'stats') thread.latest = message.stats;
        else if (message.type === 'done') resolve(message.totals);
        else fail(`thread ${index + 1} failed: ${message.message}`);
      });
      worker.on('error', (err) => fail(`thread ${index + 1} failed: ${err.stack ?? err.message}`));
      worker.on('exit', () => resolve(null));
    });
    return thread;
  };
  const fail = (message: string) => {
    if (failure) return;
    failure = message;
    log(`${message}; stopping`);
    failed.abort();
  };

  const working = () => workingThreads(opts.threads, targetRps, cores);
  const distribute = () => {
    const n = Math.min(most, working());
    while (threads.length < n) threads.push(start(threads.length, threadShare(targetRps, n, threads.length)));
    for (const t of threads) {
      const share = threadShare(targetRps, n, t.index);
      const order: ToProducerThread = { type: 'control', control: { targetRps: share, paused: paused || share === 0 } };
      t.worker.postMessage(order);
    }
  };

  // --- the sum of the threads' counters: stats file once a second, status line every 5 s ---------
  const sum = (): GeneratorStatsFile => {
    const all = threads.map((t) => t.latest).filter((s): s is GeneratorStatsFile => s !== null);
    const add = (pick: (s: GeneratorStatsFile) => number) => all.reduce((acc, s) => acc + pick(s), 0);
    const rates = all.map((s) => s.achievedRps).filter((r): r is number => r !== null);
    return {
      pid: process.pid,
      startedAt: startedWall.toISOString(),
      at: new Date().toISOString(),
      topic: opts.topic,
      broker: opts.brokers.join(','),
      targetRps,
      paused: paused || targetRps === 0,
      achievedRps: rates.length === 0 ? null : Math.round(rates.reduce((a, b) => a + b, 0) * 10) / 10,
      sent: add((s) => s.sent),
      acked: add((s) => s.acked),
      errors: add((s) => s.errors),
      lastError: failure ?? all.map((s) => s.lastError).find((e) => e !== null) ?? null,
      inFlight: add((s) => s.inFlight),
    };
  };
  const statsWriter = opts.statsFile ? new StatsFileWriter(opts.statsFile, log) : null;
  const controlFile = opts.controlFile ? new ControlFile(opts.controlFile, log) : null;
  let ticks = 0;
  const readControl = async () => {
    const ctl = await controlFile?.read(() => keepingText({ targetRps, paused }));
    const changed = ctl ? applyControl({ targetRps, paused }, ctl) : null;
    if (!changed) return;
    ({ targetRps, paused } = changed.state);
    distribute();
    log(`control: ${changed.changes} (${Math.min(most, working())} of ${threads.length} threads working)`);
  };
  const pollControl = oneReadAtATime(readControl);
  const housekeeping = () => {
    ticks++;
    if (controlFile) pollControl();
    const s = sum();
    statsWriter?.write(s);
    io.onStats?.(s);
    if (ticks % 5 === 0 && threads.some((t) => t.latest !== null)) log(formatStatusLine(s));
  };

  await readControl(); // start at the controlled rate, paused if so
  distribute();
  log(`producing with ${threads.length} thread(s) (${opts.threads === 'auto' ? `auto: one per ${groupDigits(AUTO_THREAD_RPS)}/s, at most ${most}` : 'fixed'}); target ${groupDigits(targetRps)}/s`);
  const timer = setInterval(housekeeping, 1000);
  housekeeping();

  await new Promise<void>((resolve) => {
    if (signal.aborted || failed.signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    failed.signal.addEventListener('abort', () => resolve(), { once: true });
  });

  // --- shutdown: each thread waits for its in-flight sends, then reports its totals --------------
  for (const t of threads) t.worker.postMessage({ type: 'stop' } satisfies ToProducerThread);
  const deadline = new Promise<null>((resolve) => setTimeout(() => resolve(null), 3 * SHUTDOWN_TIMEOUT_MS).unref());
  const ended = await Promise.all(threads.map((t) => Promise.race([t.done, deadline])));
  clearInterval(timer);
  await Promise.all(threads.map((t) => t.worker.terminate()));

  const finished = ended.filter((x): x is GeneratorTotals => x !== null);
  const total = (pick: (t: GeneratorTotals) => number) => finished.reduce((acc, t) => acc + pick(t), 0);
  const producingMs = Math.max(0, ...finished.map((t) => t.producingMs));
  const acked = total((t) => t.acked);
  const totals: GeneratorTotals = {
    startedAt: startedWall.toISOString(),
    stoppedAt: new Date().toISOString(),
    elapsedMs: Math.round(performance.now() - startedPerf),
    producingMs,
    connected: finished.some((t) => t.connected),
    sent: total((t) => t.sent),
    acked,
    errors: total((t) => t.errors),
    lastError: failure ?? finished.map((t) => t.lastError).find((e) => e !== null) ?? null,
    unconfirmed: total((t) => t.unconfirmed),
    averageRps: producingMs > 0 ? Math.round((acked * 1000 * 10) / producingMs) / 10 : 0,
  };
  // The stats file ends with the totals (a thread's last counters may be a second old).
  const final: GeneratorStatsFile = { ...sum(), sent: totals.sent, acked, errors: totals.errors, inFlight: totals.unconfirmed, lastError: totals.lastError };
  io.onStats?.(final);
  if (statsWriter) await statsWriter.flush(final);
  const lost = threads.length - finished.length;
  log(formatFinalLine(totals, `${threads.length} thread(s)`) + (lost > 0 ? `; ${lost} thread(s) gave no totals` : ''));
  return totals;
}
