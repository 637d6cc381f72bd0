/**
 * The live monitor's action flow (resubmit form, kill confirmation) rendered in a virtual terminal
 * over a model fed by a real lab fixture. The control is a stand-in for sparktop's own
 * PipelineControl interface (what the hotkeys call), so the ui flow is tested without a lab; the
 * real actions are tested against the live lab in test/e2e.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { createElement } from 'react';
import { Live, type LiveRecorder } from '../../src/commands/live.js';
import { readRecording } from '../../src/record/reader.js';
import { openRecordingSession } from '../../src/record/session.js';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import type { JobResources } from '../../src/domain/resources.js';
import { WatchOnly, type ActionResult, type GeneratorsState, type PipelineControl, type ResubmitProgress, type ReviewedResubmit } from '../../src/control/types.js';
import { applySample, derive } from '../../src/model/index.js';
import { renderVirtual, type VirtualTerminal } from '../support/virtualTerminal.js';
import { modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { tempDir } from '../support/tempDir.js';

class StandInControl implements PipelineControl {
  readonly target = 'local' as const;
  readonly unavailableReason = null;
  calls: Array<{ method: string; resources?: JobResources; reviewed?: unknown }> = [];
  finishResubmit: (r: ActionResult) => void = () => undefined;
  steps: ResubmitProgress['onStep'] = () => undefined;
  generators(): GeneratorsState | null {
    return { count: 1, ratePerGenerator: 10_000, paused: false };
  }
  scaleGenerators(): Promise<ActionResult> {
    return Promise.resolve({ ok: true, message: 'scaled' });
  }
  setRate(): Promise<ActionResult> {
    return Promise.resolve({ ok: true, message: 'rate set' });
  }
  setPaused(): Promise<ActionResult> {
    return Promise.resolve({ ok: true, message: 'paused' });
  }
  jobResources(): JobResources {
    return { executorCores: 1, executorMemory: '1g', driverMemory: '1g', conf: {} };
  }
  reviewResubmit(resources: JobResources): Promise<ReviewedResubmit> {
    this.calls.push({ method: 'review', resources });
    return Promise.resolve({ ok: true, commandLine: `spark-submit --total-executor-cores ${resources.totalExecutorCores} app.py`, checkpointDir: '/tmp/ck-1' });
  }
  resubmit(resources: JobResources, progress: ResubmitProgress): Promise<ActionResult> {
    this.calls.push({ method: 'resubmit', resources, reviewed: progress.reviewed });
    this.steps = progress.onStep;
    return new Promise((resolve) => (this.finishResubmit = resolve));
  }
  killJob(): Promise<ActionResult> {
    this.calls.push({ method: 'kill' });
    return Promise.resolve({ ok: true, message: 'killed app-1; no job running (r resubmits)' });
  }
}

const open: VirtualTerminal[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.unmount();
});

// eslint-disable-next-line no-control-regex
const plain = (frame: string) => frame.replace(/\x1b\[[0-9;]*m/g, '');
const ENTER = '\r';
const ESC = '\x1b';
const TAB = '\t';
const BACKSPACE = '\x7f';

const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The live view with the monitor's own recording session, writing into a temporary directory. */
function showLive(control: PipelineControl) {
  const { model } = modelFromAnswers(answersFromFixture('steady'));
  const config = watchConfigFor({});
  const dir = tempDir('sparktop-live-');
  tmpDirs.push(dir);
  const recordFile = path.join(dir, 'run.jsonl');
  const session = openRecordingSession({ record: recordFile, cast: null, config, size: { columns: 120, rows: 40 } });
  let t: VirtualTerminal | null = null;
  const recorder: LiveRecorder = {
    apply: (s) => {
      applySample(model, s);
      session.onSample(s);
    },
    mark: (note) => applySample(model, session.mark(note)),
    snapshot: () => session.snapshot(t!.lastFrame(), dir),
    recording: session.recording,
    firstNotice: session.error(),
  };
  t = renderVirtual(createElement(Live, { model, config, control, news: new EventEmitter(), recorder, onQuit: () => undefined }), { columns: 120, rows: 40 });
  open.push(t);
  return { t, model, session, recordFile, dir };
}

async function until(t: VirtualTerminal, re: RegExp): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const frame = plain(t.lastFrame());
    if (re.test(frame)) return frame;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`never showed ${re}:\n${plain(t.lastFrame())}`);
}

