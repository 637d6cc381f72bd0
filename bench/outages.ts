/**
 * Outages (issue #9): how fast the monitor shows that a component of the live local lab died, and
 * how fast it shows live data again once the component is back. For each component, `--reps` times:
 *
 *   kafka     kill -9 of the broker, then `sparktop lab up`
 *   driver    kill -9 of the driver's process group (spark-submit's JVM and Python), then `sparktop submit`
 *   master    kill -9 of the Spark master, then `sparktop lab up`
 *   listener  the progress listener lives inside the driver and cannot be killed alone: the monitor
 *             reads it through a TCP forwarder (test/e2e/tcpForwarder.ts), closed (listening socket
 *             and open connections: "connection refused") and reopened on the same port
 *
 *   detection = kill → the outage notice (`… unreachable since HH:MM:SS`) in that component's place on
 *               the screen: Partitions panel (kafka), `spark driver unreachable` (driver), the
 *               header's `master unreachable` (master), `progress unreachable` in Batches (listener)
 *   recovery  = the component answering again (probed every 100 ms: the topic's offsets, the driver's
 *               REST API with the new app, the master's /json, the listener's /health through the
 *               reopened forwarder) → the screen showing live data again: the notice gone (it goes
 *               with the first good answer), plus the new app id on screen for the driver and the
 *               master's dot OK in the title line for the master. It can come out a little below 0
 *               when sparktop's own poll beats the probe.
 *   outage    = kill → live data again (includes the restart itself: `lab up`, `submit`)
 *
 * The screen is a tmux capture of the monitor at 120×40 (default 1 s refresh), polled every 100 ms.
 * A master restarted without recovery mode forgets the running app and, once the worker
 * re-registers, has the worker kill its executors: the job is then resubmitted (reported as
 * `jobResubmitted`) so that every repetition starts from a healthy lab, and the lab is left as it
 * was found (every component up, the job running). Progress goes to stderr.
 *
 * Run it with the local lab up and nobody else using it (about 20–30 min for 3 repetitions):
 *
 *   npm run build && node --import tsx bench/outages.ts --reps 3 > outages.json
 *
 * Options: --reps N (default 3), --only kafka,driver,master,listener (default all, in that order).
 * Goals: detection ≤ 5 s, recovery ≤ 30 s (median and max). Prints one JSON object.
 */
import { Kafka, logLevel } from 'kafkajs';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually, getJson, runCli } from '../test/e2e/helpers.js';
import {
  DRIVER,
  ensureJobRunning,
  jobNotRunning,
  KAFKA,
  killHard,
  labComponents,
  labPid,
  lastBatchOnScreen,
  LISTENER,
  logEndOffsets,
  masterJson,
  masterShownDown,
  masterShownUp,
  panelText,
  partitionRows,
  TOPIC,
  UNREACHABLE,
} from '../test/e2e/labProbe.js';
import { startTcpForwarder, type TcpForwarder } from '../test/e2e/tcpForwarder.js';
import { TmuxSession } from '../test/e2e/tmux.js';
import { argValue } from './common.js';

const COMPONENTS = ['kafka', 'driver', 'master', 'listener'] as const;
type Component = (typeof COMPONENTS)[number];

const reps = Number(argValue('reps', '3'));
const only = argValue('only', COMPONENTS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Component => (COMPONENTS as readonly string[]).includes(s));
const GOALS = { detectionMs: 5000, recoveryMs: 30_000 };
const SCREEN_POLL_MS = 100;
const PROBE_POLL_MS = 100;
const MIN = 60_000;
const DETECTION_TIMEOUT_MS = MIN;
const RECOVERY_TIMEOUT_MS = 10 * MIN;

const log = (line: string) => process.stderr.write(`outages: ${line}\n`);

/** When `probe` first holds (Date.now() after it answered), or null when `timeoutMs` passed (or `stopped()`) first. */
async function firstTime(probe: () => boolean | Promise<boolean>, intervalMs: number, timeoutMs: number, stopped: () => boolean = () => false): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stopped()) return null;
    let ok = false;
    try {
      ok = await probe();
    } catch {
      ok = false;
    }
    if (ok) return Date.now();
    if (Date.now() > deadline) return null;
    await delay(intervalMs);
  }
}

