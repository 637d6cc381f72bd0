import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientConfigFor } from '../src/config/watchConfig.js';
import { readKafkaClientConfig } from '../src/config/kafkaClientFile.js';
import { kafkajsAuthOptions } from '../src/domain/kafkaClientAuth.js';
import { labWatchDefaults } from '../src/lab/watchDefaults.js';

/** The Kafka client properties for `bootstrap`: --kafka-config, else the running local lab's when it is the lab's broker. */
export function kafkaConfigFile(bootstrap: string): string | null {
  return kafkaClientConfigFor(bootstrap, argValue('kafka-config', '') || undefined, labWatchDefaults(undefined));
}

/** `--kafka-config FILE` for a `sparktop gen` of `bootstrap` (none for a broker without a login). */
export function genKafkaConfigArgs(bootstrap: string): string[] {
  const file = kafkaConfigFile(bootstrap);
  return file ? ['--kafka-config', file] : [];
}

export function kafkaAdmin(bootstrap: string) {
  const file = kafkaConfigFile(bootstrap);
  return new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'sparktop-bench', ...kafkajsAuthOptions(file ? readKafkaClientConfig(file) : null) }).admin();
}

export async function withTopic<T>(bootstrap: string, topic: string, partitions: number, fn: () => Promise<T>): Promise<T> {
  const admin = kafkaAdmin(bootstrap);
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    return await fn();
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

export async function endOffsetTotal(bootstrap: string, topic: string): Promise<number> {
  const admin = kafkaAdmin(bootstrap);
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a child (argument array) and can stop it with SIGTERM after `stopAfterMs`. */
export function runProcess(command: string, args: string[], opts: { stopAfterMs?: number; timeoutMs: number }): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const stop = opts.stopAfterMs ? setTimeout(() => child.kill('SIGTERM'), opts.stopAfterMs) : null;
    const kill = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      if (stop) clearTimeout(stop);
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

export const CLK_TCK = 100;

/** User + system CPU ticks of a process so far (/proc/PID/stat). */
export function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** p50, p95 and max of durations in ms, to 0.1 ms (the nearest-rank quantile). */
export function msSummary(durations: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (f: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!.toFixed(1));
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}
