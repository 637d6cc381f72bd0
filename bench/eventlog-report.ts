/**
 * `sparktop report --event-log` of a 1 GB Spark event log: time and peak memory, plain vs zstd side
 * by side. The log is the lab's real one (test/fixtures/eventlog/plain-file) repeated: every
 * repetition after the first shifts times, job/stage/task ids, batch ids and Kafka offsets, so it
 * reads as one long run; the start-up events (application, environment, executors, query start)
 * are written once. The zstd copy is made by the `zstd` command at level 1 (Spark's default).
 *
 * Each measurement runs in a child process of its own (peak RSS is per process):
 *   - `pass`: the event-log source alone (decode, parse, convert; samples counted, not kept);
 *   - `report`: the whole report as the command makes it (today the report holds every sample).
 *
 *   node --import tsx bench/eventlog-report.ts [--gb 1] [--keep]
 *
 * Prints one JSON object.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { argValue } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'eventlog', 'plain-file');

type Json = Record<string, unknown>;

/** Start-up events: written once, at the start of the long log. */
const ONCE = new Set([
  'SparkListenerLogStart',
  'SparkListenerResourceProfileAdded',
  'SparkListenerBlockManagerAdded',
  'SparkListenerEnvironmentUpdate',
  'SparkListenerApplicationStart',
  'SparkListenerExecutorAdded',
  'org.apache.spark.sql.streaming.StreamingQueryListener$QueryStartedEvent',
]);
/** End events: left out (the long log ends as the fixture's last batch does). */
const ENDING = new Set(['SparkListenerApplicationEnd', 'SparkListenerExecutorRemoved', 'org.apache.spark.sql.streaming.StreamingQueryListener$QueryTerminatedEvent']);
const TIME_KEYS = new Set(['Timestamp', 'Submission Time', 'Completion Time', 'Launch Time', 'Finish Time', 'Registration Time', 'time']);

interface Shift {
  ms: number;
  job: number;
  stage: number;
  task: number;
  batch: number;
  offsets: Map<string, number>;
}

function shiftOffsets(text: unknown, by: Map<string, number>): unknown {
  if (typeof text !== 'string') return text;
  const o = JSON.parse(text) as Record<string, Record<string, number>>;
  for (const [topic, partitions] of Object.entries(o)) for (const p of Object.keys(partitions)) partitions[p]! += by.get(`${topic}/${p}`) ?? 0;
  return JSON.stringify(o);
}

/** A copy of `value` with times and ids moved by `s` (recursively, by key). */
function shifted(value: unknown, s: Shift, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => shifted(v, s, key === 'Stage IDs' || key === 'Parent IDs' ? 'Stage ID' : ''));
  if (typeof value === 'number') {
    if (TIME_KEYS.has(key) && value > 0) return value + s.ms;
    if (key === 'Job ID') return value + s.job;
    if (key === 'Stage ID') return value + s.stage;
    if (key === 'Task ID') return value + s.task;
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === 'timestamp' && typeof v === 'string') out[k] = new Date(Date.parse(v) + s.ms).toISOString();
    else if (k === 'batchId' && typeof v === 'number') out[k] = v + s.batch;
    else if ((k === 'startOffset' || k === 'endOffset' || k === 'latestOffset') && typeof v === 'string') out[k] = shiftOffsets(v, s.offsets);
    else out[k] = shifted(v, s, k);
  }
  return out;
}

