/**
 * Latency from the progress listener receiving a micro-batch to the first frame that shows it:
 * the listener is polled every 100 ms (the moment a batch id first appears there is when Spark
 * reported it), the monitor's screen in tmux likewise (the moment `#<id>` first appears on screen).
 *
 *   sparktop lab up
 *   node --import tsx bench/monitor-latency.ts [--batches 10] [--listener http://127.0.0.1:4090]
 *
 * Goal (issue #3): p95 < 1.5 s at the default 1 s refresh. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { SPARKTOP_BIN, SPARKTOP_NODE_FLAGS } from '../src/lab/paths.js';
import { argValue } from './common.js';

const batches = Number(argValue('batches', '10'));
const listener = argValue('listener', 'http://127.0.0.1:4090');
const session = `sparktop-latency-${process.pid}`;

async function listenerBatchIds(): Promise<number[]> {
  try {
    const res = await fetch(`${listener}/progress`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { progress: Array<{ batchId: number }> };
    return body.progress.map((p) => p.batchId);
  } catch {
    return [];
  }
}

function screenBatchId(): number | null {
  const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
  const m = /last #(\d+)/.exec(screen);
  return m ? Number(m[1]) : null;
}

execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-e', 'CI=false', process.execPath, ...SPARKTOP_NODE_FLAGS, SPARKTOP_BIN]);
const seenByListener = new Map<number, number>();
const seenOnScreen = new Map<number, number>();
try {
  const known = new Set(await listenerBatchIds());
  const deadline = Date.now() + 30 * 60_000;
  while (seenOnScreen.size < batches && Date.now() < deadline) {
    const now = Date.now();
    for (const id of await listenerBatchIds()) if (!known.has(id) && !seenByListener.has(id)) seenByListener.set(id, now);
    const shown = screenBatchId();
    if (shown !== null && seenByListener.has(shown) && !seenOnScreen.has(shown)) seenOnScreen.set(shown, Date.now());
    await delay(100);
  }
} finally {
  execFileSync('tmux', ['kill-session', '-t', session]);
}
const latencies = [...seenOnScreen].map(([id, t]) => t - seenByListener.get(id)!).sort((a, b) => a - b);
const q = (f: number) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] ?? null;
console.log(
  JSON.stringify(
    { benchmark: 'monitor-latency', at: new Date().toISOString(), batches: latencies.length, latencyMs: { p50: q(0.5), p95: q(0.95), max: latencies.at(-1) ?? null }, samplesMs: latencies, goalP95Ms: 1500 },
    null,
    2,
  ),
);
