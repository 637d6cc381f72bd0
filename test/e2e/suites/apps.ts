/**
 * Several applications on the lab's master (issue "Several applications and queries"): the lab's
 * job and the independent job (test/jobs/crash_counts_job.py with two queries, no listener), one
 * core each. `status --app` watches either one (its driver found on the UI ports from the lab's up),
 * and the monitor's list (`a`) switches between them.
 *
 * Ports follow the lab's configuration (SPARKTOP_*_PORT, as `lab up` takes them), so the suite
 * runs against a lab on other ports too.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { labConfigFromFlags } from '../../../src/lab/labFlags.js';
import type { StatusJson } from '../../../src/model/status.js';
import { eventually, getJson, runCli } from '../helpers.js';
import { labAccessArgs, submitForeignJob, type ForeignJob } from '../foreignJob.js';
import { lastBatchOnScreen } from '../labProbe.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;

interface MasterJson {
  activeapps: Array<{ id: string; name: string; cores: number; state: string }>;
}
interface ExecutorJson {
  id: string;
  completedTasks: number;
}

function urls() {
  const c = labConfigFromFlags({});
  return {
    master: `http://127.0.0.1:${c.masterUiPort}`,
    driver: `http://127.0.0.1:${c.driverUiPort}`,
    watch: [
      '--kafka', `127.0.0.1:${c.kafkaPort}`,
      '--spark-ui', `http://127.0.0.1:${c.driverUiPort}`,
      '--spark-master', `http://127.0.0.1:${c.masterUiPort}`,
      '--progress-url', `http://127.0.0.1:${c.listenerPort}`,
    ],
  };
}

async function status(args: string[]): Promise<StatusJson> {
  const r = await runCli(['status', '--json', ...urls().watch, ...args], { timeoutMs: MIN });
  return JSON.parse(r.stdout) as StatusJson;
}

/**
 * The driver UI serving `appId`, asked as a person would: the lab's port and the next ones (a
 * driver whose spark.ui.port is taken takes the next free one; the independent job's is the lab's,
 * test/e2e/foreignJob.ts).
 */
async function driverOf(appId: string): Promise<string> {
  const first = labConfigFromFlags({}).driverUiPort;
  const candidates = Array.from({ length: 7 }, (_, i) => `http://127.0.0.1:${first + i}`);
  for (const url of candidates) {
    try {
      const apps = await getJson<Array<{ id: string }>>(`${url}/api/v1/applications`);
      if (apps.some((a) => a.id === appId)) return url;
    } catch {
      /* not this port */
    }
  }
  throw new Error(`no driver UI serves ${appId}`);
}

async function executors(appId: string): Promise<ExecutorJson[]> {
  return getJson<ExecutorJson[]>(`${await driverOf(appId)}/api/v1/applications/${appId}/allexecutors`);
}

