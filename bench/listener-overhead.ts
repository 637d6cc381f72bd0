/**
 * The progress listener's overhead on the lab's job: the same job under the same load, submitted
 * in turn (a) with the JVM listener attached by configuration (what `sparktop submit` does),
 * (b) with no listener at all, (c) with the job's in-process Python listener (`--listener on`).
 * The configurations are interleaved over rounds (the order rotates each round: ABC, BCA, CAB, …)
 * so that the machine's noise hits all of them alike.
 *
 *   sparktop lab up --generators 1 --rps 5000 --executor-cores 1 --total-executor-cores 2 \
 *     --shuffle-partitions 2 [ports, --cache-dir]
 *   node --import tsx bench/listener-overhead.ts --cache-dir DIR [--rounds 5] [--settle 10]
 *     [--batches 30] [--max-offsets-per-trigger 2000] [--no-poll] [--bootstrap 2000]
 *
 * Batch durations come from the query's checkpoint, read the same way for every configuration (the
 * listener cannot be the source: (b) has none): batch N lasts from offsets/N's batchTimestampMs
 * (set when the batch is planned, before the source's latest offsets are asked for) to the mtime of
 * commits/N (written when its sink has committed). The cycle is batchTimestampMs(N+1) −
 * batchTimestampMs(N): also the progress reporting after the commit. The batch cap is set below
 * what the job can drain at the generators' rate, so every measured batch holds exactly
 * maxOffsetsPerTrigger records, give or take one per partition (checked; see `batchesAtCap`). While a listener is attached it is read
 * once a second (`/progress?since=…`), as the monitor does; `--no-poll` leaves it alone.
 *
 * Also per block: the CPU time of the driver's process group (the JVM and the Python process) and
 * of the executors, per measured batch, from /proc: a listener's own work is in the driver.
 *
 * Prints one JSON object; progress lines go to stderr. At the end the lab's job is resubmitted as
 * the lab runs it (JVM listener, the lab's resources).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { SubmitPlan } from '../src/domain/sparkSubmit.js';
import { formatCommandLine } from '../src/domain/sparkSubmit.js';
import { diedReason } from '../src/lab/components.js';
import { listenerUrl, type LabConfig } from '../src/lab/labConfig.js';
import { acquireLock } from '../src/lab/lock.js';
import { labPaths, type LabPaths } from '../src/lab/paths.js';
import { isPortOpen } from '../src/lab/ports.js';
import { provision, type Provisioned } from '../src/lab/provision/provision.js';
import { LISTENER_CLASS } from '../src/lab/provision/listenerJar.js';
import { runningLabConfig } from '../src/lab/resubmit.js';
import { driverListsApp, findRunningApp, activeAppsOfOurs, newCheckpointDir, planSubmission } from '../src/lab/sparkJob.js';
import { startJobProcess, stopJob, submitJob, waitJobPortsFree } from '../src/lab/submit.js';
import { waitFor } from '../src/lab/wait.js';
import { argValue, CLK_TCK } from './common.js';
import { mulberry32 as rng } from '../src/generator/records.js';

type ConfigName = 'jvm' | 'none' | 'python';
const CONFIGS: Record<ConfigName, string> = {
  jvm: 'JVM listener (by configuration, as the lab submits)',
  none: 'no listener',
  python: 'Python listener (the job\'s --listener on)',
};

const cacheDir = path.resolve(argValue('cache-dir', path.join(os.homedir(), '.cache', 'sparktop')));
const rounds = Number(argValue('rounds', '5'));
const settle = Number(argValue('settle', '10'));
const measured = Number(argValue('batches', '30'));
const cap = Number(argValue('max-offsets-per-trigger', '2000'));
const bootstrapIterations = Number(argValue('bootstrap', '2000'));
const poll = !process.argv.includes('--no-poll');
const order = argValue('order', 'jvm,none,python').split(',') as ConfigName[];
const outFile = argValue('out', '');

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

// ---------------------------------------------------------------------------- the three plans

function withoutJvmListener(plan: SubmitPlan, listenerJar: string): SubmitPlan {
  const args: string[] = [];
  for (let i = 0; i < plan.args.length; i++) {
    const a = plan.args[i]!;
    const v = plan.args[i + 1];
    if (a === '--conf' && v !== undefined && (v.startsWith('spark.sql.streaming.streamingQueryListeners=') || v.startsWith('spark.sparktop.'))) {
      i++;
      continue;
    }
    if (a === '--jars' && v !== undefined) {
      const jars = v.split(',').filter((j) => j !== listenerJar);
      if (jars.length > 0) args.push(a, jars.join(','));
      i++;
      continue;
    }
    args.push(a);
  }
  return { ...plan, args };
}

function setJobArg(plan: SubmitPlan, appFile: string, name: string, value: string): SubmitPlan {
  const args = [...plan.args];
  const from = args.indexOf(appFile) + 1;
  const at = args.indexOf(`--${name}`, from);
  if (at >= 0) args[at + 1] = value;
  else args.push(`--${name}`, value);
  return { ...plan, args };
}

function planFor(name: ConfigName, config: LabConfig, paths: LabPaths, prov: Provisioned, checkpoint: string): SubmitPlan {
  const resources = { ...config.resources, maxOffsetsPerTrigger: cap };
  const plan = planSubmission(config, paths, prov, resources, checkpoint);
  if (name === 'jvm') return plan;
  const bare = withoutJvmListener(plan, prov.listenerJar.jar);
  if (name === 'none') return bare;
  const appFile = bare.args.find((a) => a.endsWith('.py'))!;
  let p = setJobArg(bare, appFile, 'listener', 'on');
  p = setJobArg(p, appFile, 'listener-host', '127.0.0.1');
  return setJobArg(p, appFile, 'listener-port', String(config.listenerPort));
}

/** Checks the three plans differ only where they should. */
function checkPlans(config: LabConfig, paths: LabPaths, prov: Provisioned): void {
  const plans = Object.fromEntries((['jvm', 'none', 'python'] as const).map((n) => [n, planFor(n, config, paths, prov, '/tmp/x')]));
  const hasJvm = (p: SubmitPlan) => p.args.some((a) => a.includes(LISTENER_CLASS)) && p.args.some((a) => a.includes(prov.listenerJar.jar));
  const jobListener = (p: SubmitPlan) => p.args[p.args.indexOf('--listener') + 1];
  if (!hasJvm(plans.jvm!) || jobListener(plans.jvm!) !== 'off') throw new Error('the jvm plan lacks the JVM listener');
  if (hasJvm(plans.none!) || plans.none!.args.some((a) => a.startsWith('spark.sparktop.')) || jobListener(plans.none!) !== 'off') throw new Error('the none plan has a listener');
  if (hasJvm(plans.python!) || jobListener(plans.python!) !== 'on') throw new Error('the python plan is wrong');
}