describe('live monitor actions', () => {
  it('r: the form, a refused invalid value, the review, apply with its steps, recorded', async () => {
    const control = new StandInControl();
    const { t, model } = showLive(control);
    await t.press('r');
    let frame = await until(t, /Resubmit the Spark job/);
    assert.match(frame, /executor cores\s+1▏/, 'prefilled and focused');
    assert.match(frame, /executor memory\s+1g/);
    await t.press(TAB);
    await t.press(TAB);
    await t.press('9');
    await t.press(ENTER);
    frame = await until(t, /1 field is invalid/);
    assert.match(frame, /total executor cores\s+9▏\s+at most \d+: the cluster's cores/);
    await t.press('+');
    assert.match(plain(t.lastFrame()), /total executor cores\s+9\+▏/, 'other hotkeys are inactive while the form is open');
    await t.press(BACKSPACE);
    await t.press(BACKSPACE);
    await t.press('2');
    await t.press(ENTER);
    frame = await until(t, /spark-submit --total-executor-cores 2 app\.py/);
    assert.deepEqual(control.calls[0], { method: 'review', resources: { executorCores: 1, executorMemory: '1g', totalExecutorCores: 2, driverMemory: '1g', conf: {} } });
    await t.press(ENTER);
    await until(t, /resubmitting \d+ s …/);
    assert.equal(control.calls[1]!.method, 'resubmit');
    assert.deepEqual(control.calls[1]!.reviewed, { checkpointDir: '/tmp/ck-1' }, 'the reviewed command line is the one that runs');
    control.steps('stopping app', 0);
    control.steps('resources free', 3100);
    await until(t, /resubmitting \d+ s: stopping app → resources free \(3\.1 s\) → …/);
    await t.press('k');
    await until(t, /an action is still running/);
    control.finishResubmit({ ok: true, message: 'app-2 is running, first batch #0 (10 rows)' });
    await until(t, /app-2 is running, first batch #0 \(10 rows\) \(\d+\.\d s\)/);
    const events = derive(model, Date.now()).events.map((e) => e.text).join('\n');
    assert.match(events, /resubmit/);
  });

  it('takes keys that arrive in one read (tmux send-keys, a fast typist, a paste)', async () => {
    const control = new StandInControl();
    const { t } = showLive(control);
    await t.press('r\t\t2\r');
    await until(t, /spark-submit --total-executor-cores 2 app\.py/);
    await t.press('\x1b');
    await t.press('\x1b');
    await until(t, /resubmit cancelled/);
    await t.press('77');
    await until(t, /Experiments/);
    await t.press('ky');
    await until(t, /killed app-1/);
    assert.deepEqual(control.calls.map((c) => c.method), ['review', 'kill'], 'the y of one read answered the question the k of it asked');
  });

  it('esc leaves the form without acting', async () => {
    const control = new StandInControl();
    const { t } = showLive(control);
    await t.press('r');
    await until(t, /Resubmit the Spark job/);
    await t.press(ESC);
    await until(t, /resubmit cancelled: nothing changed/);
    assert.deepEqual(control.calls, []);
  });

  it('k asks first; n keeps the job, y kills it', async () => {
    const control = new StandInControl();
    const { t } = showLive(control);
    await t.press('k');
    await until(t, /Kill the Spark job/);
    await t.press('x');
    assert.match(plain(t.lastFrame()), /Kill the Spark job/, 'another key does not answer');
    await t.press('n');
    await until(t, /kill cancelled: the job keeps running/);
    assert.deepEqual(control.calls, []);
    await t.press('k');
    await t.press('y');
    await until(t, /killed app-1; no job running/);
    assert.deepEqual(control.calls, [{ method: 'kill' }]);
  });

  it('says why r and k cannot act on a pipeline sparktop only watches', async () => {
    const { t } = showLive(new WatchOnly('sparktop only watches http://remote:4040'));
    await t.press('r');
    await until(t, /sparktop only watches http:\/\/remote:4040/);
    assert.doesNotMatch(plain(t.lastFrame()), /Resubmit the Spark job/);
    await t.press('k');
    assert.doesNotMatch(plain(t.lastFrame()), /Kill the Spark job/);
  });

  it('e writes the experiments table to the current directory and says where, never over an earlier one; a failure is said, not thrown', async () => {
    const dir = tempDir('sparktop-export-');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { t, model } = showLive(new StandInControl());
      await t.press('e');
      const frame = await until(t, /experiment\(s\) written to/);
      const rows = derive(model, Date.now()).experiments.length;
      assert.ok(rows >= 1);
      assert.match(frame, new RegExp(`${rows} experiment\\(s\\) written to ${dir}/experiments\\.md`));
      assert.match(fs.readFileSync(path.join(dir, 'experiments.md'), 'utf8'), /\|/);
      assert.equal(fs.readFileSync(path.join(dir, 'experiments.csv'), 'utf8').trim().split('\r\n').length, rows + 1, 'a header and one line per segment');
      const first = fs.readFileSync(path.join(dir, 'experiments.csv'), 'utf8');
      await t.press('e');
      await until(t, new RegExp(`written to ${dir}/experiments-2\\.md`));
      assert.equal(fs.readFileSync(path.join(dir, 'experiments-2.csv'), 'utf8').trim().split('\r\n').length, rows + 1, 'the pair has one number');
      assert.equal(fs.readFileSync(path.join(dir, 'experiments.csv'), 'utf8'), first, 'the first export is left as it was');
      // The working directory removed under the monitor: nothing can be written.
      fs.rmSync(dir, { recursive: true, force: true });
      await t.press('e');
      await until(t, /failed: cannot write the experiments/);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('m asks for a note and marks the moment (model and recording); s writes the screen; both recorded', async () => {
    const { t, model, session, recordFile, dir } = showLive(new StandInControl());
    await t.press('m');
    await until(t, /Mark this moment/);
    for (const c of 'rate x2') await t.press(c);
    await t.press('+');
    assert.match(plain(t.lastFrame()), /note: rate x2\+▏/, 'keys go to the note while it is open');
    await t.press(BACKSPACE);
    await t.press(ENTER);
    await until(t, /marked: rate x2/);
    assert.deepEqual(derive(model, Date.now()).marks.map((m) => m.note), ['rate x2']);
    await t.press('s');
    const frame = await until(t, /snapshot: \S+\.txt \(and \.ans\)/);
    const txt = /snapshot: (\S+\.txt)/.exec(frame)![1]!;
    assert.equal(path.dirname(txt), dir);
    assert.match(fs.readFileSync(txt, 'utf8'), /Partitions/);
    await t.press('m');
    await t.press(ESC);
    await until(t, /mark cancelled/);
    await session.close();
    const rec = await readRecording(recordFile);
    assert.deepEqual(rec.samples.filter((s) => s.kind === 'mark').map((s) => (s.data as { note: string }).note), ['rate x2']);
  });
});
