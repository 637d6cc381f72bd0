import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { LAB, labKafkaClient } from './labUnderTest.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'sparktop.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Called with each chunk of stdout; may return a signal to send to the CLI (e.g. to test Ctrl-C). */
  onStdout?: (text: string) => NodeJS.Signals | void;
}

/** Runs the built CLI as a user would (argument array), echoing its output so CI logs show progress. */
export function runCli(args: string[], opts: CliOptions): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      const text = c.toString();
      stdout += text;
      process.stderr.write(text.replace(/^/gm, `  [sparktop ${args.slice(0, 2).join(' ')}] `));
      const sig = opts.onStdout?.(stdout);
      if (sig) child.kill(sig);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      process.stderr.write(c.toString().replace(/^/gm, `  [sparktop ${args.slice(0, 2).join(' ')} stderr] `));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Polls until `probe` returns a value (not undefined) or the time is up; never a fixed sleep. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await delay(intervalMs);
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Records in a topic of the lab's broker (sum of the partitions' log-end offsets). */
export async function endOffsetTotal(topic = 'logs', broker = LAB.kafka): Promise<number> {
  const admin = labKafkaClient({ brokers: [broker] }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** The produce rate into a topic over a window of `windowMs` (measured, not fixed: the window is timed by polling). */
export async function produceRate(windowMs: number, topic = 'logs'): Promise<number> {
  const t0 = Date.now();
  const n0 = await endOffsetTotal(topic);
  await eventually(`a ${windowMs / 1000} s window`, async () => (Date.now() - t0 >= windowMs ? true : undefined), windowMs + 10_000, 200);
  const n1 = await endOffsetTotal(topic);
  return (n1 - n0) / ((Date.now() - t0) / 1000);
}

/** Waits until the produce rate, over 5 s windows, is within `tolerance` of `target` (or below `target` when it is 0). */
export async function produceRateReaches(target: number, tolerance: number, timeoutMs: number): Promise<number> {
  let last = NaN;
  try {
    return await eventually(
      `a produce rate of ${target} rec/s ±${tolerance * 100} %`,
      async () => {
        last = await produceRate(5000);
        const ok = target === 0 ? last < 50 : Math.abs(last - target) <= target * tolerance;
        return ok ? last : undefined;
      },
      timeoutMs,
      0,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last measured ${last.toFixed(0)} rec/s`);
  }
}
