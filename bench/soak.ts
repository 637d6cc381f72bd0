/**
 * Soak (issue #9): the monitor watching the live lab at 1 Hz with recording on, for an hour.
 * Memory: RSS every 5 s (each minute's lowest kept: the bottom of V8's collection saw-tooth) and,
 * through bench/heapProbe.mjs preloaded into the monitor, the live heap after a forced full
 * collection once a minute. Flat = the least-squares slope after `--steady-from` minutes (the
 * model's rings fill first: 500 batches, 500 stages, 600 lag points) within the noise. CPU is the
 * whole run's average; the recording must be complete (no gap longer than 5 s, readable to its end).
 *
 *   sparktop lab up
 *   node --import tsx bench/soak.ts [--minutes 60] [--steady-from 20] [--columns 120] [--rows 40] [--record FILE]
 *
 * Goals: heap and RSS flat (|slope| < 0.1 MB/min), CPU < 3 % of a core, recording complete. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SPARKTOP_BIN, SPARKTOP_NODE_FLAGS } from '../src/lab/paths.js';
import { argValue, CLK_TCK, cpuTicks, rssMb, slope } from './common.js';

const minutes = Number(argValue('minutes', '60'));
const steadyFrom = Number(argValue('steady-from', '20'));
const columns = Number(argValue('columns', '120'));
const rows = Number(argValue('rows', '40'));
const record = argValue('record', path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-soak-')), 'soak.jsonl'));
const session = `sparktop-soak-${process.pid}`;
if (fs.existsSync(record) && fs.statSync(record).size > 0) {
  console.error(`soak: ${record} exists and is not empty; the monitor would not record into it (choose a new file)`);
  process.exit(2);
}

interface RecordingCheck {
  lines: number;
  samples: number;
  /** Minutes after the recording's start at which the 500th batch arrived (the batch ring is full). */
  batchRingFullAtMinute: number | null;
  tornLines: number;
  maxGapMs: number;
  spanMinutes: number;
  bytes: number;
}

function checkRecording(file: string): RecordingCheck {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  let torn = 0;
  const times: number[] = [];
  let batches = 0;
  let ringFullAt: number | null = null;
  for (const line of lines.slice(1)) {
    try {
      const s = JSON.parse(line) as { t?: unknown; kind?: unknown; data?: { progress?: unknown[] } };
      if (typeof s.t !== 'number') continue;
      times.push(s.t);
      if (s.kind !== 'progress') continue;
      batches += s.data?.progress?.length ?? 0;
      if (ringFullAt === null && batches >= 500) ringFullAt = s.t;
    } catch {
      torn++;
    }
  }
  times.sort((a, b) => a - b);
  let maxGap = 0;
  for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i]! - times[i - 1]!);
  return {
    lines: lines.length,
    samples: times.length,
    batchRingFullAtMinute: ringFullAt === null ? null : Number(((ringFullAt - times[0]!) / 60_000).toFixed(1)),
    tornLines: torn,
    maxGapMs: maxGap,
    spanMinutes: times.length > 1 ? Number(((times.at(-1)! - times[0]!) / 60_000).toFixed(2)) : 0,
    bytes: Buffer.byteLength(text),
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface HeapProbe {
  t: number;
  heapUsedMb: number;
  rssMb: number;
}

function readHeapProbe(file: string, t0: number): Array<[number, number]> {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as HeapProbe)
    .filter((p) => p.t >= t0)
    .map((p) => [Number(((p.t - t0) / 60_000).toFixed(2)), p.heapUsedMb]);
}

/** Slope and spread of the points from `fromMinute` on. */
function trend(points: Array<[number, number]>, fromMinute: number) {
  const steady = points.filter((p) => p[0] >= fromMinute);
  const ys = steady.map((p) => p[1]);
  return {
    slopeMbPerMinute: Number(slope(steady).toFixed(3)),
    min: Math.min(...ys),
    max: Math.max(...ys),
    firstTenMinutesMean: Number(mean(ys.filter((_, i) => steady[i]![0] < fromMinute + 10)).toFixed(1)),
    lastTenMinutesMean: Number(mean(ys.filter((_, i) => steady[i]![0] >= minutes - 10)).toFixed(1)),
  };
}

const heapFile = path.join(path.dirname(record), `heap-${process.pid}.jsonl`);
const heapProbe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'heapProbe.mjs');
execFileSync('tmux', [
  'new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows),
  '-e', 'CI=false', '-e', `SPARKTOP_HEAP_PROBE=${heapFile}`,
  process.execPath, ...SPARKTOP_NODE_FLAGS, '--expose-gc', '--import', heapProbe, SPARKTOP_BIN, '--record', record,
]);
try {
  const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  await delay(15_000);
  const t0 = Date.now();
  const cpu0 = cpuTicks(pid);
  const rss: Array<[number, number]> = [];
  const rssHighest: number[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    let low = Infinity;
    let high = 0;
    while (Date.now() < t0 + (minute + 1) * 60_000) {
      const now = rssMb(pid);
      low = Math.min(low, now);
      high = Math.max(high, now);
      await delay(Math.min(5000, Math.max(0, t0 + (minute + 1) * 60_000 - Date.now())));
    }
    rss.push([minute, Number(low.toFixed(1))]);
    rssHighest.push(Number(high.toFixed(1)));
    process.stderr.write(`soak: minute ${minute + 1}/${minutes}, lowest RSS ${rss.at(-1)![1]} MB\n`);
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = ((cpuTicks(pid) - cpu0) / CLK_TCK / elapsed) * 100;
  execFileSync('tmux', ['send-keys', '-t', session, 'q']);
  for (let i = 0; i < 40 && fs.existsSync(`/proc/${pid}`); i++) await delay(250);
  const heap = readHeapProbe(heapFile, t0);
  console.log(
    JSON.stringify(
      {
        benchmark: 'soak',
        at: new Date().toISOString(),
        minutes,
        terminal: `${columns}x${rows}`,
        refresh: '1s',
        cpuPercentOfOneCore: Number(cpu.toFixed(2)),
        steadyFromMinute: steadyFrom,
        heapAfterGcMb: { perMinute: heap.map((p) => p[1]), steady: trend(heap, steadyFrom) },
        rssLowestPerMinuteMb: { perMinute: rss.map((p) => p[1]), steady: trend(rss, steadyFrom) },
        rssHighestPerMinuteMb: { perMinute: rssHighest, max: Math.max(...rssHighest) },
        recording: { file: record, ...checkRecording(record) },
        goals: { slopeMbPerMinute: 0.1, cpuPercentOfOneCore: 3, maxGapMs: 5000 },
      },
      null,
      2,
    ),
  );
} finally {
  try {
    execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
  } catch {
    /* already gone after q */
  }
}
