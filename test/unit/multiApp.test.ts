/**
 * Several applications and queries, on answers recorded from the real lab (test/fixtures/lab/apps.jsonl,
 * `scripts/record-lab-fixtures.ts --scenario apps`): the lab's job (LogsProcessor, driver UI on
 * 24040, the listener on 24090) and the independent job (CrashCounts, two streaming queries, no
 * listener, driver UI on 24041) on one master.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySample, createModel, derive } from '../../src/model/index.js';
import { missingAppText, resolveApp, resolveQuery } from '../../src/model/selection.js';
import { parseMaster } from '../../src/sources/parse.js';
import { AnswerInterpreter, type EndpointAnswer } from '../../src/sources/answers.js';
import { candidateUrls, DriverDiscovery, driversOf, portsText } from '../../src/sources/drivers.js';
import { appListItems, appListLines, initialCursor, moveCursor } from '../../src/ui/forms/appList.js';
import { titleLine } from '../../src/ui/Header.js';
import { makeTheme } from '../../src/ui/theme.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

const answers = answersFromFixture('apps');
const firstMaster = parseMaster(answers.find((a) => a.endpoint === 'master:/json')!.body);
const byName = (name: string) => firstMaster.activeapps.find((a) => a.name === name)!;
const LOGS = byName('LogsProcessor');
const CRASH = byName('CrashCounts');
const ids = firstMaster.activeapps.map((a) => a.id);
/** The first round's probe answers (one per candidate port). */
const firstProbes = (() => {
  const seen = new Set<string>();
  const out: Array<EndpointAnswer & { url: string }> = [];
  for (const a of answers) {
    if (a.endpoint !== 'discovery:/applications' || seen.has(a.url!)) continue;
    seen.add(a.url!);
    out.push(a as EndpointAnswer & { url: string });
  }
  return out;
})();
const text = (spans: ReadonlyArray<{ text: string }>) => spans.map((s) => s.text).join('');

describe('driver discovery (recorded probes of the lab host\'s UI ports)', () => {
  it('the fixture has two running applications and probes of both port ranges', () => {
    assert.equal(firstMaster.activeapps.length, 2);
    assert.ok(LOGS && CRASH);
    assert.deepEqual(
      firstProbes.map((a) => a.url).sort(),
      candidateUrls('http://127.0.0.1:24040', 2).sort(),
    );
  });

  it('candidate ports: --spark-ui\'s port and 4040 up, running apps + 3 each, on --spark-ui\'s host', () => {
    assert.deepEqual(candidateUrls('http://10.0.0.5:4040', 1), ['http://10.0.0.5:4040', 'http://10.0.0.5:4041', 'http://10.0.0.5:4042', 'http://10.0.0.5:4043']);
    assert.equal(candidateUrls('http://127.0.0.1:24040', 2).length, 10);
    assert.equal(portsText(candidateUrls('http://127.0.0.1:24040', 2)), '127.0.0.1:4040-4044, 24040-24044');
  });

  it('maps each running application id to the port whose /applications names it; closed ports map nothing', () => {
    const map = driversOf(firstProbes, ids);
    assert.equal(map.get(LOGS.id), 'http://127.0.0.1:24040');
    assert.equal(map.get(CRASH.id), 'http://127.0.0.1:24041');
    assert.equal(map.size, 2);
    assert.ok(firstProbes.some((a) => a.status === null), 'some candidate ports did not answer');
  });

  it('an application the master does not run (another master\'s driver on the host) is not mapped', () => {
    const map = driversOf(firstProbes, [CRASH.id]);
    assert.deepEqual([...map.keys()], [CRASH.id]);
  });

  it('probes are cached: asked again only when the running set changes, or after invalidate()', async () => {
    let asked = 0;
    const probe = new Map(firstProbes.map((a) => [a.url, a]));
    const d = new DriverDiscovery('http://127.0.0.1:24040', {
      get: async (url) => {
        asked++;
        const a = probe.get(url);
        return a ? { status: a.status, body: a.body } : null;
      },
    });
    assert.equal(await d.find(CRASH.id, ids), 'http://127.0.0.1:24041');
    const once = asked;
    assert.equal(once, 10);
    assert.equal(await d.find(LOGS.id, ids), 'http://127.0.0.1:24040');
    assert.equal(asked, once, 'same running set: no new probe');
    d.invalidate();
    await d.find(CRASH.id, ids);
    assert.equal(asked, 2 * once);
    await d.find(CRASH.id, [CRASH.id]);
    assert.equal(asked, 2 * once + 8, 'another running set: asked again (1 app: 4 ports on each range)');
  });
});

