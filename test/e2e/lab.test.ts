import { ISOLATION } from './isolation.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kafka } from 'kafkajs';
import { findPortOwner, isPortFree } from '../../src/lab/ports.js';
import { isAlive } from '../../src/lab/processes.js';
import { endOffsetTotal, eventually, getJson, runCli } from './helpers.js';
import { liveProcesses } from './labProbe.js';
import { DEFAULT_LAB_PORTS, LAB, labKafkaClient } from './labUnderTest.js';
import { startUserLabStandIn, type UserLabStandIn } from './userLabStandIn.js';
import { generatorSuite } from './suites/generator.js';
import { monitorSuite } from './suites/monitor.js';
import { resilienceSuite } from './suites/resilience.js';
import { outagesSuite } from './suites/outages.js';
import { evidenceSuite } from './suites/evidence.js';
import { sourcesSuite } from './suites/sources.js';
import { sweepSuite } from './suites/sweep.js';
import { advisorSuite } from './suites/advisor.js';
import { appsSuite } from './suites/apps.js';
import { attachSuite } from './suites/attach.js';
import { prometheusSuite } from './suites/prometheus.js';
import { privacySuite } from './suites/privacy.js';
import { eventLogRunSuite } from './suites/eventLogRun.js';
import { concurrentHotkeysSuite } from './suites/concurrentHotkeys.js';

// The suite's own lab (test/e2e/isolation.ts chose its ports and cache folder).
const KAFKA = LAB.kafka;
const MASTER = LAB.masterUi;
const DRIVER = LAB.driverUi;
const LISTENER = LAB.listener;
const LAB_PORTS = LAB.ports;
const MIN = 60_000;

interface LabStatusJson {
  components: Array<{ name: string; up: boolean; pid: number; port: number | null; url: string | null; log: string }>;
}
interface MasterJson {
  cores: number;
  memory: number;
  workers: Array<{ state: string; cores: number; memory: number }>;
  activeapps: Array<{ id: string; name: string; state: string }>;
  completedapps: Array<{ id: string; state: string }>;
}
interface Progress {
  batchId: number;
  numInputRows: number;
  sources: Array<{ endOffset: string | Record<string, Record<string, number>> }>;
}

function admin() {
  return labKafkaClient({ brokers: [KAFKA] }).admin();
}


function cwdOf(pid: number): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

/**
 * Processes of the suite's lab still alive, whatever sparktop's state says: their command lines or
 * working folders are in its cache folder (its configuration, logs, Spark work folders, generator
 * files). Not by pyspark's or Kafka's jars: those may be the user's, linked (test/e2e/isolation.ts).
 */
function labProcesses(): Array<{ pid: number; cmd: string }> {
  const cache = `${LAB.cacheDir}${path.sep}`;
  return liveProcesses()
    .map(({ pid, argv }) => ({ pid, cmd: argv.join(' ') }))
    .filter(({ pid, cmd }) => cmd.includes(cache) || cwdOf(pid).startsWith(cache));
}

function labProcessesAlive(): string[] {
  return labProcesses().map(({ pid, cmd }) => `${pid}: ${cmd.slice(0, 160)}`);
}

async function assertLabGone(): Promise<void> {
  assert.deepEqual(labProcessesAlive(), [], 'no lab process is left');
  for (const port of LAB_PORTS) assert.equal(await isPortFree(port), true, `port ${port} is free`);
}

async function labStatus(): Promise<LabStatusJson> {
  const r = await runCli(['lab', 'status', '--json'], { timeoutMs: MIN });
  return JSON.parse(r.stdout) as LabStatusJson;
}

/**
 * A lab the user has running, as far as the suite can tell: the default ports, held on 127.0.0.1 by
 * a process named after the user's lab folder (test/e2e/userLabStandIn.ts) from before the
 * suite's first `lab up` to after its last `lab down`. Where something else holds a default port
 * already (a real lab of the user's), that is left alone.
 */
