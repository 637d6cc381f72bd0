/**
 * Random flag sets against the built CLI (`node bin/sparktop.js`): each set has exactly one bad
 * element (a wrong type, an out-of-range value, an unknown flag or subcommand, an unreadable
 * config file) among valid flags of its command. Every run must end with exit code 2, a message
 * naming what is wrong, the usage, and no stack trace. The seed is printed so a failure can be
 * replayed with SPARKTOP_FUZZ_SEED.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { mulberry32 as rng } from '../../src/generator/records.js';
import { tempDir } from '../support/tempDir.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'sparktop.js');
const CASES = Number(process.env.SPARKTOP_FUZZ_CASES ?? 48);
const SEED = Number(process.env.SPARKTOP_FUZZ_SEED ?? Date.now() % 100_000);

type Kind = 'int' | 'port' | 'memory' | 'duration' | 'url' | 'broker' | 'query' | 'offsets' | 'acks' | 'conf' | 'topic' | 'config' | 'threshold';

const FLAG_KINDS: Record<string, Kind> = {
  partitions: 'int',
  workers: 'int',
  'worker-cores': 'int',
  'worker-memory': 'memory',
  rps: 'int',
  query: 'query',
  'starting-offsets': 'offsets',
  'kafka-port': 'port',
  'master-port': 'port',
  'master-ui-port': 'port',
  'driver-ui-port': 'port',
  'listener-port': 'port',
  'executor-cores': 'int',
  'executor-memory': 'memory',
  'total-executor-cores': 'int',
  'num-executors': 'int',
  'driver-memory': 'memory',
  'shuffle-partitions': 'int',
  'max-offsets-per-trigger': 'int',
  trigger: 'duration',
  conf: 'conf',
  kafka: 'broker',
  topic: 'topic',
  'spark-ui': 'url',
  'spark-master': 'url',
  'progress-url': 'url',
  refresh: 'duration',
  'target-batch': 'duration',
  config: 'config',
  threshold: 'threshold',
  'additional-term-rate': 'int',
  acks: 'acks',
  partition: 'int',
};

const VALID: Record<Kind, string[]> = {
  int: ['1', '2', '4'],
  port: ['19094', '28080', '34040'],
  memory: ['512m', '1g', '2G'],
  duration: ['1s', '2s', '10 seconds'],
  url: ['http://127.0.0.1:1', 'https://spark.example:4040'],
  broker: ['127.0.0.1:1', 'kafka:9092,kafka2:9092'],
  query: ['activity2', 'activity3'],
  offsets: ['latest', 'earliest'],
  acks: ['-1', '1'],
  conf: ['spark.a.b=1', 'spark.executor.extraJavaOptions=-Xss4m'],
  topic: ['logs', 'other.topic_1'],
  config: [],
  threshold: ['gcRatio=0.2', 'skew.severe=4', 'raiseAfter=5', 'failureWindowMs=0'],
};

const INVALID: Record<Kind, string[]> = {
  int: ['abc', '-5', '1.5', '12abc', '99999999999999999999', '0x10', '一'],
  port: ['abc', '70000', '-1', '0', '80.5'],
  memory: ['lots', '-1g', '1x', '1.5g', 'g'],
  duration: ['soon', '-1s', '10 fortnights', '0.0001ms'],
  url: ['not a url', 'ftp://host/x', 'http//missing-colon', 'javascript:alert(1)'],
  broker: ['host:notaport', 'host:70000', ':::', 'a b:1'],
  query: ['activity9', 'DROP TABLE'],
  offsets: ['middle', 'LATEST;rm'],
  acks: ['2', 'all-of-them', '-2'],
  conf: ['nokey', 'fs.defaultFS=file:///', 'spark.x='],
  topic: ['bad topic', 'a/b', 'x'.repeat(300)],
  config: ['/nonexistent/sparktop.json', '__BAD_JSON__', '__WRONG_SHAPE__', '__BAD_ADVISOR__'],
  threshold: ['gcRatio=2', 'gcRatio', 'nosuch=1', 'raiseAfter=1.5', 'skew.critical=2', 'tinyTaskMs=-1', 'memoryRatio=lots'],
};

/** Flags each command accepts (a subset of the CLI's table: enough to mix valid ones in). */
const COMMANDS: Record<string, string[]> = {
  monitor: ['kafka', 'topic', 'spark-ui', 'spark-master', 'progress-url', 'refresh', 'target-batch', 'config', 'threshold'],
  status: ['kafka', 'topic', 'spark-ui', 'spark-master', 'progress-url', 'refresh', 'target-batch', 'config', 'threshold'],
  check: ['kafka', 'topic', 'spark-ui', 'spark-master', 'progress-url', 'refresh', 'target-batch', 'config', 'threshold'],
  'lab up': ['partitions', 'workers', 'worker-cores', 'worker-memory', 'rps', 'query', 'starting-offsets', 'kafka-port', 'master-port', 'executor-cores', 'executor-memory', 'shuffle-partitions', 'trigger', 'conf', 'topic'],
  submit: ['executor-cores', 'executor-memory', 'total-executor-cores', 'num-executors', 'driver-memory', 'shuffle-partitions', 'max-offsets-per-trigger', 'trigger', 'conf', 'query', 'starting-offsets'],
  gen: ['kafka', 'topic', 'rps', 'additional-term-rate', 'acks', 'partition'],
};

