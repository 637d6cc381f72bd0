/**
 * Evidence against the live lab (issue #6): a recorded run with a resubmission in the middle,
 * replayed at a moment captured live; the cast of that run; a recording cut by `kill -9`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { readRecording } from '../../../src/record/reader.js';
import { eventually, runCli } from '../helpers.js';
import { TmuxSession } from '../tmux.js';
import { tempDir } from '../../support/tempDir.js';

const MIN = 60_000;
const TITLES = ['Rates', 'Batches', 'Partitions', 'Executors'];

/** The panel lines of a 120×40 screen: below the two header lines, above the status line, footer and empty last row. */
const body = (screen: string) => screen.split('\n').slice(2, 37).map((l) => l.trimEnd());

/** A screen that stays the same for a second (no frame drawn in between), and when it was read. */
async function stableScreen(tmux: TmuxSession): Promise<{ screen: string; at: number }> {
  return eventually('a stable screen', async () => {
    const first = tmux.capture();
    const at = Date.now();
    await delay(1200);
    return body(tmux.capture()).join('\n') === body(first).join('\n') ? { screen: first, at } : undefined;
  }, MIN, 200);
}

function castEvents(file: string): { header: Record<string, unknown>; events: Array<[number, string, string]> } {
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: JSON.parse(lines[0]!) as Record<string, unknown>, events: lines.slice(1).map((l) => JSON.parse(l) as [number, string, string]) };
}

