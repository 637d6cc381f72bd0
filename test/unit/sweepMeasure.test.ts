/**
 * A sweep step's figures on a recording of the real lab (test/fixtures/lab/experiments.jsonl: one
 * generator, then two, a higher rate, a resubmission): measured over the windows where the load
 * did not change, and recomputed here from the raw samples.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../src/model/samples.js';
import { percentile } from '../../src/model/rates.js';
import { sparkDate } from '../../src/model/time.js';
import { leastSquares, measureWindow } from '../../src/sweep/measure.js';
import { FEW_BATCHES, inconclusiveAtCap, judgeStep, limitOfStep, restsOnFewBatches } from '../../src/sweep/verdict.js';
import { DEFAULT_ADVISOR_THRESHOLDS } from '../../src/model/advisor/options.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';

const samples = samplesFromFixture('experiments');
const TOPIC = 'logs';

/** Stretches where the generators' summed target stayed the same, from 10 s after a change to the next one. */
function steadyWindows(all: readonly Sample[]): Array<{ from: number; to: number; targetRps: number; settleFrom: number }> {
  const out: Array<{ from: number; to: number; targetRps: number; settleFrom: number }> = [];
  let start: number | null = null;
  let target: number | null = null;
  let lastT = 0;
  for (const s of all) {
    // A resubmission ends a stretch too (a control sample, then another app).
    if (s.kind === 'control' && start !== null && target !== null) {
      if (s.t - start > 40_000) out.push({ settleFrom: start, from: start + 10_000, to: s.t, targetRps: target });
      start = null;
      target = null;
      continue;
    }
    if (s.kind !== 'generators') continue;
    const sum = s.data.generators.reduce((a, g) => a + (g.paused ? 0 : g.targetRps), 0);
    if (sum !== target) {
      if (start !== null && target !== null && lastT - start > 40_000) out.push({ settleFrom: start, from: start + 10_000, to: lastT, targetRps: target });
      start = s.t;
      target = sum;
    }
    lastT = s.t;
  }
  if (start !== null && target !== null && lastT - start > 40_000) out.push({ settleFrom: start, from: start + 10_000, to: lastT, targetRps: target });
  return out;
}

const windows = steadyWindows(samples);
const since = (t: number) => samples.filter((s) => s.t >= t);
/** The window with the most batches: the lag trend needs at least 3. */
const busiest = windows.reduce((a, b) => (measureWindow(since(b.settleFrom), b.from, b.to, TOPIC).batches > measureWindow(since(a.settleFrom), a.from, a.to, TOPIC).batches ? b : a));

/** Adds `perSecond` × elapsed seconds to every partition's log-end offset: a backlog growing that fast per partition. */
function withGrowingBacklog(all: readonly Sample[], perSecond: number, t0: number): Sample[] {
  return all.map((s) =>
    s.kind === 'kafka'
      ? { ...s, data: { ...s.data, partitions: s.data.partitions.map((p) => ({ ...p, logEndOffset: p.logEndOffset + Math.round((perSecond * (s.t - t0)) / 1000) })) } }
      : s,
  );
}

