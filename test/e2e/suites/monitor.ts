import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isAlive } from '../../../src/lab/processes.js';
import { eventually, getJson, produceRateReaches, runCli } from '../helpers.js';
import { LAB } from '../labUnderTest.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;
const TITLES = ['Rates', 'Batches', 'Partitions', 'Executors'];

interface StatusJson {
  health: string;
  kafka: { ok: boolean; partitions: Array<{ partition: number; logEndOffset: number | null }> };
  spark: { ok: boolean; appId: string | null; executors: Array<{ id: string }>; batch: { batchId: number | null } | null };
}

async function statusJson(): Promise<StatusJson> {
  const r = await runCli(['status', '--json'], { timeoutMs: MIN });
  return JSON.parse(r.stdout) as StatusJson;
}

async function labPid(name: string): Promise<number> {
  const r = await runCli(['lab', 'status', '--json'], { timeoutMs: MIN });
  const c = (JSON.parse(r.stdout) as { components: Array<{ name: string; pid: number }> }).components.find((x) => x.name === name);
  assert.ok(c, `${name} is in the lab`);
  return c.pid;
}

/** Partition rows of the overview: a partition number then offsets, in the left panel. */
function partitionRows(lines: string[]): number[] {
  const found = new Set<number>();
  for (const l of lines) {
    const m = /^[│|]\s?(\d{1,4})\s+[\d ]{4,}/.exec(l);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Executor ids listed in the Executors panel (right half of the overview). */
function executorRows(lines: string[], columns: number): string[] {
  const ids: string[] = [];
  for (const l of lines) {
    const right = [...l].slice(Math.floor(columns / 2)).join('');
    const m = /^[│|]\s?(driver|\d+)\s+\d/.exec(right);
    if (m) ids.push(m[1]!);
  }
  return ids;
}

/** The executors the Executors panel has no room for: `… 6 more (2 executors)` (0 when it lists them all). */
function executorsNotShown(screen: string): number {
  const m = /… (\d+) more \(2 executors\)/.exec(screen);
  return m ? Number(m[1]) : 0;
}

function lastBatchOnScreen(screen: string): number | null {
  const m = /#(\d+)/.exec(screen);
  return m ? Number(m[1]) : null;
}

export function monitorSuite(): void {
  const sessions: TmuxSession[] = [];
  after(() => sessions.forEach((s) => s.kill()));

  for (const [columns, rows] of [
    [80, 24],
    [160, 48],
  ] as const) {
    it(`shows the four panels at ${columns}×${rows}, fitted to the terminal, with the lab's partitions and executors`, async () => {
      const tmux = new TmuxSession(columns, rows);
      sessions.push(tmux);
      const screen = await eventually(
        'the overview with partition and executor rows',
        async () => {
          const lines = tmux.lines();
          return partitionRows(lines).length >= 2 && executorRows(lines, columns).length >= 2 ? lines : undefined;
        },
        2 * MIN,
      );
      const text = screen.join('\n');
      for (const t of TITLES) assert.ok(text.includes(t), `panel title ${t} is visible`);
      assert.match(screen[0]!, /sparktop/, 'the header is on the first line: nothing scrolled off');
      assert.ok(screen.every((l) => [...l].length <= columns), 'no line is wider than the terminal');
      assert.deepEqual(partitionRows(screen), [0, 1], 'one row per partition of logs');
      const status = await statusJson();
      const restExecutors = await getJson<Array<{ id: string; isActive: boolean }>>(`${LAB.driverUi}/api/v1/applications/${status.spark.appId}/executors`);
      const rest = restExecutors.map((e) => e.id).sort();
      const now = tmux.lines();
      const shown = executorRows(now, columns).sort();
      // The lab's job has an executor per core (LAB.baselineExecutors): on a big machine more than a small terminal has rows for.
      const notShown = executorsNotShown(now.join('\n'));
      if (notShown === 0) assert.deepEqual(shown, rest, 'one row per executor of the driver REST API');
      else {
        assert.equal(shown.length + notShown, rest.length, `the rows shown and "… ${notShown} more" are the driver REST API's ${rest.length} executors`);
        assert.deepEqual(shown.filter((id) => !rest.includes(id)), [], 'every row shown is an executor of the driver REST API');
      }
      if (columns >= 120) assert.ok(text.includes(status.spark.appId!), 'the app id of status --json is on screen');
      tmux.sendKeys('q');
      await eventually('sparktop to quit on q', async () => (tmux.alive() ? undefined : true), 20_000, 250);
    });
  }

  it('shows each new batch id as it completes', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    const first = await eventually('a batch id on screen', async () => lastBatchOnScreen(tmux.capture()) ?? undefined, 3 * MIN);
    const next = await eventually('a newer batch id on screen', async () => {
      const b = lastBatchOnScreen(tmux.capture());
      return b !== null && b > first ? b : undefined;
    }, 5 * MIN);
    const status = await statusJson();
    assert.ok(status.spark.batch?.batchId !== null && status.spark.batch!.batchId! >= next, 'status --json agrees with the screen');
    tmux.kill();
  });

  it('scales the generators with + and -, changes their rate with ] and [, pauses and resumes with 0; Kafka\'s produce rate follows', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    const generatorsDir = LAB.paths.generatorsDir;
    const control = (n: number) => JSON.parse(fs.readFileSync(path.join(generatorsDir, `generator-${n}.control.json`), 'utf8')) as { targetRps: number; paused: boolean };
    const upGenerators = async () => {
      const r = await runCli(['lab', 'status', '--json'], { timeoutMs: MIN });
      return (JSON.parse(r.stdout) as { components: Array<{ name: string; up: boolean }> }).components.filter((c) => c.name.startsWith('generator-') && c.up).map((c) => c.name);
    };
    await eventually('the overview', async () => (tmux.capture().includes('Partitions') ? true : undefined), MIN);
    const one = await produceRateReaches(10_000, 0.1, MIN);

    tmux.sendKeys('+');
    await eventually('a second generator', async () => ((await upGenerators()).length === 2 ? true : undefined), MIN);
    await eventually('the action on the status line', async () => (/generators 1 → 2/.test(tmux.capture()) ? true : undefined), 30_000, 500);
    const two = await produceRateReaches(2 * one, 0.2, MIN);
    process.stdout.write(`# produce rate: 1 generator ${one.toFixed(0)} rec/s, 2 generators ${two.toFixed(0)} rec/s\n`);

    tmux.sendKeys(']');
    await eventually('rate 20 000 in both control files', async () => (control(1).targetRps === 20_000 && control(2).targetRps === 20_000 ? true : undefined), 30_000, 500);
    await produceRateReaches(40_000, 0.2, MIN);
    tmux.sendKeys('[');
    await eventually('rate back to 10 000', async () => (control(1).targetRps === 10_000 && control(2).targetRps === 10_000 ? true : undefined), 30_000, 500);

    tmux.sendKeys('0');
    await eventually('generators paused', async () => (control(1).paused && control(2).paused ? true : undefined), 30_000, 500);
    await produceRateReaches(0, 0, 30_000);
    tmux.sendKeys('0');
    await eventually('generators resumed', async () => (!control(1).paused && !control(2).paused ? true : undefined), 30_000, 500);
    await produceRateReaches(2 * one, 0.2, MIN);

    tmux.sendKeys('-');
    await eventually('back to one generator', async () => ((await upGenerators()).length === 1 ? true : undefined), MIN);
    tmux.sendKeys('6');
    await eventually('the actions in the events view', async () => (/generators 2 → 1/.test(tmux.capture()) ? true : undefined), 30_000, 500);
    tmux.kill();
  });

  it('says the driver is unreachable when the job is killed, keeps running, and picks up the resubmitted app', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    const before = await statusJson();
    await eventually('the app on screen', async () => (tmux.capture().includes(before.spark.appId!.slice(0, 12)) ? true : undefined), MIN);
    const driverPid = await labPid('spark-app');
    process.kill(-driverPid, 'SIGKILL');
    await eventually('"unreachable since" on screen', async () => (/unreachable since \d\d:\d\d:\d\d/.test(tmux.capture()) ? true : undefined), 15_000, 500);
    assert.ok(isAlive({ pid: tmux.pid(), startTime: null }), 'sparktop is still running');
    const r = await runCli(['submit'], { timeoutMs: 15 * MIN });
    assert.equal(r.code, 0, r.stderr);
    const after = await statusJson();
    assert.notEqual(after.spark.appId, before.spark.appId);
    await eventually('the new app id on screen', async () => (tmux.capture().includes(after.spark.appId!.slice(0, 12)) ? true : undefined), MIN);
    tmux.kill();
  });

  it('says Kafka is unreachable when the broker dies and recovers when it is back', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    await eventually('partition rows', async () => (partitionRows(tmux.lines()).length === 2 ? true : undefined), MIN);
    process.kill(await labPid('kafka'), 'SIGKILL');
    await eventually('"unreachable since" in the Partitions panel', async () => (/unreachable since/.test(tmux.capture()) ? true : undefined), 15_000, 500);
    assert.ok(isAlive({ pid: tmux.pid(), startTime: null }), 'sparktop is still running');
    const up = await runCli(['lab', 'up'], { timeoutMs: 5 * MIN });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /starting kafka/);
    await eventually('partitions back on screen', async () => {
      const s = tmux.capture();
      return !/unreachable since/.test(s) && partitionRows(tmux.lines()).length === 2 ? true : undefined;
    }, 60_000);
    tmux.kill();
  });

  it('r resubmits from the form (an invalid value changes nothing), k kills after asking', async () => {
    interface Master {
      activeapps: Array<{ id: string }>;
      completedapps: Array<{ id: string }>;
    }
    const master = () => getJson<Master>(`${LAB.masterUi}/json/`);
    // The lab's job holds a core per executor it could start (the machine's cores, fewer when the worker's memory runs out first).
    const cores = new RegExp(`cores ${LAB.baselineCores}/${LAB.cores}\\b`);
    const tooMany = String(LAB.cores + 97);
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    // The form checks against the cluster the master reports: wait until the header shows it.
    await eventually('the master\'s cores in the header', async () => (cores.test(tmux.capture()) ? true : undefined), MIN, 250);
    const before = await master();
    assert.equal(before.activeapps.length, 1);
    const oldId = before.activeapps[0]!.id;

    tmux.sendKeys('r');
    await eventually('the form', async () => (/Resubmit the Spark job/.test(tmux.capture()) ? true : undefined), 10_000, 200);
    assert.match(tmux.capture(), /executor cores\s+1/, 'prefilled with the lab job\'s resources');
    tmux.sendKeys('Tab', 'Tab', tooMany, 'Enter');
    const invalid = new RegExp(`total executor cores\\s+${tooMany}.*at most ${LAB.cores}\\b`);
    await eventually('the invalid field named', async () => (invalid.test(tmux.capture()) && /1 field is invalid/.test(tmux.capture()) ? true : undefined), 10_000, 200);
    assert.deepEqual((await master()).activeapps.map((a) => a.id), [oldId], 'the master\'s apps are unchanged');

    tmux.sendKeys(...Array.from(tooMany, () => 'BSpace'), '2', 'Enter');
    await eventually('the review with the exact command line', async () => (/spark-submit .*--executor-cores 1/.test(tmux.capture().replace(/\n│?\s*/g, ' ')) ? true : undefined), 30_000, 200);
    assert.match(tmux.capture().replace(/[│\n]/g, ' ').replace(/\s+/g, ' '), /--total-executor-cores 2/);
    const applied = Date.now();
    tmux.sendKeys('Enter');
    await eventually('the steps on the status line', async () => (/resubmitting \d+ s/.test(tmux.capture()) ? true : undefined), 10_000, 200);
    await eventually('the old app finished in the master', async () => {
      const m = await master();
      return m.completedapps.some((a) => a.id === oldId) && m.activeapps.length === 1 && m.activeapps[0]!.id !== oldId ? true : undefined;
    }, 90_000);
    tmux.sendKeys('2');
    const shown = await eventually('2 executors in the executors view', async () => {
      const ids = tmux.lines().flatMap((l) => {
        const m = /^[│|]\s?(\d+)\s+\S+\s/.exec(l);
        return m ? [m[1]!] : [];
      });
      return new Set(ids).size === 2 ? ids : undefined;
    }, 90_000, 500);
    assert.equal(new Set(shown).size, 2);
    process.stdout.write(`# resubmit from the form: 2 executors on screen after ${((Date.now() - applied) / 1000).toFixed(1)} s\n`);
    await eventually('the resubmission done', async () => (/app-\S+ is running/.test(tmux.capture()) ? true : undefined), 4 * MIN, 500);
    tmux.sendKeys('7');
    await eventually('two experiment segments, the current one marked', async () => {
      const text = tmux.capture();
      const m = /Experiments ─+ (\d+) segments/.exec(text);
      return m && Number(m[1]) >= 2 && /^│ +\*\d+ /m.test(text) ? true : undefined;
    }, 30_000, 500);

    tmux.sendKeys('k');
    await eventually('the question', async () => (/Kill the Spark job/.test(tmux.capture()) ? true : undefined), 10_000, 200);
    tmux.sendKeys('n');
    await eventually('kept', async () => (/kill cancelled/.test(tmux.capture()) ? true : undefined), 10_000, 200);
    assert.equal((await master()).activeapps.length, 1);
    tmux.sendKeys('k', 'y');
    await eventually('killed', async () => (/killed app-/.test(tmux.capture()) ? true : undefined), 2 * MIN, 500);
    assert.equal((await master()).activeapps.length, 0, 'no app in the master');
    tmux.sendKeys('k', 'y');
    await eventually('the honest state', async () => (/failed: no job running/.test(tmux.capture()) ? true : undefined), MIN, 500);

    // Leave the lab as the next tests expect it: the job running with the baseline resources.
    tmux.sendKeys('r', 'Tab', 'Tab', 'C-u', 'Enter');
    await eventually('the review', async () => (/argument by argument/.test(tmux.capture()) ? true : undefined), 30_000, 200);
    tmux.sendKeys('Enter');
    await eventually('running again', async () => (/app-\S+ is running/.test(tmux.capture()) ? true : undefined), 4 * MIN, 500);
    assert.equal((await master()).activeapps.length, 1);
    tmux.kill();
  });
}