/** Writes the long plain log (≈ `bytes`) and returns its events count. */
function writeLongLog(file: string, bytes: number): { events: number; repetitions: number; batches: number } {
  const source = fs.readdirSync(FIXTURE).find((f) => !f.startsWith('.'))!;
  const events = fs
    .readFileSync(path.join(FIXTURE, source), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
  const times: number[] = [];
  let maxJob = 0;
  let maxStage = 0;
  let maxTask = 0;
  let maxBatch = 0;
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key === 'Stage IDs' || key === 'Parent IDs' ? 'Stage ID' : ''));
    if (typeof v === 'number') {
      if (TIME_KEYS.has(key) && v > 0) times.push(v);
      if (key === 'Job ID') maxJob = Math.max(maxJob, v);
      if (key === 'Stage ID') maxStage = Math.max(maxStage, v);
      if (key === 'Task ID') maxTask = Math.max(maxTask, v);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v as Json)) {
      if (k === 'batchId' && typeof x === 'number') maxBatch = Math.max(maxBatch, x);
      if ((k === 'startOffset' || k === 'latestOffset') && typeof x === 'string') {
        for (const [topic, ps] of Object.entries(JSON.parse(x) as Record<string, Record<string, number>>)) {
          for (const [p, o] of Object.entries(ps)) {
            const id = `${topic}/${p}`;
            if (k === 'startOffset' && !first.has(id)) first.set(id, o);
            if (k === 'latestOffset') last.set(id, o);
          }
        }
      }
      walk(x, k);
    }
  };
  events.forEach((e) => walk(e));
  const span = Math.max(...times) - Math.min(...times) + 1000;
  const offsetSpan = new Map([...last].map(([id, o]) => [id, o - (first.get(id) ?? 0)]));
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let count = 0;
  let rep = 0;
  const progressPerRep = events.filter((e) => String(e.Event).endsWith('QueryProgressEvent')).length;
  try {
    for (; written < bytes; rep++) {
      const s: Shift = {
        ms: rep * span,
        job: rep * (maxJob + 1),
        stage: rep * (maxStage + 1),
        task: rep * (maxTask + 1),
        batch: rep * (maxBatch + 1),
        offsets: new Map([...offsetSpan].map(([id, n]) => [id, rep * n])),
      };
      const lines: string[] = [];
      for (const e of events) {
        if (ENDING.has(String(e.Event)) || (rep > 0 && ONCE.has(String(e.Event)))) continue;
        lines.push(JSON.stringify(rep === 0 ? e : shifted(e, s)));
      }
      const chunk = `${lines.join('\n')}\n`;
      fs.writeSync(fd, chunk);
      written += Buffer.byteLength(chunk);
      count += lines.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { events: count, repetitions: rep, batches: rep * progressPerRep };
}

const round = (n: number) => Number(n.toFixed(1));

/** In the child: one measurement, printed as JSON. */
async function child(mode: string, log: string): Promise<void> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let extra: Json = {};
  if (mode === 'pass') {
    const { openEventLog } = await import('../src/sources/eventLog/reader.js');
    const stream = await openEventLog(log);
    let samples = 0;
    for await (const _ of stream.samples) samples++;
    extra = { samples, events: stream.events() };
  } else {
    const { reportCommand } = await import('../src/commands/report.js');
    const out = path.join(os.tmpdir(), `sparktop-bench-eventlog-${process.pid}.md`);
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true; // the command's "report: FILE" line
    const code = await reportCommand(log, { output: out, force: true, eventLog: log });
    process.stdout.write = write;
    extra = { exit: code, reportKB: round(fs.statSync(out).size / 1024) };
    fs.rmSync(out, { force: true });
  }
  const u = process.cpuUsage(cpu);
  console.log(JSON.stringify({ wallMs: round(performance.now() - start), cpuMs: round((u.user + u.system) / 1000), peakRssMB: round(process.resourceUsage().maxRSS / 1024), ...extra }));
}

async function main(): Promise<void> {
  const gb = Number(argValue('gb', '1'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-eventlog-'));
  const plain = path.join(dir, 'app-20261205202259-0007');
  const zstd = `${plain}.zstd`;
  try {
    const t0 = performance.now();
    const built = writeLongLog(plain, gb * 1e9);
    const buildMs = performance.now() - t0;
    execFileSync('zstd', ['-q', '-1', '-T2', plain, '-o', zstd]);
    const runs: Json[] = [];
    for (const mode of ['pass', 'report']) {
      for (const [codec, log] of [
        ['none', plain],
        ['zstd', zstd],
      ] as const) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, log], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
        if (r.status !== 0) throw new Error(`${mode} ${codec}: ${r.stderr}`);
        runs.push({ mode, codec, sizeMB: round(fs.statSync(log).size / 1e6), ...(JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Json) });
      }
    }
    console.log(
      JSON.stringify(
        {
          benchmark: 'eventlog-report',
          at: new Date().toISOString(),
          node: process.version,
          cpus: os.cpus().length,
          plainMB: round(fs.statSync(plain).size / 1e6),
          zstdMB: round(fs.statSync(zstd).size / 1e6),
          ...built,
          buildMs: round(buildMs),
          runs,
        },
        null,
        2,
      ),
    );
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!);
else await main();
