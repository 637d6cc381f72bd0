/**
 * What the outage tests and bench/outages.ts need from the live local lab and from the monitor's
 * screen: component pids, hard kills, the job's health (and a resubmission when it is gone), the
 * generators paused through their control files, the input topic deleted and recreated, and the
 * panels read off a tmux capture.
 */
import fs from 'node:fs';

import { LocalLabControl } from '../../src/control/localLab.js';
import { generatorFiles, readGeneratorStatsFile } from '../../src/lab/generators.js';
import type { StatusJson } from '../../src/model/status.js';
import { eventually, getJson, runCli } from './helpers.js';
import type { ComponentStatus } from '../../src/lab/status.js';
import { LAB, labKafkaClient } from './labUnderTest.js';

/** The lab's endpoints, from this process's environment (SPARKTOP_*_PORT; test/e2e/isolation.ts sets them for the tests). */
export const KAFKA = LAB.kafka;
export const MASTER = LAB.masterUi;
export const DRIVER = LAB.driverUi;
export const LISTENER = { host: '127.0.0.1', port: LAB.listenerPort };
export const TOPIC = 'logs';
export const APP_NAME = 'LogsProcessor';
const MIN = 60_000;

/** A component as `lab status --json` lists it. */
export type LabComponent = Pick<ComponentStatus, 'name' | 'up' | 'pid' | 'port' | 'url' | 'log'>;

export interface MasterJson {
  status: string;
  cores: number;
  workers: Array<{ state: string; cores: number }>;
  activeapps: Array<{ id: string; name: string; state: string }>;
  completedapps: Array<{ id: string; name: string; state: string }>;
}

interface ProgressEvent {
  runId: string;
  batchId: number;
  numInputRows: number;
}

export async function labComponents(): Promise<LabComponent[]> {
  const r = await runCli(['lab', 'status', '--json'], { timeoutMs: MIN });
  return (JSON.parse(r.stdout) as { components: LabComponent[] }).components;
}

export async function labPid(name: string): Promise<number> {
  const c = (await labComponents()).find((x) => x.name === name);
  if (!c) throw new Error(`${name} is not in the lab`);
  return c.pid;
}

/** Every live process of this machine with its argument vector, from /proc (zombies and vanished ones left out). */
export function liveProcesses(): Array<{ pid: number; argv: string[] }> {
  const found: Array<{ pid: number; argv: string[] }> = [];
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push({ pid: Number(d), argv: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      /* gone */
    }
  }
  return found;
}

/**
 * `kill -9` of a lab component: its whole process group (the lab starts each component as a group
 * leader: spark-submit's JVM and Python for the driver), else the pid alone.
 */
export function killHard(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    process.kill(pid, 'SIGKILL');
  }
}

/** `sparktop status --json` (exit code 2 when a source is down: the JSON is printed all the same). */
export async function statusJson(): Promise<StatusJson> {
  const r = await runCli(['status', '--json'], { timeoutMs: MIN });
  return JSON.parse(r.stdout) as StatusJson;
}

export function masterJson(): Promise<MasterJson> {
  return getJson<MasterJson>(`${MASTER}/json/`);
}

async function progressEvents(): Promise<ProgressEvent[]> {
  const body = await getJson<{ progress: ProgressEvent[] }>(`http://${LISTENER.host}:${LISTENER.port}/progress`);
  return body.progress;
}

/** Waits for a micro-batch with input rows that the listener did not have when this was called. */
export async function newBatchWithRows(timeoutMs: number): Promise<{ runId: string; batchId: number }> {
  const key = (p: ProgressEvent) => `${p.runId}/${p.batchId}`;
  const seen = new Set((await progressEvents().catch(() => [] as ProgressEvent[])).map(key));
  return eventually(
    'a new micro-batch with input rows',
    async () => {
      const e = (await progressEvents()).find((p) => p.numInputRows > 0 && !seen.has(key(p)));
      return e ? { runId: e.runId, batchId: e.batchId } : undefined;
    },
    timeoutMs,
    1000,
  );
}

/**
 * Why the logs job is not running as the next tests expect (null: it is): the driver process, the
 * master running our app, the driver serving that app. A master restarted without recovery mode
 * forgets its predecessor's apps and, once the worker re-registers, has it kill their executors
 * (Spark's Master, WorkerLatestState): the driver lives on without executors.
 */
