/**
 * Records raw answers of the real lab's endpoints, for the model's unit tests (fixtures are never
 * hand-written). One JSON line per answer: {"t", "endpoint", "status", "body"}; `body` is exactly
 * what the endpoint returned (parsed JSON, or text for non-JSON answers).
 *
 *   sparktop lab up
 *   node --import tsx scripts/record-lab-fixtures.ts --scenario steady --seconds 90
 *
 * Options: --out DIR (test/fixtures/lab) --driver URL --master URL --listener URL --kafka HOST:PORT --topic T
 *          --generators DIR (the local lab's generator stats; recorded as endpoint `generators:stats`)
 *          --checkpoint DIR (the query's checkpoint, read as `--checkpoint` does; endpoint `checkpoint:offsets`)
 *
 * While the listener does not answer, the driver's SQL executions are read as the sampler reads
 * them (src/sources/sqlPages.ts: the newest pages, just before the jobs list). `no-listener-sql`
 * was recorded with the lab's job resubmitted with `--listener off` (its app killed through the
 * master first) and its checkpoint folder:
 *   node --import tsx scripts/record-lab-fixtures.ts --scenario no-listener-sql --seconds 60 --checkpoint <dir>
 *
 * `--scenario experiments` also acts on the local lab while it records (see EXPERIMENT_STEPS): one
 * more generator, a higher rate, then a resubmission with other resources. Each action is recorded
 * as a `control` line, as the monitor records its hotkeys' actions. It was recorded with
 *   sparktop lab up --rps 3000 --shuffle-partitions 4
 *   node --import tsx scripts/record-lab-fixtures.ts --scenario experiments --seconds 330
 *
 * Driver answers are stored projected onto the fields sparktop reads (stack traces of call sites and
 * per-RDD lists would make a minute of recording tens of MB); values are never changed.
 * `--compact FILE` applies the same projection to an existing recording in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { controlSample } from '../src/control/types.js';
import { LocalLabControl } from '../src/control/localLab.js';
import { BASELINE_RESOURCES, parseResources } from '../src/domain/resources.js';
import { labPaths, defaultCacheDir } from '../src/lab/paths.js';
import { provision } from '../src/lab/provision/provision.js';
import { readState, updateState } from '../src/lab/state.js';
import { submitJob } from '../src/lab/submit.js';
import { CheckpointReader } from '../src/sources/checkpoint.js';
import { readGeneratorStatsAnswer } from '../src/sources/generators.js';
import { SqlPager } from '../src/sources/sqlPages.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/**
 * Fields kept per driver endpoint: those src/sources/parse.ts reads (executors keep a few more).
 * Stages and jobs are listed whole on every answer, so each extra field costs megabytes.
 */
const KEEP: Record<string, readonly string[]> = {
  'driver:/allexecutors': ['id', 'hostPort', 'isActive', 'totalCores', 'maxTasks', 'activeTasks', 'completedTasks', 'failedTasks', 'totalTasks', 'totalDuration', 'totalGCTime', 'totalInputBytes', 'totalShuffleRead', 'totalShuffleWrite', 'memoryUsed', 'maxMemory', 'diskUsed', 'addTime', 'removeTime', 'removeReason'],
  'driver:/stages': ['status', 'stageId', 'attemptId', 'numTasks', 'numActiveTasks', 'numCompleteTasks', 'numFailedTasks', 'submissionTime', 'completionTime', 'executorRunTime', 'memoryBytesSpilled', 'diskBytesSpilled', 'inputBytes', 'inputRecords', 'shuffleReadBytes', 'shuffleReadRecords', 'shuffleWriteBytes', 'shuffleWriteRecords', 'name', 'description'],
  'driver:/jobs': ['jobId', 'name', 'description', 'submissionTime', 'completionTime', 'stageIds', 'jobGroup', 'status', 'numTasks'],
};

export function project(endpoint: string, body: unknown): unknown {
  if (endpoint === 'driver:/environment' && body && typeof body === 'object' && 'sparkProperties' in body) {
    return { sparkProperties: (body as { sparkProperties: unknown }).sparkProperties };
  }
  if (endpoint === 'driver:/metrics/prometheus' && typeof body === 'string') {
    return body
      .split('\n')
      .filter((l) => l.includes('_spark_streaming_'))
      .join('\n');
  }
  const keep = KEEP[endpoint];
  if (!keep || !Array.isArray(body)) return body;
  return body.map((row: Record<string, unknown>) => Object.fromEntries(keep.filter((k) => k in row).map((k) => [k, row[k]])));
}

const compact = process.argv.indexOf('--compact');
if (compact >= 0) {
  const target = process.argv[compact + 1]!;
  const lines = fs.readFileSync(target, 'utf8').split('\n').filter(Boolean);
  const outLines = lines.map((l) => {
    const a = JSON.parse(l) as { endpoint: string; body: unknown };
    return JSON.stringify({ ...a, body: project(a.endpoint, a.body) });
  });
  fs.writeFileSync(target, `${outLines.join('\n')}\n`);
  console.log(`compacted ${target}: ${lines.length} answers`);
  process.exit(0);
}

