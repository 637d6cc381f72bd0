/**
 * Generator throughput on one core vs Kafka's own ProducerPerformance, same broker, same record
 * size, same acks, run one after the other, each pinned to the same core with taskset: the
 * generator with kafkajs's producer, with the wire producer (--producer wire), then ProducerPerformance.
 *
 *   sparktop lab up --generators 0      # or any broker: --kafka host:port
 *   node --import tsx bench/generator.ts [--kafka 127.0.0.1:9094] [--seconds 20] [--core 1]
 *
 * Prints one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRecordFactory } from '../src/generator/records.js';
import { labPaths, defaultCacheDir, SPARKTOP_BIN } from '../src/lab/paths.js';
import { readArtifactSet } from '../src/lab/provision/maven.js';
import { argValue, genKafkaConfigArgs, endOffsetTotal, runProcess, withTopic } from './common.js';

const kafka = argValue('kafka', '127.0.0.1:9094');
const seconds = Number(argValue('seconds', '20'));
const core = argValue('core', String(os.availableParallelism() - 1));
const acks = argValue('acks', '-1');

function averageRecordBytes(): number {
  const f = createRecordFactory({ seed: 7 });
  let total = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) total += Buffer.byteLength(f.nextJson(Date.now()));
  return Math.round(total / n);
}

async function sparktopGen(recordBytes: number, producer: 'kafkajs' | 'wire') {
  const topic = `bench-gen-${producer}-${Date.now()}`;
  return withTopic(kafka, topic, 2, async () => {
    const stats = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-')), 'stats.json');
    // Ask for far more than one core can do: the achieved rate is the throughput.
    const r = await runProcess(
      'taskset',
      ['-c', core, process.execPath, SPARKTOP_BIN, 'gen', '--kafka', kafka, ...genKafkaConfigArgs(kafka), '--topic', topic, '--rps', '2000000', '--acks', acks, '--stats-file', stats, '--producer', producer],
      { stopAfterMs: seconds * 1000, timeoutMs: seconds * 1000 + 30_000 },
    );
    const final = JSON.parse(fs.readFileSync(stats, 'utf8')) as { acked: number; errors: number; startedAt: string; at: string };
    const inKafka = await endOffsetTotal(kafka, topic);
    const elapsed = (Date.parse(final.at) - Date.parse(final.startedAt)) / 1000;
    return {
      tool: `sparktop gen --producer ${producer}`,
      exitCode: r.code,
      records: inKafka,
      acked: final.acked,
      errors: final.errors,
      seconds: Number(elapsed.toFixed(1)),
      recordsPerSecond: Math.round(inKafka / elapsed),
      mbPerSecond: Number(((inKafka * recordBytes) / elapsed / 1e6).toFixed(2)),
    };
  });
}

async function producerPerformance(recordBytes: number, targetRecords: number) {
  const topic = `bench-pp-${Date.now()}`;
  const set = readArtifactSet(labPaths(defaultCacheDir()).kafkaLibDir);
  if (!set) throw new Error('Kafka jars are not provisioned: run `sparktop lab provision` first');
  const classpath = set.artifacts.map((a) => a.file).join(path.delimiter);
  return withTopic(kafka, topic, 2, async () => {
    const r = await runProcess(
      'taskset',
      [
        '-c',
        core,
        'java',
        '-Xmx512m',
        '-cp',
        classpath,
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        String(targetRecords),
        '--record-size',
        String(recordBytes),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${kafka}`,
        `acks=${acks === '-1' ? 'all' : acks}`,
      ],
      { timeoutMs: seconds * 5000 + 60_000 },
    );
    // Progress lines come every 5 s; the final summary is the last line of this form.
    const m = [...r.stdout.matchAll(/(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/g)].at(-1);
    if (!m) throw new Error(`ProducerPerformance printed no summary:\n${r.stdout.slice(-500)}\n${r.stderr.slice(-500)}`);
    return {
      tool: 'kafka ProducerPerformance',
      exitCode: r.code,
      records: Number(m[1]),
      recordsPerSecond: Math.round(Number(m[2])),
      mbPerSecond: Number(m[3]),
      avgLatencyMs: Number(m[4]),
      maxLatencyMs: Number(m[5]),
    };
  });
}

const recordBytes = averageRecordBytes();
const gen = await sparktopGen(recordBytes, 'kafkajs');
const wire = await sparktopGen(recordBytes, 'wire');
// Enough records for ProducerPerformance to run about as long as the generators did.
const pp = await producerPerformance(recordBytes, Math.max(200_000, Math.max(gen.recordsPerSecond, wire.recordsPerSecond) * seconds * 1.5));
console.log(
  JSON.stringify(
    {
      benchmark: 'generator-vs-producer-performance',
      at: new Date().toISOString(),
      machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? null, node: process.version },
      broker: kafka,
      pinnedToCore: Number(core),
      recordBytes,
      acks,
      results: [gen, wire, pp],
      ratio: Number((gen.recordsPerSecond / pp.recordsPerSecond).toFixed(3)),
      wireRatio: Number((wire.recordsPerSecond / pp.recordsPerSecond).toFixed(3)),
    },
    null,
    2,
  ),
);