let userLab: UserLabStandIn | null = null;
before(async () => {
  userLab = await startUserLabStandIn(ISOLATION.userCacheDir, Object.values(DEFAULT_LAB_PORTS));
  process.stdout.write(`# stand-in for the user's lab (pid ${userLab.pid}) holds ${userLab.held.join(', ')}${userLab.taken.length ? `; already taken: ${userLab.taken.join(', ')}` : ''}\n`);
});
after(async () => {
  await userLab?.stop();
});

/** The stand-in runs and still listens on the ports it held (read from /proc: no connection made). */
function assertUserLabUntouched(): void {
  assert.ok(userLab?.alive(), 'the stand-in for the user\'s lab still runs');
  for (const port of userLab!.held) assert.equal(findPortOwner(port)?.pid, userLab!.pid, `the user's port ${port} is still the stand-in's`);
}

describe('local lab: up, watch, resubmit, down', { timeout: 80 * MIN }, () => {
  let pids: number[] = [];

  before(async () => {
    // First run provisions pyspark, Kafka and the connector (hundreds of MB): generous bound.
    const up = await runCli(['lab', 'up'], { timeoutMs: 30 * MIN });
    assert.equal(up.code, 0, `lab up failed:\n${up.stdout}\n${up.stderr}`);
    pids = (await labStatus()).components.map((c) => c.pid);
  });

  after(async () => {
    const down = await runCli(['lab', 'down'], { timeoutMs: 5 * MIN });
    assert.equal(down.code, 0, down.stderr);
    for (const pid of pids) assert.equal(isAlive({ pid, startTime: null }), false, `pid ${pid} is gone`);
    await assertLabGone();
  });

  it('runs on the suite\'s own ports and in its own cache folder, beside a lab of the user\'s on the default ports', async () => {
    const status = await labStatus();
    const defaults = new Set(Object.values(DEFAULT_LAB_PORTS));
    for (const c of status.components) {
      if (c.port !== null) assert.ok(LAB_PORTS.includes(c.port) && !defaults.has(c.port), `${c.name} listens on ${c.port}, one of the suite's ports ${LAB_PORTS.join(', ')}`);
      assert.ok(c.log.startsWith(`${ISOLATION.cacheDir}${path.sep}`), `${c.name} logs into the suite's cache folder: ${c.log}`);
    }
    const ours = labProcesses();
    assert.ok(ours.length >= status.components.length, `the lab's processes are found by the suite's cache folder: ${ours.length}`);
    const userLabDir = `${path.join(ISOLATION.userCacheDir, 'lab')}${path.sep}`;
    assert.deepEqual(ours.filter(({ cmd }) => cmd.includes(userLabDir)).map(({ pid }) => pid), [], `no process of the suite's lab uses the user's lab folder ${userLabDir}`);
    assertUserLabUntouched();
  });

  it('lab status --json lists every component up, with pid, port, url and log', async () => {
    const status = await labStatus();
    assert.deepEqual(
      status.components.map((c) => c.name),
      ['kafka', 'spark-master', 'spark-worker-1', 'spark-app', 'generator-1'],
    );
    for (const c of status.components) {
      assert.equal(c.up, true, `${c.name} is up`);
      assert.ok(c.pid > 0 && fs.existsSync(c.log), `${c.name} has a pid and a log`);
    }
    assert.equal(status.components.find((c) => c.name === 'spark-master')?.url, MASTER);
  });

  it('creates topic logs with 2 partitions', async () => {
    const a = admin();
    await a.connect();
    try {
      const meta = await a.fetchTopicMetadata({ topics: ['logs'] });
      assert.equal(meta.topics[0]?.partitions.length, 2);
    } finally {
      await a.disconnect();
    }
  });

  it('has one ALIVE worker with the machine\'s cores and the lab\'s worker memory, and one running app in the master', async () => {
    const m = await getJson<MasterJson>(`${MASTER}/json/`);
    assert.equal(m.workers.filter((w) => w.state === 'ALIVE').length, 1);
    assert.equal(m.cores, LAB.cores, 'every core of the machine (os.availableParallelism())');
    assert.equal(m.memory, LAB.workerMemoryMb * LAB.config.workers, 'the worker memory the lab derives from the machine\'s');
    assert.deepEqual(m.activeapps.map((a) => [a.name, a.state]), [['LogsProcessor', 'RUNNING']]);
  });

  it('serves executors on the driver REST API', async () => {
    const apps = await getJson<Array<{ id: string }>>(`${DRIVER}/api/v1/applications`);
    assert.equal(apps.length, 1);
    const executors = await eventually(
      'executors to register with the driver',
      async () => {
        const ex = await getJson<Array<{ id: string }>>(`${DRIVER}/api/v1/applications/${apps[0]!.id}/executors`);
        return ex.some((e) => e.id !== 'driver') ? ex : undefined;
      },
      2 * MIN,
    );
    assert.ok(executors.some((e) => e.id === 'driver'));
  });

  it('reports at least 3 micro-batches with input rows and per-partition end offsets through the listener', async () => {
    const batches = await eventually(
      '3 progress events with rows',
      async () => {
        const body = await getJson<{ progress: Progress[] }>(`${LISTENER}/progress`);
        const withRows = body.progress.filter((p) => p.numInputRows > 0);
        return withRows.length >= 3 ? withRows : undefined;
      },
      12 * MIN,
      2000,
    );
    for (const b of batches) {
      const end = b.sources[0]!.endOffset;
      const offsets = (typeof end === 'string' ? JSON.parse(end) : end) as Record<string, Record<string, number>>;
      assert.deepEqual(Object.keys(offsets.logs ?? {}).sort(), ['0', '1'], 'an end offset for each partition');
    }
    const ids = batches.map((b) => b.batchId);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'batch ids ascend');
  });

  it('fills Kafka at the generator rate (10 000 rec/s) within 5 %', async () => {
    const t0 = Date.now();
    const n0 = await endOffsetTotal();
    await eventually('a 30 s measuring window', async () => (Date.now() - t0 >= 30_000 ? true : undefined), MIN, 500);
    const n1 = await endOffsetTotal();
    const rate = (n1 - n0) / ((Date.now() - t0) / 1000);
    assert.ok(Math.abs(rate - 10_000) / 10_000 <= 0.05, `measured ${rate.toFixed(0)} rec/s`);
  });

  it('prints source_ip counts from the console sink', async () => {
    const status = await labStatus();
    const log = status.components.find((c) => c.name === 'spark-app')!.log;
    const text = await eventually('a console sink table', async () => {
      const t = fs.readFileSync(log, 'utf8');
      return /\|source_ip\s*\|count\|/.test(t) && /\|\d+\.\d+\.\d+\.\d+\s*\|\d+\s*\|/.test(t) ? t : undefined;
    }, 5 * MIN);
    assert.match(text, /Batch: \d+/);
  });

  it('says so when `lab up` runs again, and starts nothing', async () => {
    const again = await runCli(['lab', 'up'], { timeoutMs: 5 * MIN });
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already up/);
    assert.deepEqual((await labStatus()).components.map((c) => c.pid), pids);
  });

  describe('the lab is its owner\'s alone', () => {
    privacySuite();
  });

  describe('load generator against the lab broker', () => {
    generatorSuite({ kafka: () => KAFKA });
  });

  describe('sources against the live lab', () => {
    sourcesSuite();
  });

  describe('monitor in tmux against the live lab', () => {
    monitorSuite();
  });

  describe('evidence: record, replay, cast against the live lab', () => {
    evidenceSuite();
  });

  describe('resilience: garbage from every endpoint, resize storms', () => {
    resilienceSuite();
  });

  describe('outages: the master killed, the listener gone, the topic recreated', () => {
    outagesSuite();
  });

  describe('sweep: the highest sustainable rate per configuration', () => {
    sweepSuite();
  });

  describe('advisor: each rule in a real scenario', () => {
    advisorSuite();
  });

  describe('Prometheus scrapes the monitor\'s /metrics', () => {
    prometheusSuite();
  });

  describe('two monitors and a submission changing the lab at once', () => {
    concurrentHotkeysSuite();
  });

  describe('a run recorded live and read again from its Spark event log', () => {
    eventLogRunSuite();
  });

  it('resubmits with --executor-cores 1 --total-executor-cores 2: the old app finishes, the new one has 2 executors', async () => {
    const before = await getJson<MasterJson>(`${MASTER}/json/`);
    const oldId = before.activeapps[0]!.id;
    const r = await runCli(['submit', '--executor-cores', '1', '--total-executor-cores', '2'], { timeoutMs: 15 * MIN });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`spark-submit --master spark://127\\.0\\.0\\.1:${LAB.masterPort} .*--executor-cores 1 .*--total-executor-cores 2 `));
    const m = await getJson<MasterJson>(`${MASTER}/json/`);
    assert.ok(m.completedapps.some((a) => a.id === oldId), 'the old app is completed in the master');
    assert.equal(m.activeapps.length, 1);
    const newId = m.activeapps[0]!.id;
    assert.notEqual(newId, oldId);
    const executors = await eventually('2 executors', async () => {
      const ex = (await getJson<Array<{ id: string; isActive: boolean }>>(`${DRIVER}/api/v1/applications/${newId}/executors`)).filter(
        (e) => e.id !== 'driver' && e.isActive,
      );
      return ex.length === 2 ? ex : undefined;
    }, 3 * MIN);
    assert.equal(executors.length, 2);
    pids = (await labStatus()).components.map((c) => c.pid);
  });

  describe('several applications on the master: --app, the list (a)', () => {
    appsSuite();
  });

  describe('jobs sparktop did not write: the JVM listener by configuration (kills the lab\'s job)', () => {
    attachSuite();
  });
});

