/**
 * Where the generator's time goes at saturation: `sparktop gen` (wire producer, one thread,
 * pinned to one core, asked for far more than it can make) under `node --cpu-prof`, then the
 * profile's self time summed by function and by area (record making, batch encoding, CRC-32C,
 * socket writes, kafkajs, garbage collection, the rest).
 *
 *   sparktop lab up --generators 0      # or any broker: --kafka host:port
 *   node --import tsx bench/generator-profile.ts [--kafka 127.0.0.1:9094] [--seconds 15] [--core 1] [--producer wire]
 *
 * Prints one JSON object; the .cpuprofile stays in the folder it names (open it in Chrome DevTools).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SPARKTOP_BIN } from '../src/lab/paths.js';
import { argValue, genKafkaConfigArgs, endOffsetTotal, runProcess, withTopic } from './common.js';

const kafka = argValue('kafka', '127.0.0.1:9094');
const seconds = Number(argValue('seconds', '15'));
const core = argValue('core', String(os.availableParallelism() - 1));
const producer = argValue('producer', 'wire');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The area a function belongs to, by its file. */
function area(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (url.includes('/generator/wire/crc32c')) return 'CRC-32C';
  if (url.includes('/generator/wire/recordBatch') || url.includes('/generator/wire/writer') || url.includes('/generator/wire/produceRequest')) return 'batch encoding';
  if (url.includes('/generator/wire/')) return 'wire producer (connection, responses)';
  if (url.includes('/generator/records')) return 'record making';
  if (url.includes('/generator/')) return 'generator loop, pacing, stats';
  if (url.includes('node_modules/kafkajs')) return 'kafkajs';
  if (url === 'node:buffer' || functionName === 'utf8Write') return 'strings to UTF-8 bytes (Buffer.write)';
  if (url.startsWith('node:net') || url.startsWith('node:internal/stream') || url.startsWith('node:internal/net') || url.includes('stream_base') || functionName === 'writev' || functionName === 'writeBuffer') return 'socket writes (node:net)';
  if (url.startsWith('node:')) return 'other Node internals';
  if (url === '') return 'native / builtins';
  return 'other';
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-gen-profile-'));
const topic = `bench-profile-${Date.now()}`;
const result = await withTopic(kafka, topic, 2, async () => {
  const r = await runProcess(
    'taskset',
    ['-c', core, process.execPath, '--cpu-prof', '--cpu-prof-dir', dir, SPARKTOP_BIN, 'gen', '--kafka', kafka, ...genKafkaConfigArgs(kafka), '--topic', topic, '--rps', '5000000', '--producer', producer],
    { stopAfterMs: seconds * 1000, timeoutMs: seconds * 1000 + 30_000 },
  );
  return { exitCode: r.code, records: await endOffsetTotal(kafka, topic), tail: r.stdout.split('\n').filter((l) => l.startsWith('final:')) };
});
const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}; exit ${result.exitCode}`);
const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.replace(/^.*\/(src|dist|node_modules)\//, '$1/')}:${frame.lineNumber + 1}` : ''}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byArea.set(area(frame), (byArea.get(area(frame)) ?? 0) + us);
}
const share = (us: number) => Number(((100 * us) / total).toFixed(1));
const sorted = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, percent: share(us) }));
console.log(
  JSON.stringify(
    {
      benchmark: 'generator-cpu-profile',
      at: new Date().toISOString(),
      machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? null, node: process.version },
      broker: kafka,
      producer,
      pinnedToCore: Number(core),
      seconds,
      ...result,
      profile: path.join(dir, file),
      sampledSeconds: Number((total / 1e6).toFixed(1)),
      areas: sorted(byArea, 20),
      topFunctions: sorted(byFunction, 20),
    },
    null,
    2,
  ),
);
