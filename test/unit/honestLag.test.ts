/**
 * Offsets belong to the run that committed them: when another application or run takes over the
 * topic the lag is unknown (never STOP) until that run's first commit, the panels say why and what
 * to do, and the header's verdict says it cannot judge when neither lag nor rates are known.
 * From the recordings of the real lab (test/fixtures/lab).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derive } from '../../src/model/index.js';
import type { EndpointAnswer } from '../../src/sources/answers.js';
import { lagUnknownText } from '../../src/ui/remedy.js';
import { panelText } from '../support/screenText.js';
import { derivedFromFixture, modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { appShower, linesOf } from '../support/screen.js';

const show = appShower();
const SIZE = { columns: 120, rows: 40 };
const NEW_APP = 'app-20261128183210-0001';

/**
 * resubmit.jsonl as if the new application were a job without the listener: from the moment the
 * new driver answered (line 173) every listener answer is a refused connection.
 */
function newAppWithoutListener(): EndpointAnswer[] {
  return answersFromFixture('resubmit').map((a, i) => (i >= 172 && a.endpoint === 'listener:/progress' ? { ...a, status: null, body: { error: 'connection refused' } } : a));
}

describe('another application takes over the topic', () => {
  it('the lag is unknown, with the reason, from the new driver\'s first answer until its run commits (resubmit)', () => {
    for (const at of [172, 250, 353]) {
      const d = derivedFromFixture('resubmit', { at });
      assert.equal(d.app.id, NEW_APP);
      assert.deepEqual(d.partitions.rows.map((r) => r.status), ['UNKNOWN', 'UNKNOWN']);
      assert.equal(d.partitions.lagUnknown, 'new-run');
      assert.equal(d.health, 'unknown');
      // Raised while the driver was gone (lines 132–172), it clears after its hysteresis.
      if (at > 200) assert.equal(d.findings.some((f) => f.id === 'partitions-stop'), false, 'no "stopped committing" for a topic a new run consumes');
    }
    const after = derivedFromFixture('resubmit', { at: 354 });
    assert.equal(after.partitions.lagUnknown, null);
    assert.deepEqual(after.partitions.rows.map((r) => r.status), ['OK', 'OK']);
  });

  it("a new application without the listener never inherits the old offsets: UNKNOWN for the rest of the recording, rates only its own", () => {
    const answers = newAppWithoutListener();
    // The listener's first refusal: for 30 s the new run's listener may still be starting ('new-run');
    // past that, its commits are unseen and the panel names the remedy ('no-progress').
    const refusedFrom = answers.find((a, i) => i >= 172 && a.endpoint === 'listener:/progress')!.t;
    const reasons = new Set<string>();
    for (const end of [200, 400, answers.length]) {
      const { model, now } = modelFromAnswers(answers.slice(0, end));
      const d = derive(model, now);
      assert.equal(d.app.id, NEW_APP);
      assert.deepEqual(d.partitions.rows.map((r) => [r.sparkOffset, r.lag, r.status]), [[null, null, 'UNKNOWN'], [null, null, 'UNKNOWN']], `first ${end} answers`);
      assert.equal(d.partitions.lagUnknown, now - refusedFrom > 30_000 ? 'no-progress' : 'new-run', `first ${end} answers`);
      reasons.add(d.partitions.lagUnknown!);
      // Rates from the new app's own batches (rows from its stages), never the old app's.
      const own = [...d.batches.rows].reverse().find((r) => r.appId === NEW_APP && r.inputRps !== null) ?? null;
      assert.equal(d.rates.inputRps, own?.inputRps ?? null, "the old app's rates are not the new one's");
    }
    assert.deepEqual([...reasons].sort(), ['new-run', 'no-progress'], 'both moments are in the recording');
  });

  it("offsets read while the driver did not answer (no application id) are still the old application's: a new one without the listener never inherits them", () => {
    // The old run's last commits delivered in the ticks its driver was already failing (as when a job
    // is stopped: its REST API goes before the listener's last answer is read).
    const base = newAppWithoutListener();
    const driverGone = base.findIndex((a) => a.endpoint.startsWith('driver:') && a.status !== 200);
    let lastCommits = -1;
    for (let i = 0; i < driverGone; i++) {
      const a = base[i]!;
      if (a.endpoint === 'listener:/progress' && a.status === 200 && ((a.body as { progress?: unknown[] }).progress ?? []).length > 0) lastCommits = i;
    }
    const from = base[lastCommits]!.t - 1500;
    const answers = base.map((a, i) => (a.endpoint.startsWith('driver:') && a.t >= from && i < driverGone ? { ...a, status: null, body: { error: 'connection refused' } } : a));
    const atSwitch = modelFromAnswers(answers.slice(0, driverGone));
    assert.equal(atSwitch.model.lag.reference?.appId, null, 'the newest commit was read without an application id');
    for (const end of [400, answers.length]) {
      const { model, now } = modelFromAnswers(answers.slice(0, end));
      const d = derive(model, now);
      assert.equal(d.app.id, NEW_APP);
      assert.deepEqual(d.partitions.rows.map((r) => [r.sparkOffset, r.lag, r.status]), [[null, null, 'UNKNOWN'], [null, null, 'UNKNOWN']], `first ${end} answers`);
      assert.equal(d.partitions.lagUnknown, 'no-progress', `first ${end} answers`);
    }
  });

  it('while the driver is unreachable nothing consumes: STOP, as before (resubmit line 132)', () => {
    const d = derivedFromFixture('resubmit', { at: 131 });
    assert.deepEqual(d.partitions.rows.map((r) => r.status), ['STOP', 'STOP']);
    assert.equal(d.partitions.lagUnknown, null);
  });
});

describe('what the panels say when the lag is unknown', () => {
  it('no listener (no-listener recording): the partitions panel names the remedy, the rates panel the attach command', () => {
    const d = derivedFromFixture('no-listener');
    assert.equal(d.partitions.lagUnknown, 'no-progress');
    const lines = linesOf(show(d, SIZE));
    const partitions = panelText(lines, 'Partitions');
    assert.match(partitions, /lag unknown: .*sparktop attach.*--checkpoint DIR/);
    const rates = panelText(lines, 'Rates');
    assert.match(rates, /progress unreachable since \d\d:\d\d:\d\d \(fetch failed\)/);
    assert.match(rates, /no listener\? add the options `sparktop attach` prints/);
  });

  it('before the first batch (steady line 4–247): unknown until the first batch, and the header says it cannot judge', () => {
    const d = derivedFromFixture('steady', { at: 100 });
    assert.equal(d.partitions.lagUnknown, 'no-commit-yet');
    assert.equal(d.health, 'unknown');
    const lines = linesOf(show(d, SIZE));
    assert.match(lines[0]!, /LAG & RATES UNKNOWN/);
    assert.match(panelText(lines, 'Partitions'), /lag unknown until the job completes its first batch/);
  });

  it('every reason has a form that fits a narrow panel', () => {
    for (const reason of ['no-progress', 'new-run', 'topic-recreated', 'no-commit-yet'] as const) {
      assert.ok(lagUnknownText(reason, 40).length <= 40, reason);
      assert.ok(lagUnknownText(reason, 200).length > lagUnknownText(reason, 40).length || lagUnknownText(reason, 40).length <= 40);
    }
  });
});