export function appsSuite(): void {
  let job: ForeignJob | null = null;
  let monitor: TmuxSession | null = null;
  const ids: Record<string, string> = {};

  after(async () => {
    monitor?.kill();
    await job?.stop();
  });

  it('the independent job (two queries) alongside the lab\'s job, one core each: two applications run', async () => {
    const master = () => getJson<MasterJson>(`${urls().master}/json/`);
    const lab = (await master()).activeapps.find((a) => a.name === 'LogsProcessor');
    if (!lab || lab.cores !== 1) {
      const r = await runCli(['submit', '--total-executor-cores', '1', '--executor-cores', '1'], { timeoutMs: 10 * MIN });
      assert.equal(r.code, 0, r.stderr);
    }
    job = submitForeignJob('python', await labAccessArgs(), undefined, ['--second-query', 'severity_counts']);
    const apps = await eventually(
      'both applications running in the master',
      async () => {
        const a = (await master()).activeapps.filter((x) => x.state === 'RUNNING');
        return a.some((x) => x.name === 'CrashCounts') && a.some((x) => x.name === 'LogsProcessor') ? a : undefined;
      },
      5 * MIN,
    );
    for (const a of apps) ids[a.name] = a.id;
    assert.equal(apps.length, 2, JSON.stringify(apps));
  });

  it('status --json --app CrashCounts and --app LogsProcessor: each its own executors and batches', async () => {
    const crash = await eventually(
      'CrashCounts watched with a batch',
      async () => {
        const s = await status(['--app', 'CrashCounts']);
        return s.spark.appName === 'CrashCounts' && s.spark.batch !== null && s.spark.queries.length === 2 ? s : undefined;
      },
      5 * MIN,
      2000,
    );
    assert.equal(crash.spark.appId, ids.CrashCounts);
    assert.deepEqual(crash.spark.apps?.map((a) => [a.name, a.watched]).sort(), [['CrashCounts', true], ['LogsProcessor', false]]);
    assert.equal(crash.spark.query?.name, crash.spark.queries[0]!.name);
    // The listener given is the lab job's: its batches are not CrashCounts's.
    assert.equal(crash.progress.ok, false);
    assert.match(crash.progress.error ?? '', /^other app/);

    const logs = await eventually(
      'LogsProcessor watched with a batch',
      async () => {
        const s = await status(['--app', 'LogsProcessor']);
        return s.spark.appName === 'LogsProcessor' && s.spark.batch !== null ? s : undefined;
      },
      2 * MIN,
      2000,
    );
    assert.equal(logs.spark.appId, ids.LogsProcessor);
    assert.equal(logs.progress.ok, true);
    assert.notEqual(logs.spark.batch!.batchId, null);

    // Executors: each status's are its own driver's (task counts between two reads of that driver).
    for (const [name, args] of [['CrashCounts', ['--app', 'CrashCounts']], ['LogsProcessor', ['--app', ids.LogsProcessor!]]] as const) {
      const before = await executors(ids[name]!);
      const s = await status([...args]);
      const afterRead = await executors(ids[name]!);
      assert.equal(s.spark.appName, name);
      const e0 = s.spark.executors.find((e) => e.id === '0');
      assert.ok(e0, `${name}: executor 0 listed`);
      const lo = before.find((e) => e.id === '0')!.completedTasks;
      const hi = afterRead.find((e) => e.id === '0')!.completedTasks;
      assert.ok(e0.completedTasks >= lo && e0.completedTasks <= hi, `${name}: executor 0 completed ${e0.completedTasks} within [${lo}, ${hi}] of its own driver`);
    }

    const missing = await status(['--app', 'NoSuchApp']);
    assert.match(missing.spark.appMissing ?? '', /^app "NoSuchApp" is not running; running: /);
  });

  it('monitor: `a` lists both applications, Enter switches; the header names the other app and its executors show', async () => {
    monitor = new TmuxSession(150, 40, urls().watch);
    await eventually(
      'the lab job watched, one of two running',
      async () => (/LogsProcessor \(\d of 2 running\)/.test(monitor!.lines()[0] ?? '') ? true : undefined),
      2 * MIN,
      500,
    );
    monitor.sendKeys('a');
    const list = await eventually(
      'the list of applications',
      async () => {
        const text = monitor!.capture();
        return text.includes('Running applications (2)') && text.includes(ids.CrashCounts!) && text.includes(ids.LogsProcessor!) ? text : undefined;
      },
      MIN,
      300,
    );
    const rows = list.split('\n');
    const cursorOn = rows.find((l) => l.includes('▶'))!;
    const target = cursorOn.includes('LogsProcessor') ? 'CrashCounts' : 'LogsProcessor';
    const from = rows.findIndex((l) => l.includes('▶'));
    const to = rows.findIndex((l) => l.includes(ids[target]!));
    for (let i = 0; i < Math.abs(to - from); i++) monitor.sendKeys(to > from ? 'Down' : 'Up');
    monitor.sendKeys('Enter');
    await eventually(
      `${target} in the header`,
      async () => (new RegExp(`app ${target} \\(\\d of 2 running\\)`).test(monitor!.lines()[0] ?? '') ? true : undefined),
      MIN,
      300,
    );
    monitor.sendKeys('2');
    const own = await executors(ids[target]!);
    await eventually(
      `${target}'s executors in the executors view`,
      async () => {
        const lines = monitor!.lines();
        return lines[0]!.includes(target) && lines.some((l) => /^\s*[│|]\s*0\s/.test(l)) && lines.some((l) => /driver/.test(l)) && own.length > 0 ? true : undefined;
      },
      MIN,
      500,
    );
  });

  it('monitor --app CrashCounts: starts on the application named, its own batches and query count in the header', async () => {
    monitor?.kill();
    monitor = new TmuxSession(150, 40, [...urls().watch, '--app', 'CrashCounts']);
    await eventually(
      'CrashCounts watched from the start, one of two running',
      async () => (/app CrashCounts \(\d of 2 running\)/.test(monitor!.lines()[0] ?? '') ? true : undefined),
      2 * MIN,
      500,
    );
    // Its two queries (the lab job has one) and, without a listener of its own, its batches from its
    // driver: the newest batch id on screen is one CrashCounts's driver lists.
    await eventually('its query, one of two, in the header', async () => (/query \S+ \(\d of 2\)/.test(monitor!.capture()) ? true : undefined), MIN, 500);
    const crashBatches = async () => {
      const jobs = await getJson<Array<{ description?: string }>>(`${await driverOf(ids.CrashCounts!)}/api/v1/applications/${ids.CrashCounts}/jobs`);
      return new Set(jobs.flatMap((j) => [...(j.description ?? '').matchAll(/batch = (\d+)/g)].map((m) => Number(m[1]))));
    };
    await eventually(
      'a batch of CrashCounts on the overview',
      async () => {
        const shown = lastBatchOnScreen(monitor!.capture());
        return shown !== null && (await crashBatches()).has(shown) ? true : undefined;
      },
      2 * MIN,
      1000,
    );
    assert.ok(!(monitor.lines()[0] ?? '').includes('LogsProcessor ('), 'the header names CrashCounts, not the lab job');
  });
}
