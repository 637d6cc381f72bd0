/**
 * Executors: task-time share, GC ratio and skew from counter deltas over the last 30 s (not since
 * start), worked out by hand from the recorded /allexecutors answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Derived, ExecutorRow } from '../../src/model/derivedTypes.js';
import { hostOf, maxOverMedian } from '../../src/model/executors.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';

function executor(d: Derived, id: string): ExecutorRow {
  const e = d.executors.rows.find((r) => r.id === id);
  assert.ok(e, `executor ${id}`);
  return e;
}

const close = (actual: number | null, expected: number, eps = 1e-9) => assert.ok(actual !== null && Math.abs(actual - expected) < eps, `${actual} ≈ ${expected}`);

describe('window shares, GC ratio and skew (steady, end)', () => {
  // Newest /allexecutors: line 594 (t=1795890712287): totalDuration / totalGCTime / totalShuffleRead
  //   0: 89543 / 795 / 134273     1: 88480 / 924 / 115608
  // Window start 1795890682287: the newest answer at or before it is line 409 (t=…681288)
  //   0: 60135 / 633 / 64549      1: 59393 / 716 / 55935
  // Δ task: 29408 and 29087 (sum 58495); Δ GC: 162 and 208; Δ shuffle read: 69724 and 59673.
  const d = derivedFromFixture('steady');

  it('shares the window task time, not the time since start', () => {
    close(executor(d, '0').taskShare, 29408 / 58495);
    close(executor(d, '1').taskShare, 29087 / 58495);
    // since start the shares would be 89543 / 178023 = 0.50299…, a different number
    assert.notEqual(executor(d, '0').taskShare, 89543 / (89543 + 88480));
  });

  it('GC ratio = Δ GC ÷ Δ task time in the window', () => {
    close(executor(d, '0').gcRatio, 162 / 29408);
    close(executor(d, '1').gcRatio, 208 / 29087);
  });

  it('skew = max ÷ median over the active non-driver executors', () => {
    close(d.executors.skew.taskTime, 29408 / ((29408 + 29087) / 2));
    close(d.executors.skew.shuffleRead, 69724 / ((69724 + 59673) / 2));
  });

  it('reports cumulative counters as Spark gives them, and lists the driver without a share', () => {
    const e0 = executor(d, '0');
    assert.equal(e0.taskTimeMs, 89543);
    assert.equal(e0.gcTimeMs, 795);
    assert.equal(e0.shuffleReadBytes, 134273);
    assert.equal(e0.host, '127.0.0.1');
    assert.equal(executor(d, '1').host, '127.0.0.1');
    assert.deepEqual(
      d.executors.rows.map((r) => r.id),
      ['driver', '0', '1'],
    );
    assert.equal(executor(d, 'driver').taskShare, null);
    assert.deepEqual(d.executors.removed, []);
  });

  it('finds no skew worth reporting (below Dr. Elephant moderate, 1.78)', () => {
    assert.ok(!d.findings.some((f) => f.id.startsWith('skew')));
  });
});

describe('a skewed window (kafka-down, while the batch hangs)', () => {
  // Newest /allexecutors: line 312 (t=1795890914103): 0: 83810 / 1086 / 297809, 1: 84411 / 971 / 299492
  // Window start …884103 → line 125 (t=…883138): 0: 83494 / 1086 / 295868, 1: 83554 / 911 / 297036
  // Δ task 316 and 857 (sum 1173); Δ GC 0 and 60; Δ shuffle 1941 and 2456.
  const d = derivedFromFixture('kafka-down', { at: 311 });

  it('shares and skew follow the window', () => {
    close(executor(d, '0').taskShare, 316 / 1173);
    close(executor(d, '1').taskShare, 857 / 1173);
    close(d.executors.skew.taskTime, 857 / ((316 + 857) / 2));
    close(d.executors.skew.shuffleRead, 2456 / ((1941 + 2456) / 2));
    close(executor(d, '0').gcRatio, 0);
    close(executor(d, '1').gcRatio, 60 / 857);
  });

  it('has unknown shares (null) when no task ran in the window', () => {
    // line 320 (index 319): no executor's totalDuration changed over the last 30 s of the hang
    const idle = derivedFromFixture('kafka-down', { at: 319 });
    assert.equal(executor(idle, '0').taskShare, null);
    assert.equal(executor(idle, '0').gcRatio, null);
    assert.equal(idle.executors.skew.taskTime, null);
  });
});

describe('a new application resets the executor windows (resubmit)', () => {
  it('shows only the new app’s executors right after the change (line 173)', () => {
    const d = derivedFromFixture('resubmit', { at: 172 });
    assert.equal(d.app.id, 'app-20261128183210-0001');
    assert.deepEqual(
      d.executors.rows.map((r) => r.id),
      ['driver'],
    );
    assert.equal(d.executors.skew.taskTime, null);
  });

  it('counts all the work of executors added inside the window (line 330)', () => {
    // New executors 0 and 1 added at 18:32:23.942 / 18:32:23.569 GMT (inside the 30 s window); their
    // first work shows at line 330 (t=…763568): totalDuration 13249 and 13077 → base 0.
    const d = derivedFromFixture('resubmit', { at: 330 });
    close(executor(d, '0').taskShare, 13249 / (13249 + 13077));
    close(d.executors.skew.taskTime, 13249 / ((13249 + 13077) / 2));
  });
});

describe('helpers', () => {
  it('max ÷ median', () => {
    assert.equal(maxOverMedian([]), null);
    assert.equal(maxOverMedian([5]), null);
    assert.equal(maxOverMedian([0, 0, 9]), null);
    assert.equal(maxOverMedian([1, 2, 10]), 5);
    assert.equal(maxOverMedian([2, 4]), 4 / 3);
  });

  it('host of host:port', () => {
    assert.equal(hostOf('127.0.0.1:46709'), '127.0.0.1');
    assert.equal(hostOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostOf('[::1]:4040'), '[::1]');
    assert.equal(hostOf('worker-3.lab:7078'), 'worker-3.lab');
  });
});