/** The model fed as the sampler feeds it with `--app request`: the master, the chosen driver's answers, the listener. */
function watch(request: string | null, driverUrl: string, query: string | null = null, upTo = answers.length) {
  const interpreter = new AnswerInterpreter();
  interpreter.appChosen = request !== null;
  const model = createModel({ app: request, query });
  for (const a of answers.slice(0, upTo)) {
    if (a.endpoint === 'discovery:/applications') continue;
    if (a.endpoint.startsWith('driver:') && a.url !== driverUrl) continue;
    for (const s of interpreter.interpret(a)) applySample(model, s);
  }
  return derive(model, answers[upTo - 1]!.t);
}

describe('selection in the model (recorded answers of two applications)', () => {
  it('--app CrashCounts: its executors and batches, 2 of 2 running; the listener (LogsProcessor\'s) is another app\'s', () => {
    const d = watch('CrashCounts', 'http://127.0.0.1:24041');
    assert.equal(d.app.id, CRASH.id);
    assert.equal(d.app.name, 'CrashCounts');
    assert.equal(d.selection.apps?.length, 2);
    assert.equal(d.selection.appIndex, 2);
    assert.deepEqual(d.selection.apps?.map((a) => [a.name, a.watched]), [['LogsProcessor', false], ['CrashCounts', true]]);
    assert.ok(d.executors.rows.length >= 1);
    assert.equal(d.sources.progress.ok, false);
    assert.match(d.sources.progress.error ?? '', /^other app/);
    // Batches from its driver's jobs only: every row is one of its own queries' runs.
    assert.ok(d.batches.rows.length > 0);
    assert.ok(d.batches.rows.every((r) => r.origin === 'derived' && r.appId === CRASH.id), 'no listener batch (LogsProcessor\'s) counted');
  });

  it('an application with two queries shows one (the first) and says how many; the other query\'s batches are left out', () => {
    const d = watch('CrashCounts', 'http://127.0.0.1:24041');
    assert.equal(d.selection.queries.length, 2);
    assert.deepEqual(new Set(d.selection.queries.map((q) => q.name)), new Set(['crash_counts', 'severity_counts']));
    assert.equal(d.selection.queryIndex, 1);
    const shown = d.selection.query!;
    assert.ok(d.batches.rows.every((r) => r.queryId === shown.id));
    assert.equal(d.batches.last?.queryId, shown.id);
  });

  it('--query-name picks the other query by name, and by id', () => {
    const first = watch('CrashCounts', 'http://127.0.0.1:24041');
    const other = first.selection.queries.find((q) => q.id !== first.selection.query!.id)!;
    for (const request of [other.name!, other.id]) {
      const d = watch('CrashCounts', 'http://127.0.0.1:24041', request);
      assert.equal(d.selection.query?.id, other.id);
      assert.equal(d.selection.queryIndex, 2);
      assert.ok(d.batches.rows.length > 0 && d.batches.rows.every((r) => r.queryId === other.id));
    }
  });

  it('--app LogsProcessor (by id too): the listener\'s runs are named by its driver, so its batches are used', () => {
    for (const request of ['LogsProcessor', LOGS.id]) {
      const d = watch(request, 'http://127.0.0.1:24040');
      assert.equal(d.app.id, LOGS.id);
      assert.equal(d.selection.appIndex, 1);
      assert.equal(d.sources.progress.ok, true);
      assert.ok(d.batches.rows.some((r) => r.origin === 'listener'));
      assert.equal(d.selection.queries.length, 1);
    }
  });

  it('a query asked for that does not run: said, and no batch shown', () => {
    const d = watch('CrashCounts', 'http://127.0.0.1:24041', 'nope');
    assert.equal(d.selection.query, null);
    assert.match(d.selection.queryMissing ?? '', /^query "nope" is not running; running: /);
    assert.equal(d.batches.last, null);
  });

  it('an application asked for that does not run: `app "X" is not running; running: a, b`', () => {
    const r = resolveApp('Nope', firstMaster.activeapps);
    assert.equal(r.kind, 'missing');
    assert.equal(missingAppText('Nope', r.kind === 'missing' ? r.running : []), 'app "Nope" is not running; running: LogsProcessor, CrashCounts');
    const d = watch('Nope', 'none');
    assert.equal(d.selection.appMissing, 'app "Nope" is not running; running: LogsProcessor, CrashCounts');
    assert.equal(d.app.id, null);
    assert.equal(resolveApp('crashcounts', firstMaster.activeapps).kind, 'found', 'names match ignoring case');
    assert.deepEqual(resolveQuery(null, []), { query: null, missing: false });
  });

  it('a switch (select sample) resets what belongs to the old application at once', () => {
    const interpreter = new AnswerInterpreter();
    const model = createModel();
    for (const a of answers) {
      if (a.endpoint === 'discovery:/applications' || (a.endpoint.startsWith('driver:') && a.url !== 'http://127.0.0.1:24040')) continue;
      for (const s of interpreter.interpret(a)) applySample(model, s);
    }
    assert.equal(derive(model, answers.at(-1)!.t).app.id, LOGS.id);
    applySample(model, { t: answers.at(-1)!.t, kind: 'select', data: { app: CRASH.id, query: null } });
    const d = derive(model, answers.at(-1)!.t);
    assert.equal(d.app.id, CRASH.id);
    assert.equal(d.app.name, 'CrashCounts');
    assert.equal(d.selection.appIndex, 2);
    assert.equal(d.batches.last, null, 'no batch of LogsProcessor shown as CrashCounts\'s');
    assert.ok(d.appChanges.some((c) => c.appId === CRASH.id));
  });
});