export async function jobNotRunning(): Promise<string | null> {
  const app = (await labComponents()).find((c) => c.name === 'spark-app');
  if (!app?.up) return 'the driver process is not running';
  let master: MasterJson;
  try {
    master = await masterJson();
  } catch (err) {
    return `the master does not answer (${(err as Error).message})`;
  }
  const ours = master.activeapps.filter((a) => a.name === APP_NAME && a.state === 'RUNNING').map((a) => a.id);
  if (ours.length === 0) return 'the master runs no LogsProcessor app';
  try {
    const apps = await getJson<Array<{ id: string }>>(`${DRIVER}/api/v1/applications`);
    if (!apps.some((a) => ours.includes(a.id))) return `the driver serves ${apps.map((a) => a.id).join(', ')}, the master runs ${ours.join(', ')}`;
  } catch (err) {
    return `the driver does not answer (${(err as Error).message})`;
  }
  return null;
}

async function submit(log: (line: string) => void, why: string): Promise<void> {
  log(`# resubmitting the logs job: ${why}`);
  const r = await runCli(['submit'], { timeoutMs: 15 * MIN });
  if (r.code !== 0) throw new Error(`sparktop submit failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
}

/**
 * Leaves the job as the next tests expect it: running in the master and completing batches with
 * rows. Resubmits (`sparktop submit`) when it is gone, or when it completes no batch with rows
 * within 3 minutes. Returns whether it resubmitted.
 */
export async function ensureJobRunning(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<boolean> {
  const why = await jobNotRunning();
  if (why !== null) {
    await submit(log, why);
    await newBatchWithRows(5 * MIN);
    return true;
  }
  try {
    await newBatchWithRows(3 * MIN);
    return false;
  } catch (err) {
    await submit(log, `no new batch with rows: ${(err as Error).message}`);
    await newBatchWithRows(5 * MIN);
    return true;
  }
}

// --- the generators, through their control files (as the monitor's `0` key does) -----------------

const labControl = () => new LocalLabControl(LAB.paths);

/** Pauses or resumes every running generator and waits until each one's stats file says so (and, paused, that nothing is in flight). */
export async function setGeneratorsPaused(paused: boolean): Promise<void> {
  const asked = Date.now();
  const result = await labControl().setPaused(paused);
  if (!result.ok) throw new Error(`generators: ${result.message}`);
  const paths = LAB.paths;
  const names = (await labComponents()).filter((c) => c.name.startsWith('generator-') && c.up).map((c) => c.name);
  await eventually(
    `generators ${paused ? 'paused, nothing in flight' : 'resumed'}`,
    async () => {
      for (const name of names) {
        const s = readGeneratorStatsFile(generatorFiles(paths, Number(name.slice('generator-'.length))).statsFile);
        if (!s || Date.parse(s.at) < asked || s.paused !== paused || (paused && s.inFlight > 0)) return undefined;
      }
      return true;
    },
    30_000,
    250,
  );
}

/** Whether the generators' control files say paused (to restore what a test found). */
export function generatorsPaused(): boolean {
  return labControl().generators()?.paused === true;
}

// --- the input topic ------------------------------------------------------------------------

function admin() {
  return labKafkaClient({ brokers: [KAFKA] }).admin();
}

/** Partitions of the topic (null: it does not exist). */
export async function topicPartitions(topic = TOPIC): Promise<number | null> {
  const a = admin();
  await a.connect();
  try {
    if (!(await a.listTopics()).includes(topic)) return null;
    const meta = await a.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0]?.partitions.length ?? null;
  } finally {
    await a.disconnect();
  }
}

/**
 * Deletes the topic (when it exists), waits until the broker no longer lists it, and creates it
 * again with `partitions` partitions, each with a leader. The lab's broker does not auto-create
 * topics, so nothing recreates it behind our back.
 */
export async function recreateTopic(partitions: number, topic = TOPIC): Promise<void> {
  const a = admin();
  await a.connect();
  try {
    if ((await a.listTopics()).includes(topic)) {
      await a.deleteTopics({ topics: [topic], timeout: 30_000 });
      await eventually(`topic ${topic} deleted`, async () => ((await a.listTopics()).includes(topic) ? undefined : true), MIN, 250);
    }
    await eventually(
      `topic ${topic} created with ${partitions} partitions`,
      async () => {
        // false (not an error) while a topic of that name still exists, e.g. its deletion is not complete
        await a.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
        const parts = (await a.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
        return parts.length === partitions && parts.every((p) => p.leader >= 0) ? true : undefined;
      },
      MIN,
      500,
    );
  } finally {
    await a.disconnect();
  }
}

// The monitor's screen (tmux capture): read by the e2e suites and by unit tests on frames the App draws.
export { lastBatchOnScreen, logEndOffsets, masterShownDown, masterShownUp, panelText, partitionRows, UNREACHABLE } from '../support/screenText.js';