const scenario = arg('scenario', 'steady');
const seconds = Number(arg('seconds', '60'));
const outDir = arg('out', path.join('test', 'fixtures', 'lab'));
const driver = arg('driver', 'http://127.0.0.1:4040');
const master = arg('master', 'http://127.0.0.1:8080');
const listener = arg('listener', 'http://127.0.0.1:4090');
const bootstrap = arg('kafka', '127.0.0.1:9094');
const topic = arg('topic', 'logs');
const paths = labPaths(defaultCacheDir());
const generatorsDir = arg('generators', paths.generatorsDir);
const checkpointDir = arg('checkpoint', '');
const checkpoint = checkpointDir ? new CheckpointReader(checkpointDir, topic) : null;
const sqlPager = new SqlPager();
let listenerUp = false;

fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `${scenario}.jsonl`);
const out = fs.createWriteStream(file);
const write = (endpoint: string, status: number | null, body: unknown, url?: string) =>
  out.write(`${JSON.stringify({ t: Date.now(), endpoint, status, body: project(endpoint, body), ...(url ? { url } : {}) })}\n`);

async function http(endpoint: string, url: string, record: (status: number | null, body: unknown) => boolean = () => true, base?: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* keep text */
    }
    if (record(res.status, body)) write(endpoint, res.status, body, base);
    return res.ok ? body : null;
  } catch (err) {
    write(endpoint, null, { error: (err as Error).message }, base);
    return null;
  }
}

/** The SQL executions' pages the sampler would read this round (the pager's own listing is not recorded). */
async function sqlPages(base: string, appId: string): Promise<void> {
  sqlPager.startRound(appId);
  for (let req = sqlPager.next(); req; req = sqlPager.next()) {
    const r = req;
    await http('driver:/sql', `${base}/sql${r.query}`, (status, body) => sqlPager.onAnswer(r, status === 200 ? body : null) || status !== 200);
  }
}

const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
let adminConnected = false;

async function kafka(): Promise<void> {
  try {
    if (!adminConnected) {
      await admin.connect();
      adminConnected = true;
    }
    write('kafka:offsets', 0, { topic, offsets: await admin.fetchTopicOffsets(topic) });
  } catch (err) {
    adminConnected = false;
    write('kafka:offsets', null, { error: (err as Error).message });
  }
}

type Step = { atS: number; action: string; run: () => Promise<{ detail: Record<string, unknown>; ok: boolean; message: string }> };

const lab = new LocalLabControl(paths);
/** The load and resource changes of `--scenario experiments`, at seconds after the recording starts. */
const EXPERIMENT_STEPS: Step[] = [
  {
    atS: 60,
    action: 'scale-generators',
    run: async () => {
      const r = await lab.scaleGenerators(2);
      return { detail: { from: 1, to: 2 }, ...r };
    },
  },
  {
    atS: 120,
    action: 'set-rate',
    run: async () => {
      const from = lab.generators()?.ratePerGenerator ?? null;
      const r = await lab.setRate(12_000);
      return { detail: { from, to: 12_000 }, ...r };
    },
  },
  {
    atS: 180,
    action: 'resubmit',
    run: async () => {
      const config = readState(paths.stateFile).config;
      if (!config) throw new Error('no local lab configuration');
      const resources = parseResources(
        { executorCores: 1, totalExecutorCores: 1, shufflePartitions: 4 },
        { ...BASELINE_RESOURCES, driverMemory: config.resources.driverMemory ?? '1g' },
      );
      const prov = await provision(paths, config.python, () => {});
      const result = await submitJob({ config: { ...config, resources }, paths, prov, resources, log: (l) => console.log(l), waitForFirstBatch: false });
      // As `sparktop submit` does: the lab's configuration follows what runs.
      updateState(paths.stateFile, (s) => {
        s.config = { ...config, resources };
      });
      return { detail: { resources, commandLine: result.commandLine, appId: result.appId }, ok: true, message: `resubmitted as ${result.appId}` };
    },
  },
];