/** Flags that exist but do not apply to the command (the CLI's table says so). */
const FOREIGN: Record<string, string[]> = {
  monitor: ['partitions', 'executor-cores', 'rps', 'acks', 'partition'],
  status: ['workers', 'shuffle-partitions', 'additional-term-rate'],
  check: ['worker-memory', 'trigger', 'query'],
  'lab up': ['spark-ui', 'refresh', 'target-batch', 'acks', 'threshold'],
  submit: ['spark-ui', 'progress-url', 'workers', 'rps', 'threshold'],
  gen: ['spark-ui', 'partitions', 'executor-cores', 'refresh', 'threshold'],
};

const tmp = tempDir('sparktop-fuzz-');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const badJson = path.join(tmp, 'bad.json');
fs.writeFileSync(badJson, '{"kafka": ');
const wrongShape = path.join(tmp, 'shape.json');
fs.writeFileSync(wrongShape, JSON.stringify({ kafka: 42, refresh: { nested: true } }));
const badAdvisor = path.join(tmp, 'advisor.json');
fs.writeFileSync(badAdvisor, JSON.stringify({ advisor: { thresholds: { skew: { severe: 50 } } } }));

interface Case {
  argv: string[];
  /** What the message must name. */
  names: RegExp;
}

function makeCase(random: () => number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const commands = Object.keys(COMMANDS);
  const command = pick(commands);
  const pool = COMMANDS[command]!;
  const valid: string[] = [];
  for (const flag of pool) {
    const kind = FLAG_KINDS[flag]!;
    if (VALID[kind].length > 0 && random() < 0.3) valid.push(`--${flag}`, pick(VALID[kind]));
  }
  const head = command.split(' ');
  const shape = random();
  if (shape < 0.12) {
    return { argv: [...head, ...valid, '--frobnicate', '1'], names: /frobnicate/ };
  }
  if (shape < 0.2) {
    const word = pick(['explode', 'lab sideways', 'monitr', 'status extra']);
    return { argv: [...word.split(' '), ...valid], names: new RegExp(word.split(' ').at(-1)!) };
  }
  if (shape < 0.28) {
    // A real flag on a command it does not apply to.
    const flag = pick(FOREIGN[command]!);
    return { argv: [...head, ...valid, `--${flag}`, pick(VALID[FLAG_KINDS[flag]!])], names: new RegExp(`--${flag}`) };
  }
  const flag = pick(pool);
  const kind = FLAG_KINDS[flag]!;
  let value = pick(INVALID[kind]);
  if (value === '__BAD_JSON__') value = badJson;
  if (value === '__WRONG_SHAPE__') value = wrongShape;
  if (value === '__BAD_ADVISOR__') value = badAdvisor;
  // The bad flag replaces a valid occurrence of itself (the CLI keeps the last one otherwise).
  const withoutIt: string[] = [];
  for (let i = 0; i < valid.length; i += 2) if (valid[i] !== `--${flag}`) withoutIt.push(valid[i]!, valid[i + 1]!);
  const names = kind === 'config' ? /config file/ : new RegExp(`--${flag}\\b`);
  return { argv: [...head, ...withoutIt, `--${flag}`, value], names };
}

function run(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // An empty cache and no lab: a bad case that slipped through cannot touch a real lab.
    const env = { ...process.env, XDG_CACHE_HOME: tmp, SPARKTOP_CACHE_DIR: path.join(tmp, 'cache') };
    const child = spawn(process.execPath, [BIN, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe(`CLI fuzz (seed ${SEED}, ${CASES} cases)`, () => {
  it('every bad flag set: exit 2, the bad part named, usage, no stack trace', { timeout: 15 * 60_000 }, async () => {
    const random = rng(SEED);
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(random);
      const r = await run(c.argv);
      const shown = `sparktop ${c.argv.join(' ')}`;
      if (r.code !== 2) failures.push(`${shown}: exit ${r.code}\n${r.stderr.slice(0, 400)}`);
      else if (!c.names.test(r.stderr)) failures.push(`${shown}: message does not name ${c.names}:\n${r.stderr.split('\n')[0]}`);
      else if (!/Usage/.test(r.stderr)) failures.push(`${shown}: no usage`);
      if (/\n\s+at .+:\d+:\d+\)?/.test(r.stderr) || /(TypeError|ReferenceError|RangeError|SyntaxError):/.test(r.stderr)) {
        failures.push(`${shown}: stack trace or internal error\n${r.stderr.slice(0, 600)}`);
      }
    }
    assert.deepEqual(failures, [], `seed ${SEED}: replay with SPARKTOP_FUZZ_SEED=${SEED}`);
  });
});

describe('--help', () => {
  it('after any command prints the usage on stdout and exits 0', async () => {
    for (const argv of [['--help'], ['status', '--help'], ['lab', 'up', '--help'], ['sweep', '--help']]) {
      const r = await run(argv);
      assert.equal(r.code, 0, `sparktop ${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /Usage/, `sparktop ${argv.join(' ')}`);
    }
  });
});
