/**
 * Spark job throughput on a preloaded backlog: N records are written to a fresh topic with the
 * generator (Spark idle), then the logs job is submitted with `--starting-offsets earliest` for
 * each resource configuration and timed until it has read the whole backlog.
 *
 *   sparktop lab up --generators 0
 *   node --import tsx bench/spark-backlog.ts [--records 5000000] [--max-offsets-per-trigger N]
 *
 * Prints one JSON object. Restores the lab's job with the baseline on the `logs` topic at the end.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SPARKTOP_BIN } from '../src/lab/paths.js';
import { argValue, genKafkaConfigArgs, endOffsetTotal, kafkaAdmin, runProcess } from './common.js';

const kafka = argValue('kafka', '127.0.0.1:9094');
const listener = argValue('listener', 'http://127.0.0.1:4090');
const records = Number(argValue('records', '5000000'));
const maxOffsets = argValue('max-offsets-per-trigger', '');
const topic = `bench-backlog-${Date.now()}`;

const CONFIGS: Array<{ name: string; flags: string[] }> = [
  { name: 'baseline: --executor-cores 1 --executor-memory 1G', flags: ['--executor-cores', '1', '--executor-memory', '1G'] },
  {
    name: '1 executor × 2 cores, 2g, shuffle 2',
    flags: ['--executor-cores', '2', '--total-executor-cores', '2', '--executor-memory', '2g', '--shuffle-partitions', '2'],
  },
  {
    name: '2 executors × 1 core, 1g, shuffle 4',
    flags: ['--executor-cores', '1', '--total-executor-cores', '2', '--executor-memory', '1g', '--shuffle-partitions', '4'],
  },
];

interface Progress {
  batchId: number;
  numInputRows: number;
  timestamp: string;
  durationMs: Record<string, number>;
  sources: Array<{ endOffset: string | Record<string, Record<string, number>> }>;
}

function cli(args: string[], timeoutMs: number) {
  return runProcess(process.execPath, [SPARKTOP_BIN, ...args], { timeoutMs });
}

async function preload(): Promise<number> {
  const admin = kafkaAdmin(kafka);
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const gen = spawn(process.execPath, [SPARKTOP_BIN, 'gen', '--kafka', kafka, ...genKafkaConfigArgs(kafka), '--topic', topic, '--rps', '500000'], { stdio: 'ignore' });
  const closed = new Promise((resolve) => gen.once('close', resolve));
  try {
    while ((await endOffsetTotal(kafka, topic)) < records) await delay(500);
  } finally {
    gen.kill('SIGTERM');
    await closed;
  }
  return endOffsetTotal(kafka, topic);
}

function endOffsetSum(p: Progress): number {
  const end = p.sources[0]?.endOffset;
  const o = (typeof end === 'string' ? JSON.parse(end) : end) as Record<string, Record<string, number>> | undefined;
  return Object.values(o?.[topic] ?? {}).reduce((s, v) => s + v, 0);
}

async function progress(): Promise<Progress[]> {
  const res = await fetch(`${listener}/progress`, { signal: AbortSignal.timeout(3000) });
  return ((await res.json()) as { progress: Progress[] }).progress;
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function measure(config: { name: string; flags: string[] }, total: number) {
  const flags = [...config.flags, '--topic', topic, '--starting-offsets', 'earliest'];
  if (maxOffsets) flags.push('--max-offsets-per-trigger', maxOffsets);
  const t0 = Date.now();
  const r = await cli(['submit', ...flags], 20 * 60_000);
  if (r.code !== 0) throw new Error(`submit failed for ${config.name}:\n${r.stdout}\n${r.stderr}`);
  let batches: Progress[] = [];
  for (;;) {
    batches = (await progress()).filter((p) => p.numInputRows > 0);
    if (batches.length > 0 && endOffsetSum(batches[batches.length - 1]!) >= total) break;
    if (Date.now() - t0 > 60 * 60_000) throw new Error(`${config.name}: backlog not consumed within an hour`);
    await delay(1000);
  }
  const durations = batches.map((b) => b.durationMs.triggerExecution ?? NaN);
  const busyMs = durations.reduce((s, d) => s + d, 0);
  const rows = batches.reduce((s, b) => s + b.numInputRows, 0);
  const first = Date.parse(batches[0]!.timestamp);
  const last = batches[batches.length - 1]!;
  const wallMs = Date.parse(last.timestamp) + (last.durationMs.triggerExecution ?? 0) - first;
  const cores = Number(config.flags[config.flags.indexOf('--total-executor-cores') + 1] ?? NaN) || os.availableParallelism();
  return {
    config: config.name,
    flags: config.flags,
    rows,
    batches: batches.length,
    batchMs: { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95), max: Math.max(...durations) },
    wallSeconds: Number((wallMs / 1000).toFixed(1)),
    rowsPerSecond: Math.round(rows / (wallMs / 1000)),
    rowsPerSecondBusy: Math.round(rows / (busyMs / 1000)),
    executorCores: cores,
    rowsPerSecondPerCore: Math.round(rows / (wallMs / 1000) / cores),
  };
}

const total = await preload();
const results = [];
for (const c of CONFIGS) results.push(await measure(c, total));
await cli(['submit', '--topic', 'logs', '--starting-offsets', 'latest'], 20 * 60_000);
const admin = kafkaAdmin(kafka);
await admin.connect();
await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
await admin.disconnect();
const best = [...results].sort((a, b) => b.rowsPerSecond - a.rowsPerSecond)[0]!;
console.log(
  JSON.stringify(
    {
      benchmark: 'spark-backlog',
      at: new Date().toISOString(),
      machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? null, memoryGb: Math.round(os.totalmem() / 1024 ** 3) },
      backlog: total,
      maxOffsetsPerTrigger: maxOffsets || null,
      results,
      best: best.config,
      script: path.relative(process.cwd(), new URL(import.meta.url).pathname),
    },
    null,
    2,
  ),
);
