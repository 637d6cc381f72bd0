/**
 * Soak (issue #9): the monitor watching the live lab at 1 Hz with recording on, for an hour.
 * RSS is sampled every minute and must be flat (the slope of a least-squares line, and the last
 * quarter's mean against the second quarter's); CPU is the whole run's average; the recording must
 * be complete (no gap longer than 5 s between samples, readable to its end).
 *
 *   sparktop lab up
 *   node --import tsx bench/soak.ts [--minutes 60] [--columns 120] [--rows 40] [--record FILE]
 *
 * Goals: RSS flat (|slope| < 0.1 MB/min), CPU < 3 % of a core, recording complete. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SPARKTOP_BIN } from '../src/lab/paths.js';
import { argValue, CLK_TCK, cpuTicks, rssMb, slope } from './common.js';

const minutes = Number(argValue('minutes', '60'));
const columns = Number(argValue('columns', '120'));
const rows = Number(argValue('rows', '40'));
const record = argValue('record', path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-soak-')), 'soak.jsonl'));
const session = `sparktop-soak-${process.pid}`;

interface RecordingCheck {
  lines: number;
  samples: number;
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
  for (const line of lines.slice(1)) {
    try {
      const s = JSON.parse(line) as { t?: unknown };
      if (typeof s.t === 'number') times.push(s.t);
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
    tornLines: torn,
    maxGapMs: maxGap,
    spanMinutes: times.length > 1 ? Number(((times.at(-1)! - times[0]!) / 60_000).toFixed(2)) : 0,
    bytes: Buffer.byteLength(text),
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-e', 'CI=false', process.execPath, SPARKTOP_BIN, '--record', record]);
try {
  const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  await delay(15_000);
  const t0 = Date.now();
  const cpu0 = cpuTicks(pid);
  const rss: Array<[number, number]> = [];
  for (let minute = 0; minute <= minutes; minute++) {
    rss.push([minute, Number(rssMb(pid).toFixed(1))]);
    process.stderr.write(`soak: minute ${minute}/${minutes}, RSS ${rss.at(-1)![1]} MB\n`);
    if (minute < minutes) await delay(Math.max(0, t0 + (minute + 1) * 60_000 - Date.now()));
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = ((cpuTicks(pid) - cpu0) / CLK_TCK / elapsed) * 100;
  execFileSync('tmux', ['send-keys', '-t', session, 'q']);
  for (let i = 0; i < 40 && fs.existsSync(`/proc/${pid}`); i++) await delay(250);
  const values = rss.map((p) => p[1]);
  const quarter = Math.max(1, Math.floor(values.length / 4));
  console.log(
    JSON.stringify(
      {
        benchmark: 'soak',
        at: new Date().toISOString(),
        minutes,
        terminal: `${columns}x${rows}`,
        refresh: '1s',
        cpuPercentOfOneCore: Number(cpu.toFixed(2)),
        rssMb: {
          perMinute: values,
          slopeMbPerMinute: Number(slope(rss).toFixed(3)),
          secondQuarterMean: Number(mean(values.slice(quarter, 2 * quarter)).toFixed(1)),
          lastQuarterMean: Number(mean(values.slice(-quarter)).toFixed(1)),
        },
        recording: { file: record, ...checkRecording(record) },
        goals: { rssSlopeMbPerMinute: 0.1, cpuPercentOfOneCore: 3, maxGapMs: 5000 },
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