describe('the list (a) and the header', () => {
  const d = watch('CrashCounts', 'http://127.0.0.1:24041');

  it('lists the running applications (name, id, cores, age) and, below, the watched one\'s queries', () => {
    const lines = appListLines(d.selection, initialCursor(d.selection), d.at).map(text);
    const logs = lines.find((l) => l.includes('LogsProcessor'))!;
    const crash = lines.find((l) => l.includes('CrashCounts'))!;
    assert.match(logs, new RegExp(`${LOGS.id}\\s+1\\s+\\d`));
    assert.match(crash, new RegExp(`${CRASH.id}\\s+1\\s+\\d.*watched`));
    assert.ok(crash.startsWith(' ▶ '), 'the cursor starts on the watched application');
    const qAt = lines.findIndex((l) => l.includes('Queries of the watched application (2)'));
    assert.ok(qAt > lines.indexOf(crash));
    assert.ok(lines.slice(qAt).some((l) => l.includes('crash_counts')) && lines.slice(qAt).some((l) => l.includes('severity_counts')));
    assert.ok(lines.slice(qAt).some((l) => l.endsWith('shown')));
  });

  it('↑↓ move over applications then queries; Enter acts on the item under the cursor', () => {
    const items = appListItems(d.selection);
    assert.deepEqual(items.map((i) => i.kind), ['app', 'app', 'query', 'query']);
    assert.equal(moveCursor(0, -1, items.length), 0);
    assert.equal(moveCursor(1, 5, items.length), 3);
    assert.equal(items[0]!.kind === 'app' && items[0]!.name, 'LogsProcessor');
  });

  it('the header says which app of how many, and which query of how many', () => {
    const line = text(titleLine(d, 'sparktop', false, 160, makeTheme({ color: false, ascii: false }).glyphs));
    assert.match(line, /app CrashCounts \(2 of 2 running\)/);
    assert.match(line, /query \S+ \(1 of 2\)/);
    const missing = text(titleLine(watch('Nope', 'none'), 'sparktop', false, 160, makeTheme({ color: false, ascii: false }).glyphs));
    assert.match(missing, /app "Nope" is not running; running: LogsProcessor, CrashCounts/);
  });
});
