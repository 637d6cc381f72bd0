/** Hysteresis: a finding rises after N evaluations with its condition and clears after M without; no flapping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAdvisorState } from '../../src/model/advisor/index.js';
import { activeFindings, stepTrack } from '../../src/model/advisor/hysteresis.js';
import type { RawFinding } from '../../src/model/advisor/types.js';
import { derive } from '../../src/model/index.js';
import { findingOf, runAdvisor } from '../support/advisorFixture.js';
import { modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

/** The batch-over-target finding of the recorded steady run, as its rule returned it. */
function recordedRaw(): RawFinding {
  const f = findingOf(runAdvisor('steady').end, 'batch-over-target')!;
  return { id: f.id, severity: f.severity, title: f.title, evidence: f.evidence, suggestion: f.suggestion };
}

describe('advisor hysteresis', () => {
  const raw = recordedRaw();

  it('an alternating condition never raises a finding', () => {
    const s = createAdvisorState(5);
    for (let i = 0; i < 40; i++) stepTrack(s, raw.id, i % 2 === 0 ? raw : null, i * 1000, 3, 10);
    assert.deepEqual(activeFindings(s), []);
    assert.equal(s.cleared.size, 0);
  });

  it('rises on the 3rd consecutive evaluation, stays through gaps shorter than 10, clears on the 10th false one', () => {
    const s = createAdvisorState(5);
    const step = (i: number, holds: boolean) => stepTrack(s, raw.id, holds ? raw : null, i * 1000, 3, 10);
    step(0, true);
    step(1, true);
    assert.equal(activeFindings(s).length, 0);
    step(2, true);
    assert.equal(activeFindings(s)[0]!.since, 2000);
    // flapping afterwards: held, with the activation time kept
    for (let i = 3; i < 30; i++) step(i, i % 3 !== 0);
    assert.equal(activeFindings(s)[0]!.since, 2000);
    for (let i = 30; i < 39; i++) step(i, false);
    assert.equal(activeFindings(s).length, 1, 'still active after 9 false evaluations');
    step(39, false);
    assert.deepEqual(activeFindings(s), []);
    assert.deepEqual(
      s.cleared.toArray().map((c) => [c.id, c.since, c.clearedAt]),
      [['batch-over-target', 2000, 39_000]],
    );
  });

  it('derive evaluates at most once per second of its clock, however often it is called', () => {
    const answers = answersFromFixture('steady');
    const { model, now } = modelFromAnswers(answers);
    for (let k = 0; k < 30; k++) derive(model, now + k * 10); // 30 frames within 300 ms
    assert.deepEqual(derive(model, now + 400).findings, [], 'one evaluation: nothing has held 3 times yet');
    derive(model, now + 1000);
    const d = derive(model, now + 2000);
    assert.deepEqual(
      d.findings.map((f) => [f.id, f.since]),
      [
        ['batch-over-target', now + 2000],
        ['shuffle-partitions', now + 2000],
      ],
    );
    assert.equal(d.advisor.evaluatedAt, now + 2000);
  });

  it('the advisor state stays bounded: one track per rule, a ring of cleared findings', () => {
    const run = runAdvisor('resubmit', { model: { advisor: { hysteresis: { cleared: 3, raiseAfter: 1, clearAfter: 1, healthyAfter: 1 } } } });
    assert.ok(run.end.advisor.cleared.length <= 3);
    const newestFirst = run.end.advisor.cleared.map((c) => c.clearedAt);
    assert.deepEqual(newestFirst, [...newestFirst].sort((a, b) => b - a));
  });

  it('rejects a hysteresis that is not a positive integer', () => {
    assert.throws(() => runAdvisor('steady', { model: { advisor: { hysteresis: { raiseAfter: 0 } } }, until: 1 }), RangeError);
  });
});
