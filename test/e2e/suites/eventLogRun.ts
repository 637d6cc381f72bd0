/**
 * The same run twice: recorded live by the monitor (`--record`) and read afterwards from the Spark
 * event log the lab wrote. The lab's job is resubmitted while the monitor records (so both hold
 * the run from its start), with a 15 s trigger so that the application can be ended right after
 * the monitor has seen its newest batch: then both sources hold the same batches, and the two
 * reports agree on them. The replay of the event log ends on the same last batch.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { readRecording } from '../../../src/record/reader.js';
import { eventually, getJson, runCli } from '../helpers.js';
import { ensureJobRunning, lastBatchOnScreen, LISTENER, MASTER, masterJson } from '../labProbe.js';
import { TmuxSession } from '../tmux.js';
import { LAB } from '../labUnderTest.js';
import { UI_GUARD_HEADER } from '../../../src/lab/provision/uiGuardJar.js';
import { labUiToken } from '../../../src/lab/sparkAuth.js';

const MIN = 60_000;
const BATCHES = 8;

interface ProgressEvent {
  runId: string;
  batchId: number;
}

/** The experiments table's row of `appId` (the report's `## Experiments`), by column header. */
function experimentRow(markdown: string, appId: string): Record<string, string> {
  const lines = markdown.split('\n');
  const cells = (line: string) => line.replace(/^\| | \|$/g, '').split(' | ').map((c) => c.trim());
  const header = cells(lines.find((l) => l.startsWith('| # | start (UTC) |'))!);
  const rows = lines.filter((l) => /^\| \d+( \(current\))? \|/.test(l) && l.includes(` ${appId} `));
  assert.equal(rows.length, 1, `one experiment segment of ${appId}:\n${rows.join('\n')}`);
  const values = cells(rows[0]!);
  return Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
}

export function eventLogRunSuite(): void {
  let dir = '';
  let monitor: TmuxSession | null = null;
  let replay: TmuxSession | null = null;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-eventlog-run-'));
  });

  after(async () => {
    monitor?.kill();
    replay?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
    await ensureJobRunning();
  });

  it('the report from the event log agrees with the report from the recording (batches, rows per batch, in/s, out/s, p50, p95, max); its replay ends on the same batch', async () => {
    const recording = path.join(dir, 'run.jsonl');
    monitor = new TmuxSession(120, 40, ['--record', recording]);
    await eventually('the recording started', async () => (fs.existsSync(recording) && fs.statSync(recording).size > 0 ? true : undefined), MIN, 500);

    const submit = await runCli(['submit', '--shuffle-partitions', '4', '--trigger', '15s'], { timeoutMs: 15 * MIN });
    assert.equal(submit.code, 0, `${submit.stdout}\n${submit.stderr}`);
    const appId = (await masterJson()).activeapps[0]!.id;
    const progress = async () => (await getJson<{ progress: ProgressEvent[] }>(`http://${LISTENER.host}:${LISTENER.port}/progress`)).progress;
    await eventually(`${BATCHES} batches of ${appId}`, async () => ((await progress()).length >= BATCHES ? true : undefined), 10 * MIN, 1000);

    // Right after a batch ends, once the monitor shows it: the next one is 15 s of trigger away, room
    // enough for the kill to end the application first even on a loaded machine.
    const seen = (await progress()).at(-1)!.batchId;
    const newest = await eventually('a new batch', async () => {
      const last = (await progress()).at(-1)!.batchId;
      return last > seen ? last : undefined;
    }, MIN, 100);
    await eventually(`the monitor showing batch #${newest}`, async () => (lastBatchOnScreen(monitor!.capture()) === newest ? true : undefined), 10_000, 100);
    // The lab master's UI guard asks for its owner's token (spark-apps/ui-guard).
    const killed = await fetch(`${MASTER}/app/kill/`, {
      method: 'POST',
      headers: { [UI_GUARD_HEADER]: labUiToken(LAB.paths) },
      body: new URLSearchParams({ id: appId, terminate: 'true' }),
    });
    assert.ok(killed.ok, `kill ${appId}: HTTP ${killed.status}`);
    assert.equal((await progress().catch(() => [] as ProgressEvent[])).at(-1)?.batchId ?? newest, newest, 'no batch ended between the check and the kill');

    const logDir = path.join(LAB.paths.eventLogsDir, `eventlog_v2_${appId}`);
    await eventually('the event log closed by Spark', async () => (fs.existsSync(path.join(logDir, `appstatus_${appId}`)) ? true : undefined), 3 * MIN, 500);
    monitor.sendKeys('q');
    await eventually('the monitor closed the recording', async () => (!monitor!.alive() ? true : undefined), MIN, 200);

    const live = await runCli(['report', recording], { timeoutMs: 5 * MIN });
    assert.equal(live.code, 0, live.stderr);
    const fromLog = await runCli(['report', '--event-log', logDir], { timeoutMs: 5 * MIN });
    assert.equal(fromLog.code, 0, fromLog.stderr);
    const a = experimentRow(live.stdout, appId);
    const b = experimentRow(fromLog.stdout, appId);
    // The same batches: their number, rows per batch, rates and durations as the report prints them
    // (3 significant digits: within 1 %).
    // Which batches the recording holds, to tell an edge from a gap when the two disagree.
    const recorded = (await readRecording(recording)).samples.flatMap((s) => (s.kind === 'progress' ? s.data.progress.map((p) => `${p.batchId}:${p.numInputRows}`) : []));
    const segments = (md: string) => md.split('\n').filter((l) => l.startsWith('### Segment')).join('\n');
    for (const column of ['batches', 'rows/batch', 'in/s', 'out/s', 'p50', 'p95', 'max']) {
      if (b[column] === a[column]) continue;
      // Kept for a look afterwards: the recording and the event log (the suite's folders are deleted).
      const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-e2e-eventlog-kept-'));
      fs.copyFileSync(recording, path.join(kept, 'run.jsonl'));
      fs.cpSync(logDir, path.join(kept, path.basename(logDir)), { recursive: true });
      assert.fail(
        `${column}: event log ${b[column]}, recording ${a[column]} (newest seen #${newest}; recorded batch:rows ${recorded.join(' ')}; files kept in ${kept})\n` +
          `${JSON.stringify(a)}\n${JSON.stringify(b)}\nrecording's segments:\n${segments(live.stdout)}\nevent log's segments:\n${segments(fromLog.stdout)}`,
      );
    }
    assert.match(a.batches!, new RegExp(`^${newest - 1} \\(\\+2 warm-up\\)`), 'every batch of the run, the first two as warm-up');
    assert.notEqual(a['rows/batch'], '–');
    assert.match(fromLog.stdout, /Spark's view at each batch/);

    replay = new TmuxSession(120, 40, ['replay', '--event-log', logDir, '--at', '9:59:59']);
    await eventually(`the replay at its end showing batch #${newest}`, async () => (lastBatchOnScreen(replay!.capture()) === newest ? true : undefined), MIN, 500);
  });
}
