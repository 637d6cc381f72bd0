/**
 * The CPU the generator's Produce requests cost to encode, per record, side by side in one run:
 * kafkajs 2.2.4's produce v7 request (what `sparktop gen` sends today) and the wire producer's
 * (src/generator/wire), over the same records from the generator's own record factory, in
 * alternating rounds so that both see the same machine. No broker: encoding only (the profile of the
 * generator at saturation puts most of its time there; docs/BENCHMARKS.md).
 *
 *   node --import tsx bench/produce-encoding.ts [--rounds 7] [--batch 500] [--ms 800]
 *
 * Prints one JSON object; progress goes to stderr.
 */
import { createRequire } from 'node:module';
import { encodeProduceRequest } from '../src/generator/wire/produceRequest.js';
import { Writer } from '../src/generator/wire/writer.js';
import { createRecordFactory } from '../src/generator/records.js';
import { argValue } from './common.js';

const require = createRequire(import.meta.url);
type KafkajsRequest = (r: { correlationId: number; clientId: string; request: unknown }) => Promise<{ buffer: Buffer } | unknown>;
const kafkajsRequest = require('kafkajs/src/protocol/request') as KafkajsRequest;
const kafkajsProduceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as (args: unknown) => unknown;

const rounds = Number(argValue('rounds', '7'));
const batch = Number(argValue('batch', '500'));
const roundMs = Number(argValue('ms', '800'));

const factory = createRecordFactory({ seed: 1 });
const timestamp = Date.now();
// Two partitions, as the lab's topic: the batch split between them, one request for both.
const values = Array.from({ length: batch }, () => factory.nextJson(timestamp));
const halves = [values.filter((_, i) => i % 2 === 0), values.filter((_, i) => i % 2 === 1)];
const averageBytes = values.reduce((s, v) => s + Buffer.byteLength(v), 0) / values.length;

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

/** CPU nanoseconds per record of `encode`, run repeatedly for about `roundMs` of CPU. */
async function perRecord(encode: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await encode();
  const start = cpuNow();
  let requests = 0;
  while (cpuNow() - start < roundMs * 1e6) {
    await encode();
    requests++;
  }
  return (cpuNow() - start) / requests / batch;
}

const writer = new Writer();
const wire = () =>
  encodeProduceRequest(writer, {
    correlationId: 1,
    clientId: 'sparktop',
    acks: -1,
    timeoutMs: 30_000,
    compression: 'none',
    topics: [{ topic: 'logs', partitions: halves.map((v, partition) => ({ partition, values: v, timestamp })) }],
  });
const kafkajs = () =>
  kafkajsRequest({
    correlationId: 1,
    clientId: 'sparktop',
    request: kafkajsProduceV7({
      acks: -1,
      timeout: 30_000,
      compression: 0,
      topicData: [{ topic: 'logs', partitions: halves.map((v, partition) => ({ partition, messages: v.map((value) => ({ value, timestamp })) })) }],
    }),
  });

const results: Record<'kafkajs' | 'wire', number[]> = { kafkajs: [], wire: [] };
for (let r = 0; r < rounds; r++) {
  // Alternating order: neither always runs first in a round.
  const order: Array<'kafkajs' | 'wire'> = r % 2 === 0 ? ['kafkajs', 'wire'] : ['wire', 'kafkajs'];
  for (const name of order) results[name].push(await perRecord(name === 'wire' ? wire : kafkajs));
  process.stderr.write(`round ${r + 1}/${rounds}: kafkajs ${results.kafkajs.at(-1)!.toFixed(0)} ns/record, wire ${results.wire.at(-1)!.toFixed(0)} ns/record\n`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratios = results.kafkajs.map((k, i) => k / results.wire[i]!);
console.log(
  JSON.stringify(
    {
      benchmark: 'produce-encoding',
      node: process.version,
      recordsPerRequest: batch,
      partitions: 2,
      averageRecordBytes: Math.round(averageBytes * 10) / 10,
      rounds,
      kafkajsNsPerRecord: { median: Math.round(median(results.kafkajs)), rounds: results.kafkajs.map(Math.round) },
      wireNsPerRecord: { median: Math.round(median(results.wire)), rounds: results.wire.map(Math.round) },
      speedup: { median: Math.round(median(ratios) * 10) / 10, min: Math.round(Math.min(...ratios) * 10) / 10 },
    },
    null,
    2,
  ),
);
