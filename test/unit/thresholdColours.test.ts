/**
 * One source for every threshold: the executors' colours and the sweep's generator-bound judge by
 * the advisor's thresholds in force, so after `--threshold` they agree with the advisor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ADVISOR_THRESHOLDS, resolveAdvisorOptions } from '../../src/model/advisor/options.js';
import { gcTone, skewTone } from '../../src/ui/executorColumns.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';

describe('thresholds: one source', () => {
  it('the derived state carries the thresholds in force (steady recording, gcRatio and skew given)', () => {
    const advisor = { thresholds: { gcRatio: 0.002, skew: { low: 1.005, moderate: 1.01 } } };
    const d = derivedFromFixture('steady', { model: { advisor } });
    assert.equal(d.thresholds.gcRatio, 0.002);
    assert.equal(d.thresholds.skew.moderate, 1.01);
    assert.deepEqual(derivedFromFixture('steady').thresholds, DEFAULT_ADVISOR_THRESHOLDS);
  });

  it('colours: default levels, then the same values under lowered thresholds', () => {
    const lowered = resolveAdvisorOptions({ thresholds: { gcRatio: 0.01, gcError: 0.02, skew: { low: 1.01, moderate: 1.05, severe: 1.2 } } }).thresholds;
    assert.equal(gcTone(0.05, DEFAULT_ADVISOR_THRESHOLDS), undefined);
    assert.equal(gcTone(0.05, lowered), 'bad');
    assert.equal(gcTone(0.015, lowered), 'warn');
    assert.equal(gcTone(0.01, lowered), undefined, 'at gcRatio itself the advisor raises nothing either');
    assert.equal(skewTone(1.1, DEFAULT_ADVISOR_THRESHOLDS), undefined);
    assert.equal(skewTone(1.1, lowered), 'warn');
    assert.equal(skewTone(1.3, lowered), 'bad');
    assert.equal(skewTone(null, lowered), undefined);
  });
});
