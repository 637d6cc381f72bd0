/**
 * The monitor watching the live lab at 1 Hz, in tmux at a given size: terminal output bytes/s (all
 * bytes the pane received, through `tmux pipe-pane`), and CPU % and RSS of the sparktop process.
 *
 *   sparktop lab up
 *   node --import tsx bench/monitor-live.ts [--columns 120] [--rows 40] [--seconds 300] [--record FILE]
 *
 * Goals (issue #3): ≤ 4 KB/s at 120×40; < 3 % of a core; < 150 MB RSS, flat. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SPARKTOP_BIN, SPARKTOP_NODE_FLAGS } from '../src/lab/paths.js';
import { argValue, CLK_TCK, cpuTicks, rssMb, slope } from './common.js';

const columns = Number(argValue('columns', '120'));
const rows = Number(argValue('rows', '40'));
const seconds = Number(argValue('seconds', '300'));
const warmup = Number(argValue('warmup', '15'));
const session = `sparktop-bench-${process.pid}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-'));
const outFile = path.join(workDir, 'pane.bytes');
// Recording costs CPU too (every answer serialised): measured separately when asked for.
const record = argValue('record', '');
const recordArgs = record ? ['--record', record] : [];
execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-e', 'CI=false', process.execPath, ...SPARKTOP_NODE_FLAGS, SPARKTOP_BIN, ...recordArgs]);
try {
  const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  await delay(warmup * 1000);
  execFileSync('tmux', ['pipe-pane', '-o', '-t', session, `cat > ${outFile}`]);
  const t0 = Date.now();
  const cpu0 = cpuTicks(pid);
  const rss: Array<[number, number]> = [];
  while (Date.now() - t0 < seconds * 1000) {
    rss.push([(Date.now() - t0) / 1000, rssMb(pid)]);
    await delay(Math.min(10_000, seconds * 1000 - (Date.now() - t0) + 10));
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = ((cpuTicks(pid) - cpu0) / CLK_TCK / elapsed) * 100;
  execFileSync('tmux', ['pipe-pane', '-t', session]);
  const bytes = fs.statSync(outFile).size;
  const rssValues = rss.map((p) => p[1]);
  console.log(
    JSON.stringify(
      {
        benchmark: 'monitor-live',
        at: new Date().toISOString(),
        terminal: `${columns}x${rows}`,
        refresh: '1s',
        recording: record !== '',
        seconds: Number(elapsed.toFixed(1)),
        outputBytesPerSecond: Math.round(bytes / elapsed),
        cpuPercentOfOneCore: Number(cpu.toFixed(2)),
        rssMb: { min: Math.min(...rssValues), max: Math.max(...rssValues), last: rssValues.at(-1), slopeMbPerMinute: Number((slope(rss) * 60).toFixed(3)) },
        goals: { outputBytesPerSecond: 4096, cpuPercentOfOneCore: 3, rssMb: 150 },
      },
      null,
      2,
    ),
  );
} finally {
  execFileSync('tmux', ['kill-session', '-t', session]);
}