async function kafkaAnswers(): Promise<boolean> {
  const admin = new Kafka({ clientId: 'sparktop-bench', brokers: [KAFKA], logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 1000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    return (await admin.fetchTopicOffsets(TOPIC)).length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function mustSucceed(what: string, args: string[]): Promise<void> {
  const r = await runCli(args, { timeoutMs: 15 * MIN });
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
}

interface RepResult {
  rep: number;
  detectionMs: number | null;
  recoveryMs: number | null;
  outageMs: number | null;
  /** How long the restoring action took (`lab up`, `submit`, reopen) until it returned. */
  restoreActionMs: number;
  /** master: the master answering → it has all the cluster's cores again (the worker re-registered). */
  workerBackMs?: number | null;
  jobResubmitted: boolean;
}

/** What one component's outage is: how to cause it, undo it, see it, and see it over. */
interface Scenario {
  kill(): Promise<void>;
  restore(): Promise<void>;
  answering(): Promise<boolean>;
  down(lines: string[]): boolean;
  live(lines: string[]): boolean;
  /** After the screen is live again, before the next repetition (e.g. the worker's re-registration). */
  after?(upAt: number, result: RepResult): Promise<void>;
}

function scenario(component: Component, fwd: TcpForwarder, coresTotal: number): Scenario {
  switch (component) {
    case 'kafka':
      // The notice goes with the first offsets read from the broker again: live data.
      return {
        kill: async () => killHard(await labPid('kafka')),
        restore: () => mustSucceed('sparktop lab up', ['lab', 'up']),
        answering: kafkaAnswers,
        down: (lines) => UNREACHABLE.test(panelText(lines, 'Partitions')),
        live: (lines) => !UNREACHABLE.test(panelText(lines, 'Partitions')) && logEndOffsets(lines).length > 0,
      };
    case 'driver': {
      let oldAppId: string | null = null;
      let newAppId: string | null = null;
      return {
        kill: async () => {
          oldAppId = (await getJson<Array<{ id: string }>>(`${DRIVER}/api/v1/applications`))[0]?.id ?? null;
          newAppId = null;
          killHard(await labPid('spark-app'));
        },
        restore: () => mustSucceed('sparktop submit', ['submit']),
        answering: async () => {
          const apps = await getJson<Array<{ id: string; attempts: Array<{ completed: boolean }> }>>(`${DRIVER}/api/v1/applications`);
          const app = apps.find((a) => a.id !== oldAppId && !a.attempts.at(-1)?.completed);
          if (app) newAppId = app.id;
          return app !== undefined;
        },
        down: (lines) => /spark driver unreachable since \d\d:\d\d:\d\d/.test(lines.join('\n')),
        live: (lines) => {
          const screen = lines.join('\n');
          return newAppId !== null && !/spark driver unreachable/.test(screen) && screen.includes(newAppId);
        },
      };
    }
    case 'master':
      return {
        kill: async () => killHard(await labPid('spark-master')),
        restore: () => mustSucceed('sparktop lab up', ['lab', 'up']),
        answering: async () => (await masterJson()).status === 'ALIVE',
        down: masterShownDown,
        live: masterShownUp,
        after: async (upAt, result) => {
          // The worker re-registers by itself (Spark retries every 5–15 s at first, then every minute).
          const back = await firstTime(async () => (await masterJson()).cores === coresTotal, 250, 3 * MIN);
          result.workerBackMs = back === null ? null : back - upAt;
        },
      };
    case 'listener':
      return {
        kill: () => fwd.close(),
        restore: () => fwd.reopen(),
        answering: async () => fwd.open && (await getJson<{ ok?: boolean }>(`${fwd.url}/health`)).ok === true,
        down: (lines) => /progress unreachable since \d\d:\d\d:\d\d/.test(panelText(lines, 'Batches')),
        live: (lines) => !/progress unreachable/.test(lines.join('\n')),
      };
  }
}

/** Every source up on screen, partitions and a batch shown, the job running: the start of a repetition. */
async function settle(tmux: TmuxSession): Promise<boolean> {
  const resubmitted = await ensureJobRunning(log);
  await eventually(
    'the monitor with every source up',
    async () => {
      const lines = tmux.lines();
      return !UNREACHABLE.test(lines.join('\n')) && partitionRows(lines).length > 0 && lastBatchOnScreen(panelText(lines, 'Batches')) !== null ? true : undefined;
    },
    5 * MIN,
    500,
  );
  return resubmitted;
}

async function runRep(component: Component, rep: number, s: Scenario, tmux: TmuxSession): Promise<RepResult> {
  const killedAt = Date.now();
  await s.kill();
  const detectedAt = await firstTime(() => s.down(tmux.lines()), SCREEN_POLL_MS, DETECTION_TIMEOUT_MS);
  log(`${component} #${rep}: ${detectedAt === null ? 'NOT shown' : `shown down after ${detectedAt - killedAt} ms`}; restoring`);
  const restoreStart = Date.now();
  let failure: Error | null = null;
  const [restoredAt, upAt, liveAt] = await Promise.all([
    s.restore().then(
      () => Date.now(),
      (err: Error) => {
        failure = err;
        return Date.now();
      },
    ),
    firstTime(s.answering, PROBE_POLL_MS, RECOVERY_TIMEOUT_MS, () => failure !== null),
    firstTime(() => s.live(tmux.lines()), SCREEN_POLL_MS, RECOVERY_TIMEOUT_MS, () => failure !== null),
  ]);
  if (failure) throw failure;
  const result: RepResult = {
    rep,
    detectionMs: detectedAt === null ? null : detectedAt - killedAt,
    recoveryMs: upAt === null || liveAt === null ? null : liveAt - upAt,
    outageMs: liveAt === null ? null : liveAt - killedAt,
    restoreActionMs: restoredAt - restoreStart,
    jobResubmitted: false,
  };
  if (s.after && upAt !== null) await s.after(upAt, result);
  if (!tmux.alive()) throw new Error(`sparktop exited during the ${component} outage`);
  result.jobResubmitted = await settle(tmux);
  log(`${component} #${rep}: ${JSON.stringify(result)}`);
  return result;
}

function stats(values: Array<number | null>): { median: number | null; max: number | null; values: Array<number | null>; missed: number } {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const mid = Math.floor(known.length / 2);
  const median = known.length === 0 ? null : known.length % 2 ? known[mid]! : Math.round((known[mid - 1]! + known[mid]!) / 2);
  return { median, max: known.length ? known[known.length - 1]! : null, values, missed: values.length - known.length };
}

/** Restarts whatever is down and makes sure the job runs: the lab as the bench found it. */
async function restoreLab(): Promise<boolean> {
  try {
    if ((await labComponents()).some((c) => !c.up)) await mustSucceed('sparktop lab up', ['lab', 'up']);
    await ensureJobRunning(log);
    return (await jobNotRunning()) === null;
  } catch (err) {
    log(`could not restore the lab: ${(err as Error).message}`);
    return false;
  }
}

const down = (await labComponents()).filter((c) => !c.up).map((c) => c.name);
const notRunning = await jobNotRunning();
if (down.length > 0 || notRunning !== null) {
  process.stderr.write(`outages: the local lab must be up with the job running (${down.length ? `down: ${down.join(', ')}` : notRunning}); start it with \`sparktop lab up\`\n`);
  process.exit(2);
}
const coresTotal = (await masterJson()).cores;
const fwd = await startTcpForwarder(LISTENER);
const tmux = new TmuxSession(120, 40, ['--progress-url', fwd.url]);
const results = new Map<Component, RepResult[]>();
let labLeftRunning = false;
try {
  await settle(tmux);
  for (const component of only) {
    const s = scenario(component, fwd, coresTotal);
    const list: RepResult[] = [];
    results.set(component, list);
    for (let rep = 1; rep <= reps; rep++) list.push(await runRep(component, rep, s, tmux));
  }
} finally {
  tmux.kill();
  if (!fwd.open) await fwd.reopen().catch(() => undefined);
  await fwd.close();
  labLeftRunning = await restoreLab();
}

const ACTIONS: Record<Component, string> = {
  kafka: 'kill -9 of the broker, sparktop lab up',
  driver: 'kill -9 of the driver process group, sparktop submit',
  master: 'kill -9 of the master, sparktop lab up',
  listener: 'listener endpoint closed (connections destroyed) and reopened',
};
const components = Object.fromEntries(
  [...results].map(([component, list]) => {
    const detection = stats(list.map((r) => r.detectionMs));
    const recovery = stats(list.map((r) => r.recoveryMs));
    return [
      component,
      {
        action: ACTIONS[component],
        detectionMs: detection,
        recoveryMs: recovery,
        outageMs: stats(list.map((r) => r.outageMs)),
        restoreActionMs: stats(list.map((r) => r.restoreActionMs)),
        ...(component === 'master' ? { workerBackMs: stats(list.map((r) => r.workerBackMs ?? null)) } : {}),
        jobResubmitted: list.map((r) => r.jobResubmitted),
        meetsGoals: {
          detection: detection.missed === 0 && detection.max !== null && detection.max <= GOALS.detectionMs,
          recovery: recovery.missed === 0 && recovery.max !== null && recovery.max <= GOALS.recoveryMs,
        },
      },
    ];
  }),
);
console.log(
  JSON.stringify(
    {
      benchmark: 'outages',
      at: new Date().toISOString(),
      terminal: '120x40',
      refresh: '1s',
      screenPollMs: SCREEN_POLL_MS,
      reps,
      goals: GOALS,
      components,
      labLeftRunning,
    },
    null,
    2,
  ),
);