export function evidenceSuite(): void {
  const dir = tempDir('sparktop-evidence-');
  const sessions: TmuxSession[] = [];
  after(() => {
    sessions.forEach((s) => s.kill());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records a run with a resubmission; replay --at the moment captured live shows the same panels; the cast plays it', async () => {
    const record = path.join(dir, 'run.jsonl');
    const cast = path.join(dir, 'run.cast');
    const live = new TmuxSession(120, 40, ['--record', record, '--cast', cast]);
    sessions.push(live);
    await eventually('a batch on screen', async () => (/#\d+/.test(live.capture()) ? true : undefined), 3 * MIN, 500);
    const before = await runCli(['status', '--json'], { timeoutMs: MIN });
    const oldApp = (JSON.parse(before.stdout) as { spark: { appId: string } }).spark.appId;
    const r = await runCli(['submit', '--executor-cores', '1', '--shuffle-partitions', '4'], { timeoutMs: 15 * MIN });
    assert.equal(r.code, 0, r.stderr);
    const after = JSON.parse((await runCli(['status', '--json'], { timeoutMs: MIN })).stdout) as { spark: { appId: string } };
    assert.notEqual(after.spark.appId, oldApp);
    await eventually('the new app on screen', async () => (live.capture().includes(after.spark.appId.slice(0, 16)) ? true : undefined), MIN, 500);
    live.sendKeys('4');
    await eventually('the batches view', async () => (/│ batch start /.test(live.capture()) ? true : undefined), 10_000, 200);
    const captured = await stableScreen(live);
    assert.match(captured.screen, /│ batch start /);
    live.sendKeys('1');
    await eventually('the overview again', async () => (live.capture().includes('Partitions') ? true : undefined), 10_000, 200);
    live.sendKeys('q');
    await eventually('sparktop to quit', async () => (live.alive() ? undefined : true), 20_000, 250);

    const recording = await readRecording(record);
    const apps = new Set(recording.samples.flatMap((s) => (s.kind === 'executors' ? [s.data.appId] : [])));
    assert.ok(apps.has(oldApp) && apps.has(after.spark.appId), `both apps recorded: ${[...apps].join(', ')}`);
    const start = recording.samples[0]!.t;
    const offset = ((captured.at - start) / 1000).toFixed(3);

    const replay = new TmuxSession(120, 40, ['replay', record, '--at', offset]);
    sessions.push(replay);
    await eventually('replay paused at the moment', async () => (/· paused/.test(replay.capture()) ? true : undefined), 30_000, 200);
    replay.sendKeys('4');
    const replayed = await eventually('the batches view in the replay', async () => {
      const s = replay.capture();
      return /│ batch start /.test(s) ? s : undefined;
    }, 10_000, 200);
    assert.deepEqual(body(replayed), body(captured.screen), 'the panels replayed at that moment are the ones seen live');
    replay.sendKeys('q');

    // The report of the same run: its figures against what the recording itself says.
    const reportFile = path.join(dir, 'report.md');
    const rep = await runCli(['report', record, '-o', reportFile], { timeoutMs: 2 * MIN });
    assert.equal(rep.code, 0, rep.stderr);
    const report = fs.readFileSync(reportFile, 'utf8');
    assert.match(report, new RegExp(`\\| applications \\| ${apps.size} \\|`));
    for (const app of apps) assert.match(report, new RegExp(`\\| ${app} \\| LogsProcessor \\|`), `${app} in the applications table`);
    const batchIds = new Set(recording.samples.flatMap((s) => (s.kind === 'progress' ? s.data.progress.map((p) => `${p.runId}:${p.batchId}`) : [])));
    const experimentRows = report.split('## Experiments')[1]!.split('\n').filter((l) => /^\| \d+/.test(l));
    assert.ok(experimentRows.length >= 2, `one experiment per app at least: ${experimentRows.length}`);
    const counted = experimentRows.map((l) => /\| (\d+) \(\+(\d+) warm-up\) \|/.exec(l)).map((m) => (m ? Number(m[1]) + Number(m[2]) : 0));
    assert.equal(counted.reduce((a, b) => a + b, 0), batchIds.size, 'every recorded batch is in one experiment');
    for (const section of ['## Run summary', '## Charts', '## Executors', '## Findings']) assert.ok(report.includes(section), section);

    const { header, events } = castEvents(cast);
    assert.equal(header.version, 2);
    assert.equal(header.width, 120);
    assert.equal(header.height, 40);
    assert.ok(events.length > 10);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]![0] >= events[i - 1]![0], `cast times are monotonic at event ${i}`);
    assert.ok(events.every((e) => e[1] === 'o' || e[1] === 'r'));
    // The frame sink writes only the lines that changed (`ESC[row;1H ESC[2K text`): replay them all.
    const screenRows: string[] = [];
    for (const [, kind, data] of events) {
      if (kind !== 'o') continue;
      const parts = data.split(/\x1b\[(\d+);1H\x1b\[2K/);
      for (let i = 1; i < parts.length; i += 2) screenRows[Number(parts[i]) - 1] = parts[i + 1]!;
    }
    const lastScreen = screenRows.join('\n');
    for (const t of TITLES) assert.ok(lastScreen.includes(t), `the last screen of the cast shows ${t}`);
  });

  it('a recording cut by kill -9 stays readable, replays and reports', async () => {
    const record = path.join(dir, 'killed.jsonl');
    const tmux = new TmuxSession(120, 40, ['--record', record]);
    sessions.push(tmux);
    await eventually('panels on screen', async () => (tmux.capture().includes('Partitions') ? true : undefined), MIN, 250);
    const started = Date.now();
    await delay(5000);
    process.kill(tmux.pid(), 'SIGKILL');
    const recording = await readRecording(record);
    const last = recording.samples.at(-1)!.t;
    assert.ok(last >= started + 3000, `samples up to at most a second before the kill (last ${last - started} ms after start of wait)`);
    tmux.kill();
    const rep = await runCli(['report', record], { timeoutMs: 2 * MIN });
    assert.equal(rep.code, 0, rep.stderr);
    assert.match(rep.stdout, /## Run summary/);
    const replay = new TmuxSession(120, 40, ['replay', record, '--at', '0']);
    sessions.push(replay);
    await eventually('the replay of the cut recording', async () => (/replay 0:00 \/ \d+:\d\d · ×1 · paused/.test(replay.capture()) ? true : undefined), 30_000, 200);
    replay.sendKeys('q');
  });

  for (const how of ['kill -HUP', 'the terminal closed (tmux kill-session: a dropped SSH connection)'] as const) {
    it(`a hang-up (${how}) while recording: the recording and the cast are closed with every sample taken before it`, async () => {
      const record = path.join(dir, `hup-${how.length}.jsonl`);
      const cast = path.join(dir, `hup-${how.length}.cast`);
      const tmux = new TmuxSession(120, 40, ['--record', record, '--cast', cast]);
      sessions.push(tmux);
      await eventually('panels on screen', async () => (tmux.capture().includes('Partitions') ? true : undefined), MIN, 250);
      await delay(3000);
      const pid = tmux.pid();
      const signalled = Date.now();
      if (how === 'kill -HUP') process.kill(pid, 'SIGHUP');
      else tmux.kill();
      await eventually('the monitor to exit', async () => (fs.existsSync(`/proc/${pid}`) ? undefined : true), 30_000, 100);
      const recording = await readRecording(record);
      const last = recording.samples.at(-1)!.t;
      // The refresh is 1 s: the newest sample is from the last round before the signal, or after it.
      assert.ok(last >= signalled - 1500, `last sample ${signalled - last} ms before the signal`);
      const rep = await runCli(['report', record], { timeoutMs: 2 * MIN });
      assert.equal(rep.code, 0, rep.stderr);
      const { events } = castEvents(cast);
      // Leaving the alternate screen is the last thing drawn (a cursor or mode reset written by the
      // terminal library on its way out may follow it, no frame may).
      let left = -1;
      events.forEach(([, kind, data], i) => {
        if (kind === 'o' && data.includes('\x1b[?1049l')) left = i;
      });
      const tail = events.slice(left + 1).map(([, , data]) => data);
      assert.ok(left >= 0, 'the cast leaves the full screen, as a normal quit does');
      assert.ok(!tail.some((d) => /\x1b\[\?1049h|\x1b\[\d+;1H/.test(d)), `nothing is drawn after leaving it: ${JSON.stringify(tail).slice(0, 300)}`);
      tmux.kill();
    });
  }
}