async function runStep(step: Step): Promise<void> {
  const started = Date.now();
  try {
    const r = await step.run();
    write('control', 0, controlSample(step.action, r.detail, r, Date.now() - started));
  } catch (err) {
    write('control', 0, controlSample(step.action, {}, { ok: false, message: (err as Error).message }, Date.now() - started));
  }
  console.log(`${step.action} done after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * `--scenario apps`: several applications on the master (issue "Several applications and
 * queries"). Each round: the master, the driver UI ports of --driver's host as src/sources/drivers.ts
 * asks them (`discovery:/applications`, with `url`), then every running application's driver
 * (its answers carry `url`: the driver's base URL), and the listener. Recorded with the lab's job
 * and the independent job (test/jobs/crash_counts_job.py, two queries: --second-query) both on
 * one core, the independent one's UI on the next port:
 *   node --import tsx scripts/record-lab-fixtures.ts --scenario apps --seconds 20 --driver … --master … --listener … --kafka …
 */
async function appsRound(tick: number): Promise<void> {
  const m = (await http('master:/json', `${master}/json/`)) as { activeapps?: Array<{ id: string }> } | null;
  const ids = (m?.activeapps ?? []).map((a) => a.id);
  const { DriverDiscovery } = await import('../src/sources/drivers.js');
  const discovery = new DriverDiscovery(driver, { onAnswer: (url, a) => write('discovery:/applications', a.status, a.body, url) });
  const urls = new Set<string>();
  for (const id of ids) {
    const url = await discovery.find(id, ids);
    if (url) urls.add(url);
  }
  for (const url of urls) {
    const apps = (await http('driver:/applications', `${url}/api/v1/applications`, undefined, url)) as Array<{ id: string }> | null;
    const appId = apps?.[0]?.id;
    if (!appId) continue;
    const base = `${url}/api/v1/applications/${appId}`;
    await http('driver:/allexecutors', `${base}/allexecutors`, undefined, url);
    // Kept small: active stages only; the jobs (micro-batches, their runs) on the first and every 8th round.
    if (tick % 2 === 0) await http('driver:/stages', `${base}/stages?status=active`, undefined, url);
    if (tick % 8 === 0) await http('driver:/jobs', `${base}/jobs`, undefined, url);
    if (tick === 0) await http('driver:/environment', `${base}/environment`, undefined, url);
  }
  // From a few batches back (the listener retains hundreds of events: megabytes per answer).
  if (appsSince === null) {
    const all = (await fetch(`${listener}/progress`).then((r) => r.json()).catch(() => null)) as { progress?: Array<{ batchId: number; runId: string }> } | null;
    const back = all?.progress?.at(-4);
    appsSince = back ? `?since=${back.batchId}&runId=${back.runId}` : '';
  }
  const p = (await http('listener:/progress', `${listener}/progress${appsSince}`)) as { progress?: Array<{ batchId: number; runId: string }> } | null;
  const last = p?.progress?.at(-1);
  if (last) appsSince = `?since=${last.batchId}&runId=${last.runId}`;
}
let appsSince: string | null = null;

const t0 = Date.now();
if (scenario === 'apps') {
  await kafka();
  for (let tick = 0; Date.now() - t0 < seconds * 1000; tick++) {
    const started = Date.now();
    await appsRound(tick);
    await delay(Math.max(0, 1000 - (Date.now() - started)));
  }
  if (adminConnected) await admin.disconnect();
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
  console.log(`recorded ${scenario} into ${file}`);
  process.exit(0);
}
const pending = scenario === 'experiments' ? [...EXPERIMENT_STEPS] : [];
const running: Array<Promise<void>> = [];
let since = -1;
let environmentDone = '';
let tick = 0;
while (Date.now() - t0 < seconds * 1000) {
  const started = Date.now();
  while (pending[0] && started - t0 >= pending[0].atS * 1000) running.push(runStep(pending.shift()!));
  const stats = readGeneratorStatsAnswer(generatorsDir);
  if (stats) write('generators:stats', 0, stats);
  await kafka();
  await http('master:/json', `${master}/json/`);
  const apps = (await http('driver:/applications', `${driver}/api/v1/applications`)) as Array<{ id: string }> | null;
  const appId = apps?.[0]?.id;
  if (appId) {
    const base = `${driver}/api/v1/applications/${appId}`;
    await http('driver:/allexecutors', `${base}/allexecutors`);
    if (tick % 2 === 0) {
      await http('driver:/metrics/prometheus', `${driver}/metrics/prometheus/`);
      await http('driver:/stages', `${base}/stages?status=active&status=complete&status=failed`);
      if (!listenerUp) await sqlPages(base, appId);
      await http('driver:/jobs', `${base}/jobs`);
    }
    if (environmentDone !== appId) {
      await http('driver:/environment', `${base}/environment`);
      environmentDone = appId;
    }
  }
  if (checkpoint) {
    const c = checkpoint.read();
    if (c) write('checkpoint:offsets', c.status, c.body);
  }
  const progress = (await http('listener:/progress', `${listener}/progress?since=${since}`)) as { progress?: Array<{ batchId: number }> } | null;
  listenerUp = progress !== null;
  const last = progress?.progress?.at(-1);
  if (last) since = last.batchId;
  tick++;
  await delay(Math.max(0, 1000 - (Date.now() - started)));
}
await Promise.all(running);
if (adminConnected) await admin.disconnect();
out.end();
await new Promise<void>((r) => out.once('finish', () => r()));
console.log(`recorded ${tick} rounds into ${file}`);