describe('lab up: faults', { timeout: 20 * MIN }, () => {
  after(async () => {
    await runCli(['lab', 'down'], { timeoutMs: 5 * MIN });
  });

  it('refuses a taken port, naming it and its process, and starts nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(LAB.masterUiPort, '127.0.0.1', () => r()));
    try {
      const r = await runCli(['lab', 'up'], { timeoutMs: 5 * MIN });
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`port ${LAB.masterUiPort} \\(Spark master UI\\) is already in use by pid ${process.pid}`));
      assert.deepEqual(labProcessesAlive(), []);
    } finally {
      blocker.close();
    }
  });

  for (const [signal, code, what] of [['SIGINT', 130, 'Ctrl-C'], ['SIGHUP', 129, 'a hang-up (SSH dropped)']] as const) {
    it(`stops everything it started when interrupted by ${what}, and leaves no lock`, async () => {
      let interrupted = false;
      const r = await runCli(['lab', 'up'], {
        timeoutMs: 10 * MIN,
        onStdout: (all) => {
          if (interrupted || !all.includes('spark-master ready')) return undefined;
          interrupted = true;
          return signal;
        },
      });
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.match(r.stdout, /stopped kafka/);
      await assertLabGone();
      assert.deepEqual((await labStatus()).components, []);
      assert.equal(fs.existsSync(LAB.paths.lockFile), false, 'the lab lock is released');
    });
  }

  it('stops the others and shows the log of a component that dies during up', async () => {
    const r = await runCli(['lab', 'up', '--driver-memory', '1k'], { timeoutMs: 10 * MIN });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the application to register with the master: process \d+ exited/);
    assert.match(r.stderr, /heap/i, 'the driver log tail says why the JVM did not start');
    assert.match(r.stdout, /stopped spark-worker-1[\s\S]*stopped spark-master[\s\S]*stopped kafka/);
    await assertLabGone();
  });
});

describe('isolation: a lab the user has running is left alone', () => {
  it('after every lab up and down of the suite, the stand-in on the default ports still runs and holds them, and none of them was asked but the driver UI\'s', () => {
    assertUserLabUntouched();
    // sparktop looks for drivers on the ports from Spark's 4040 up too (src/sources/drivers.ts): asked, nothing taken from there.
    const asked = [...userLab!.connections()].filter(([port]) => port !== DEFAULT_LAB_PORTS.driverUiPort);
    assert.deepEqual(asked, [], `connections to the user's ports (port, count); the suite's are ${LAB_PORTS.join(', ')}`);
  });
});
