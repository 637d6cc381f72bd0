/**
 * The generator's threads and its rate control, side by side in one run on the same broker:
 * - scaling: the wire generator asked for far more than it can make, one thread pinned to one
 *   core, then `--threads N` on N cores (N = the machine's cores): records/s of each and the ratio;
 * - accuracy: one thread pinned to one core at fractions of the one-thread maximum just measured:
 *   the log-end rate against the rate asked.
 * Rates come from the topic's log-end offsets over the middle of each run (start and stop left out).
 *
 *   sparktop lab up --generators 0      # or any broker: --kafka host:port
 *   node --import tsx bench/generator-threads.ts [--kafka 127.0.0.1:9094] [--seconds 20] [--core 1]
 *
 * Prints one JSON object.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { SPARKTOP_BIN } from '../src/lab/paths.js';
import { CLK_TCK, argValue, genKafkaConfigArgs, cpuTicks, endOffsetTotal, withTopic } from './common.js';

const kafka = argValue('kafka', '127.0.0.1:9094');
const seconds = Number(argValue('seconds', '20'));
const cores = os.availableParallelism();
const core = argValue('core', String(cores - 1));
const allCores = `0-${cores - 1}`;
/** Left out at the start (connections, metadata, first requests) and at the end. */
const LEAD_IN_MS = 4000;
const LEAD_OUT_MS = 1000;

interface Run {
  threads: number;
  cpus: string;
  asked: number;
  recordsPerSecond: number;
  /** The generator's CPU (all its threads) over the window, in cores. */
  generatorCores: number;
  /** Records per second of the generator's CPU: flat when threads scale, lower when they contend. */
  recordsPerCpuSecond: number;
}

async function run(threads: number, cpus: string, asked: number): Promise<Run> {
  const topic = `bench-threads-${threads}-${asked}-${Date.now()}`;
  return withTopic(kafka, topic, 2, async () => {
    const args = ['-c', cpus, process.execPath, SPARKTOP_BIN, 'gen', '--kafka', kafka, ...genKafkaConfigArgs(kafka), '--topic', topic, '--rps', String(asked), '--threads', String(threads)];
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await sleep(LEAD_IN_MS);
      // taskset execs node: the child's pid is the generator's.
      const a = { n: await endOffsetTotal(kafka, topic), t: performance.now(), cpu: cpuTicks(child.pid!) };
      await sleep(seconds * 1000 - LEAD_IN_MS - LEAD_OUT_MS);
      const b = { n: await endOffsetTotal(kafka, topic), t: performance.now(), cpu: cpuTicks(child.pid!) };
      if (b.n === a.n) throw new Error(`no records written; generator output:\n${output.slice(-1000)}`);
      const cpuSeconds = (b.cpu - a.cpu) / CLK_TCK;
      return {
        threads,
        cpus,
        asked,
        recordsPerSecond: Math.round(((b.n - a.n) * 1000) / (b.t - a.t)),
        generatorCores: Number((cpuSeconds / ((b.t - a.t) / 1000)).toFixed(2)),
        recordsPerCpuSecond: Math.round((b.n - a.n) / cpuSeconds),
      };
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
  });
}

const FAR_MORE = 5_000_000;
const one = await run(1, core, FAR_MORE);
const many = await run(cores, allCores, FAR_MORE);
const accuracy = [];
for (const share of [0.25, 0.5, 0.75, 0.9]) {
  const asked = Math.round((one.recordsPerSecond * share) / 1000) * 1000;
  const r = await run(1, core, asked);
  accuracy.push({ ...r, errorPercent: Number(((100 * (r.recordsPerSecond - asked)) / asked).toFixed(2)) });
}
console.log(
  JSON.stringify(
    {
      benchmark: 'generator-threads',
      at: new Date().toISOString(),
      machine: { cores, cpu: os.cpus()[0]?.model ?? null, node: process.version },
      broker: kafka,
      seconds,
      scaling: { oneThreadOneCore: one, threadsOnAllCores: many, ratio: Number((many.recordsPerSecond / one.recordsPerSecond).toFixed(3)) },
      accuracy,
    },
    null,
    2,
  ),
);
