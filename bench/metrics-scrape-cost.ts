/**
 * What serving `/metrics` costs the monitor: two monitors watch the live lab side by side in tmux
 * for the same seconds, one plain and one with `--metrics`, scraped by this script every
 * `--scrape-every` seconds as Prometheus would. CPU % of each sparktop process from /proc, the
 * scrapes' answer times and sizes.
 *
 *   sparktop lab up
 *   node --import tsx bench/metrics-scrape-cost.ts [--seconds 300] [--scrape-every 15] [--columns 120] [--rows 40]
 *
 * Goal (issue #21): the monitor's CPU with a scrape every 15 s stays within its budget (< 3 % of a
 * core, issue #3). Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { SPARKTOP_BIN, SPARKTOP_NODE_FLAGS } from '../src/lab/paths.js';
import { argValue, CLK_TCK, cpuTicks, msSummary } from './common.js';
import { freeLoopbackPort } from '../src/lab/ports.js';

const columns = Number(argValue('columns', '120'));
const rows = Number(argValue('rows', '40'));
const seconds = Number(argValue('seconds', '300'));
const warmup = Number(argValue('warmup', '15'));
const scrapeEvery = Number(argValue('scrape-every', '15'));

function startMonitor(name: string, args: string[]): { session: string; pid: number } {
  const session = `sparktop-bench-${name}-${process.pid}`;
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-e', 'CI=false', process.execPath, ...SPARKTOP_NODE_FLAGS, SPARKTOP_BIN, ...args]);
  const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  return { session, pid };
}

const port = await freeLoopbackPort();
const url = `http://127.0.0.1:${port}/metrics`;
const plain = startMonitor('plain', []);
const scraped = startMonitor('scraped', ['--metrics', `127.0.0.1:${port}`]);
try {
  await delay(warmup * 1000);
  const t0 = Date.now();
  const cpu0 = { plain: cpuTicks(plain.pid), scraped: cpuTicks(scraped.pid) };
  const answerMs: number[] = [];
  const bytes: number[] = [];
  for (let next = t0; Date.now() - t0 < seconds * 1000; next += scrapeEvery * 1000) {
    await delay(Math.max(0, next - Date.now()));
    if (Date.now() - t0 >= seconds * 1000) break;
    const start = performance.now();
    const body = await (await fetch(url)).text();
    answerMs.push(performance.now() - start);
    bytes.push(Buffer.byteLength(body));
  }
  await delay(Math.max(0, t0 + seconds * 1000 - Date.now()));
  const elapsed = (Date.now() - t0) / 1000;
  const percent = (pid: number, from: number) => Number((((cpuTicks(pid) - from) / CLK_TCK / elapsed) * 100).toFixed(2));
  const cpu = { plain: percent(plain.pid, cpu0.plain), withMetrics: percent(scraped.pid, cpu0.scraped) };
  console.log(
    JSON.stringify(
      {
        benchmark: 'metrics-scrape-cost',
        at: new Date().toISOString(),
        terminal: `${columns}x${rows}`,
        refresh: '1s',
        seconds: Number(elapsed.toFixed(1)),
        scrapeEverySeconds: scrapeEvery,
        scrapes: answerMs.length,
        scrapeAnswerMs: msSummary(answerMs),
        scrapeBytes: { min: Math.min(...bytes), max: Math.max(...bytes) },
        cpuPercentOfOneCore: cpu,
        differencePoints: Number((cpu.withMetrics - cpu.plain).toFixed(2)),
        goals: { cpuPercentOfOneCore: 3 },
      },
      null,
      2,
    ),
  );
} finally {
  for (const m of [plain, scraped]) execFileSync('tmux', ['kill-session', '-t', m.session]);
}