describe('sweep: measuring a step on the real lab recording', () => {
  it('finds the steady stretches of the recording (at least two loads)', () => {
    assert.ok(windows.length >= 2, `steady windows: ${JSON.stringify(windows)}`);
    assert.ok(new Set(windows.map((w) => w.targetRps)).size >= 2);
  });

  it('the produce rate is what the generators were asked for (Kafka offsets vs the generators\' own stats)', () => {
    for (const w of windows) {
      const m = measureWindow(since(w.settleFrom), w.from, w.to, TOPIC);
      assert.ok(m.produceRps !== null);
      assert.ok(Math.abs(m.produceRps - w.targetRps) / w.targetRps < 0.05, `produced ${m.produceRps} for target ${w.targetRps}`);
    }
  });

  it('counts exactly the listener batches that started and were delivered inside the window; p95 is their nearest rank', () => {
    for (const w of windows) {
      const m = measureWindow(since(w.settleFrom), w.from, w.to, TOPIC);
      const expected = new Map<string, number>();
      for (const s of samples) {
        if (s.kind !== 'progress' || s.data.origin !== 'listener' || s.t < w.from || s.t > w.to) continue;
        for (const p of s.data.progress) if (sparkDate(p.timestamp)! >= w.from) expected.set(`${p.runId}/${p.batchId}`, p.durationMs.triggerExecution!);
      }
      assert.deepEqual(m.batchIds, [...expected.keys()]);
      assert.ok(m.batches >= 1, `a 30 s+ window of the lab holds a batch (${m.batches})`);
      const sorted = [...expected.values()].sort((a, b) => a - b);
      assert.equal(m.p95Ms, percentile(sorted, 0.95));
      assert.equal(m.maxMs, sorted.at(-1));
    }
  });

  it('the lag trend moves by exactly the backlog growth added to every partition', () => {
    const w = busiest;
    const base = measureWindow(since(w.settleFrom), w.from, w.to, TOPIC);
    const partitions = (samples.find((s) => s.kind === 'kafka' && s.t >= w.from) as Extract<Sample, { kind: 'kafka' }>).data.partitions.length;
    const grown = measureWindow(withGrowingBacklog(since(w.settleFrom), 700, w.settleFrom), w.from, w.to, TOPIC);
    assert.ok(base.lagSlope !== null && grown.lagSlope !== null);
    assert.ok(Math.abs(grown.lagSlope - base.lagSlope - 700 * partitions) < 5, `slope ${base.lagSlope} → ${grown.lagSlope} with ${partitions} partitions`);
    assert.ok(grown.lagEnd! > base.lagEnd!);
  });

  it('judges: a growing backlog is not sustainable; a rate the generators did not deliver is generator-bound', () => {
    const w = busiest;
    const grown = measureWindow(withGrowingBacklog(since(w.settleFrom), w.targetRps / 4, w.settleFrom), w.from, w.to, TOPIC);
    const v = judgeStep(w.targetRps, grown, 20_000, [], DEFAULT_ADVISOR_THRESHOLDS.generatorFraction);
    assert.equal(v.outcome, 'unsustainable');
    assert.match(v.reasons.join(' '), /lag growing/);
    assert.equal(limitOfStep(v), 'falling-behind');

    const m = measureWindow(since(w.settleFrom), w.from, w.to, TOPIC);
    const asked = judgeStep(w.targetRps * 2, m, 20_000, [{ id: 'healthy' }], DEFAULT_ADVISOR_THRESHOLDS.generatorFraction);
    assert.equal(asked.outcome, 'generator-bound');
    assert.match(asked.reasons[0]!, /delivered .* of the .* asked for/);
    assert.equal(limitOfStep(asked), 'generator-bound');
    // The fraction is the advisor's threshold in force (--threshold generatorFraction=0.4): half the rate passes it.
    assert.notEqual(judgeStep(w.targetRps * 2, m, 20_000, [], 0.4).outcome, 'generator-bound');
  });

  it('a window with too few batches, because they are long, says they are over the target', () => {
    const w = windows.find((x) => measureWindow(since(x.settleFrom), x.from, x.to, TOPIC).batches < 3)!;
    assert.ok(w, 'the recording has a stretch of long batches (3 000 rec/s on one core)');
    const m = measureWindow(since(w.settleFrom), w.from, w.to, TOPIC);
    const v = judgeStep(w.targetRps, m, Math.floor(m.maxMs! / 2), [], DEFAULT_ADVISOR_THRESHOLDS.generatorFraction);
    assert.equal(v.outcome, 'unsustainable');
    assert.match(v.reasons[0]!, /^batches up to \d+\.\d s ≥ target/);
    assert.equal(limitOfStep(v), 'batch-over-target');
    assert.doesNotMatch(judgeStep(w.targetRps, m, m.maxMs! + 1, [], DEFAULT_ADVISOR_THRESHOLDS.generatorFraction).reasons.join(), /≥ target/);
  });

  it('a window with too few batches, none over the target, is inconclusive, not unsustainable (the classroom baseline: 2 batches in 37 s)', () => {
    const steady = samplesFromFixture('steady');
    const t0 = steady[0]!.t;
    const m = measureWindow(steady, t0 + 38_000, t0 + 75_000, TOPIC);
    assert.equal(m.batches, 2);
    assert.ok(m.maxMs! < 20_000 && m.inputRps! > 9000 && m.processedRps! > m.inputRps!, 'Spark kept up with each of the two');
    const v = judgeStep(10_000, m, 20_000, [], DEFAULT_ADVISOR_THRESHOLDS.generatorFraction);
    assert.deepEqual([v.outcome, v.reasons], ['inconclusive', ['too short: 2 batches']]);
    assert.equal(limitOfStep(v), 'inconclusive');
    assert.equal(restsOnFewBatches({ outcome: v.outcome, measurement: m }), false, 'no verdict to mark');
    assert.equal(Math.round(m.batchIntervalMs!), 17_671);
    assert.deepEqual(inconclusiveAtCap(v, m).reasons, ['2 batches in 37 s, one every ~18 s: 3 needed to judge, a longer --max-measure (about 71s)']);
    // The batches that end the window later: judged, and marked as resting on few batches.
    const later = measureWindow(steady, t0 + 38_000, t0 + 99_000, TOPIC);
    const judged = judgeStep(10_000, later, 20_000, [], DEFAULT_ADVISOR_THRESHOLDS.generatorFraction);
    assert.equal(judged.outcome, 'sustainable');
    assert.equal(restsOnFewBatches({ outcome: judged.outcome, measurement: later }), true);
    assert.equal(restsOnFewBatches({ outcome: 'sustainable', measurement: { batches: FEW_BATCHES } }), false);
    assert.equal(restsOnFewBatches({ outcome: 'generator-bound', measurement: later }), false, 'judged on Kafka\'s offsets');
    // No batch at all in the window: says so, without an interval to go by.
    const none = measureWindow(steady, t0 + 2000, t0 + 30_000, TOPIC);
    assert.equal(none.batches, 0);
    assert.match(inconclusiveAtCap(judgeStep(10_000, none, 20_000, [], 0.9), none).reasons[0]!, /^no batch started and ended within 28 s \(--max-measure\)/);
  });

  it('the advisor\'s cause is named before the symptom', () => {
    assert.equal(limitOfStep({ outcome: 'unsustainable', reasons: ['lag growing +3k/s'], findings: ['falling-behind', 'read-parallelism'] }), 'read-parallelism');
    assert.equal(limitOfStep({ outcome: 'unsustainable', reasons: ['p95 batch 25.0 s ≥ target 20.0 s'], findings: ['batch-over-target'] }), 'batch-over-target');
  });

  it('least squares: slope and standard error', () => {
    const exact = leastSquares([
      [0, 1],
      [1, 3],
      [2, 5],
      [3, 7],
    ])!;
    assert.equal(exact.slope, 2);
    assert.equal(exact.error, 0);
    const noisy = leastSquares([
      [0, 0],
      [1, 2],
      [2, 0],
      [3, 2],
    ])!;
    assert.ok(noisy.error > 0 && Math.abs(noisy.slope - 0.4) < 1e-9);
    assert.equal(leastSquares([[0, 1], [1, 2]]), null);
  });
});