// ---------------------------------------------------------------------------- submission

async function submit(name: ConfigName, config: LabConfig, paths: LabPaths, prov: Provisioned) {
  const release = acquireLock(paths.lockFile, 'submit (bench/listener-overhead)');
  try {
    const before = new Set(await activeAppsOfOurs(config));
    await stopJob(config, paths, () => undefined);
    await waitJobPortsFree(config, 30_000);
    const checkpoint = newCheckpointDir(paths, config.query);
    const plan = planFor(name, config, paths, prov, checkpoint);
    const record = await startJobProcess(paths, config, prov, plan);
    const failFast = diedReason(record);
    const appId = await waitFor('the application to register', () => findRunningApp(config, before), { timeoutMs: 180_000, failFast });
    await waitFor('the driver REST API', () => driverListsApp(config, appId), { timeoutMs: 120_000, failFast });
    return { appId, record, checkpoint, commandLine: formatCommandLine(plan) };
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------- the checkpoint

interface BatchTiming {
  batchId: number;
  startMs: number;
  planMs: number;
  durationMs: number;
  records: number;
}

function readOffsets(checkpoint: string, id: number): { ts: number; mtime: number; total: number } {
  const file = path.join(checkpoint, 'offsets', String(id));
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const meta = JSON.parse(lines[1]!) as { batchTimestampMs: number };
  const offsets = JSON.parse(lines[2]!) as Record<string, Record<string, number>>;
  const total = Object.values(offsets).reduce((s, parts) => s + Object.values(parts).reduce((a, b) => a + b, 0), 0);
  return { ts: meta.batchTimestampMs, mtime: fs.statSync(file).mtimeMs, total };
}

function committed(checkpoint: string): number {
  try {
    return fs.readdirSync(path.join(checkpoint, 'commits')).filter((f) => /^\d+$/.test(f)).length;
  } catch {
    return 0;
  }
}

function batchTimings(checkpoint: string, from: number, to: number): { batches: BatchTiming[]; cyclesMs: number[] } {
  const batches: BatchTiming[] = [];
  const cyclesMs: number[] = [];
  for (let id = from; id <= to; id++) {
    const o = readOffsets(checkpoint, id);
    const prev = readOffsets(checkpoint, id - 1);
    const commit = fs.statSync(path.join(checkpoint, 'commits', String(id))).mtimeMs;
    batches.push({ batchId: id, startMs: o.ts, planMs: o.mtime - o.ts, durationMs: commit - o.ts, records: o.total - prev.total });
    if (fs.existsSync(path.join(checkpoint, 'offsets', String(id + 1)))) cyclesMs.push(readOffsets(checkpoint, id + 1).ts - o.ts);
  }
  return { batches, cyclesMs };
}

// ---------------------------------------------------------------------------- CPU from /proc

function procStat(pid: number): { pgid: number; ticks: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgid: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function pids(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** CPU ticks of the driver (its process group) and of the app's executors (their command line names the app id). */
function cpuTicks(driverPgid: number, appId: string): { driver: number; executors: number } {
  let driver = 0;
  let executors = 0;
  for (const pid of pids()) {
    const s = procStat(pid);
    if (!s) continue;
    if (s.pgid === driverPgid) driver += s.ticks;
    else {
      let cmd = '';
      try {
        cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes('CoarseGrainedExecutorBackend') && cmd.includes(appId)) executors += s.ticks;
    }
  }
  return { driver, executors };
}

// ---------------------------------------------------------------------------- statistics

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const median = (xs: readonly number[]) => quantile(xs, 0.5);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;


/**
 * Two-stage paired bootstrap of quantile(num) / quantile(den): rounds are drawn with replacement
 * (the same rounds for both configurations: a round's noise is shared), then each drawn block's
 * batches are drawn with replacement. 95 % percentile interval.
 */
function bootstrapRatio(blocks: Record<ConfigName, number[][]>, num: ConfigName, den: ConfigName, q: number, iterations: number) {
  const rand = rng(12345);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const n = blocks[num].length;
  const ratios: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < n; r++) {
      const round = Math.floor(rand() * n);
      for (let i = 0; i < blocks[num][round]!.length; i++) a.push(pick(blocks[num][round]!));
      for (let i = 0; i < blocks[den][round]!.length; i++) b.push(pick(blocks[den][round]!));
    }
    ratios.push(quantile(a, q) / quantile(b, q));
  }
  const all = (c: ConfigName) => blocks[c].flat();
  return { ratio: r4(quantile(all(num), q) / quantile(all(den), q)), ci95: [r4(quantile(ratios, 0.025)), r4(quantile(ratios, 0.975))] as [number, number] };
}

function verdict(ci: [number, number], tolerance: number): string {
  const pct = (x: number) => `${((x - 1) * 100).toFixed(1)} %`;
  if (ci[0] >= 1 - tolerance && ci[1] <= 1 + tolerance) return `within ${tolerance * 100} % (95 % interval ${pct(ci[0])} … ${pct(ci[1])})`;
  if (ci[0] > 1 + tolerance) return `slower by more than ${tolerance * 100} % (95 % interval ${pct(ci[0])} … ${pct(ci[1])})`;
  if (ci[1] < 1 - tolerance) return `faster by more than ${tolerance * 100} % (95 % interval ${pct(ci[0])} … ${pct(ci[1])})`;
  return `not resolved at ${tolerance * 100} %: the 95 % interval ${pct(ci[0])} … ${pct(ci[1])} is wider than that`;
}

// ---------------------------------------------------------------------------- the run

interface Block {
  round: number;
  config: ConfigName;
  appId: string;
  submitSeconds: number;
  batches: BatchTiming[];
  cyclesMs: number[];
  capped: number;
  medianMs: number;
  driverCpuMsPerBatch: number;
  executorCpuMsPerBatch: number;
  listenerPolls: number;
  listenerPollErrors: number;
  loadavg: [number, number];
  otherLabs: number[];
}

const OTHER_LAB_PORTS = [4040, 4090, 7077, 8080, 9094, 24040, 24090, 27077, 28080, 29094];

async function otherLabsUp(): Promise<number[]> {
  const open = await Promise.all(OTHER_LAB_PORTS.map((p) => isPortOpen(p, '127.0.0.1', 300)));
  return OTHER_LAB_PORTS.filter((_, i) => open[i]);
}

async function runBlock(round: number, name: ConfigName, config: LabConfig, paths: LabPaths, prov: Provisioned): Promise<Block> {
  const t0 = Date.now();
  const load0 = os.loadavg()[0]!;
  const others = await otherLabsUp();
  const { appId, record, checkpoint } = await submit(name, config, paths, prov);
  const submitSeconds = (Date.now() - t0) / 1000;
  log(`round ${round} ${name}: ${appId} up in ${submitSeconds.toFixed(0)} s; settling ${settle} batches`);
  const alive = diedReason(record);
  const last = settle + measured - 1;
  let polls = 0;
  let pollErrors = 0;
  let since = -1;
  let nextPoll = Date.now();
  let cpu0: { driver: number; executors: number } | null = null;
  const deadline = Date.now() + 20 * 60_000;
  // +1: the cycle of the last measured batch needs the next batch's offsets
  while (committed(checkpoint) < last + 2) {
    const died = alive();
    if (died) throw new Error(`round ${round} ${name}: the job died: ${died}`);
    if (Date.now() > deadline) throw new Error(`round ${round} ${name}: ${last + 2} batches not committed within 20 minutes`);
    if (cpu0 === null && committed(checkpoint) >= settle) cpu0 = cpuTicks(record.pid, appId);
    if (poll && name !== 'none' && Date.now() >= nextPoll) {
      nextPoll = Math.max(nextPoll + 1000, Date.now());
      polls++;
      try {
        const res = await fetch(`${listenerUrl(config)}/progress${since >= 0 ? `?since=${since}` : ''}`, { signal: AbortSignal.timeout(2000) });
        const body = (await res.json()) as { progress?: Array<{ batchId: number }> };
        for (const p of body.progress ?? []) since = Math.max(since, p.batchId);
      } catch {
        pollErrors++;
      }
    }
    await delay(100);
  }
  const cpu1 = cpuTicks(record.pid, appId);
  const { batches, cyclesMs } = batchTimings(checkpoint, settle, last);
  const perBatch = (t: number) => r1(((t * 1000) / CLK_TCK) / batches.length);
  const block: Block = {
    round,
    config: name,
    appId,
    submitSeconds: r1(submitSeconds),
    batches,
    cyclesMs,
    // Spark splits the cap over the partitions and rounds each share down
    capped: batches.filter((b) => b.records <= cap && b.records >= cap - config.partitions).length,
    medianMs: r1(median(batches.map((b) => b.durationMs))),
    driverCpuMsPerBatch: cpu0 ? perBatch(cpu1.driver - cpu0.driver) : NaN,
    executorCpuMsPerBatch: cpu0 ? perBatch(cpu1.executors - cpu0.executors) : NaN,
    listenerPolls: polls,
    listenerPollErrors: pollErrors,
    loadavg: [r1(load0), r1(os.loadavg()[0]!)],
    otherLabs: others,
  };
  log(
    `round ${round} ${name}: median ${block.medianMs} ms, p95 ${r1(quantile(batches.map((b) => b.durationMs), 0.95))} ms, ` +
      `${block.capped}/${batches.length} batches at the cap, driver CPU ${block.driverCpuMsPerBatch} ms/batch, load ${block.loadavg.join('→')}` +
      (others.length ? `, other labs on ${others.join(',')}` : ''),
  );
  return block;
}

function summarise(blocks: Block[]) {
  const per = (c: ConfigName) => blocks.filter((b) => b.config === c);
  const summary = (c: ConfigName) => {
      const bs = per(c);
      const d = bs.flatMap((b) => b.batches.map((x) => x.durationMs));
      const cycles = bs.flatMap((b) => b.cyclesMs);
      return {
          description: CONFIGS[c],
          batches: d.length,
          p50Ms: r1(quantile(d, 0.5)),
          p95Ms: r1(quantile(d, 0.95)),
          meanMs: r1(mean(d)),
          maxMs: r1(Math.max(...d)),
          cycleP50Ms: r1(quantile(cycles, 0.5)),
          cycleP95Ms: r1(quantile(cycles, 0.95)),
          planP50Ms: r1(quantile(bs.flatMap((b) => b.batches.map((x) => x.planMs)), 0.5)),
          recordsPerBatch: r1(mean(bs.flatMap((b) => b.batches.map((x) => x.records)))),
          recordsPerBatchRange: [Math.min(...bs.flatMap((b) => b.batches.map((x) => x.records))), Math.max(...bs.flatMap((b) => b.batches.map((x) => x.records)))],
          batchesAtCap: bs.reduce((s, b) => s + b.capped, 0),
          roundMediansMs: bs.map((b) => b.medianMs),
          driverCpuMsPerBatch: r1(median(bs.map((b) => b.driverCpuMsPerBatch))),
          driverCpuMsPerBatchPerRound: bs.map((b) => b.driverCpuMsPerBatch),
          executorCpuMsPerBatch: r1(median(bs.map((b) => b.executorCpuMsPerBatch))),
          submitSeconds: bs.map((b) => b.submitSeconds),
      };
  };
  // Only the configurations the run had (--order): e.g. `--order jvm,none` for the issue's goal alone.
  const ran = (c: ConfigName) => order.includes(c);
  const configs: Partial<Record<ConfigName, ReturnType<typeof summary>>> = {};
  for (const c of order) configs[c] = summary(c);
  const blocksOf = (c: ConfigName) => per(c).map((b) => b.batches.map((x) => x.durationMs));
  const durations = { jvm: blocksOf('jvm'), none: blocksOf('none'), python: blocksOf('python') };
  const ratio = (num: ConfigName, den: ConfigName) => {
    if (!ran(num) || !ran(den)) return undefined;
    const p50 = bootstrapRatio(durations, num, den, 0.5, bootstrapIterations);
    const p95 = bootstrapRatio(durations, num, den, 0.95, bootstrapIterations);
    const roundRatios = per(num).map((b, i) => r4(b.medianMs / per(den)[i]!.medianMs));
    return { p50, p95, roundMedianRatios: roundRatios, p50Verdict: verdict(p50.ci95, 0.01), p95Verdict: verdict(p95.ci95, 0.01) };
  };
  return { configs, ratios: { jvmOverNone: ratio('jvm', 'none'), jvmOverPython: ratio('jvm', 'python'), pythonOverNone: ratio('python', 'none') } };
}

const paths = labPaths(cacheDir);
const labConfig = runningLabConfig(paths);
if (typeof labConfig === 'string') throw new Error(labConfig);
const config: LabConfig = labConfig;
const prov = await provision(paths, config.python, log);
checkPlans(config, paths, prov);
log(`lab in ${cacheDir}: ${config.generators} generator(s) × ${config.rps} rec/s, cap ${cap} records per batch; ${rounds} rounds × ${order.join(',')}`);
const started = new Date();
const blocks: Block[] = [];
let aborted: string | null = null;
try {
  for (let round = 1; round <= rounds; round++) {
    const rotated = order.map((_, i) => order[(i + round - 1) % order.length]!);
    for (const name of rotated) blocks.push(await runBlock(round, name, config, paths, prov));
    if (outFile) fs.writeFileSync(outFile, JSON.stringify({ partial: true, blocks }, null, 2));
  }
} catch (err) {
  aborted = (err as Error).message;
  log(`stopped: ${aborted}`);
}
log('restoring the lab\'s job (JVM listener, the lab\'s resources)');
await submitJob({ config, paths, prov, resources: config.resources, log: () => undefined, waitForFirstBatch: false }).catch((err: Error) => log(`restore failed: ${err.message}`));

const completeRounds = Math.floor(blocks.length / order.length);
const complete = blocks.filter((b) => b.round <= completeRounds);
const byRound = (c: ConfigName) => complete.filter((b) => b.config === c).sort((a, b) => a.round - b.round);
const sorted = [...byRound('jvm'), ...byRound('none'), ...byRound('python')];
const summary = complete.length === 0 ? null : summarise(sorted);
const result = {
  benchmark: 'listener-overhead',
  at: started.toISOString(),
  minutes: r1((Date.now() - started.getTime()) / 60_000),
  machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? null, memoryGb: Math.round(os.totalmem() / 1024 ** 3) },
  setup: {
    generators: config.generators,
    rpsPerGenerator: config.rps,
    partitions: config.partitions,
    maxOffsetsPerTrigger: cap,
    resources: { ...config.resources, maxOffsetsPerTrigger: cap },
    query: config.query,
    workers: config.workers,
    workerCores: config.workerCores,
    workerMemory: config.workerMemory,
  },
  method: {
    rounds: completeRounds,
    roundsAsked: rounds,
    order: 'rotated each round: ' + order.join(','),
    settleBatches: settle,
    measuredBatchesPerBlock: measured,
    batchDuration: 'checkpoint: mtime(commits/N) − batchTimestampMs(offsets/N), the same for every configuration',
    cycle: 'batchTimestampMs(offsets/N+1) − batchTimestampMs(offsets/N)',
    listenerPolledEverySecond: poll,
    bootstrap: `${bootstrapIterations} two-stage paired resamples (rounds, then batches in each block), 95 % percentile interval`,
  },
  aborted,
  ...(summary ?? {}),
  blocks: blocks.map(({ batches, cyclesMs, ...rest }) => ({ ...rest, durationsMs: batches.map((b) => r1(b.durationMs)), cyclesMs: cyclesMs.map(r1) })),
  script: path.relative(process.cwd(), new URL(import.meta.url).pathname),
};
const text = JSON.stringify(result, null, 2);
if (outFile) fs.writeFileSync(outFile, text);
console.log(text);
if (summary) {
  const c = summary.configs;
  log('summary:');
  for (const n of order) log(`  ${CONFIGS[n]}: ${c[n]!.batches} batches, p50 ${c[n]!.p50Ms} ms, p95 ${c[n]!.p95Ms} ms`);
  const said = (label: string, r: ReturnType<typeof summarise>['ratios']['jvmOverNone']) => {
    if (r) log(`  ${label} p50 ${r.p50.ratio} [${r.p50.ci95.join(', ')}]: ${r.p50Verdict}; p95 ${r.p95.ratio} [${r.p95.ci95.join(', ')}]: ${r.p95Verdict}`);
  };
  said('JVM / none  ', summary.ratios.jvmOverNone);
  said('JVM / Python', summary.ratios.jvmOverPython);
}
process.exit(aborted ? 1 : 0);
