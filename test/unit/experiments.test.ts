/**
 * Experiment segments (view 7) on recordings of the real lab: the segments are cut where the
 * recording shows a change, and their figures are recomputed here from the raw answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Derived, ExperimentRow } from '../../src/model/derivedTypes.js';
import { LAG_GROWTH_FRACTION, MIN_VERDICT_BATCHES } from '../../src/model/experimentRows.js';
import { applySample, createModel, derive, type Sample } from '../../src/model/index.js';
import type { QueryProgress } from '../../src/model/samples.js';
import type { EndpointAnswer } from '../../src/sources/answers.js';
import { derivedFromFixture, modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture, samplesFromFixture } from '../support/samplesFromFixture.js';

const derivedOf = (samples: readonly Sample[], targetBatchMs?: number): Derived => {
  const model = createModel(targetBatchMs === undefined ? {} : { targetBatchMs });
  for (const s of samples) applySample(model, s);
  return derive(model, samples[samples.length - 1]!.t);
};

/** App ids in the order the driver's executors answers name them. */
function appsInOrder(samples: readonly Sample[]): string[] {
  const apps: string[] = [];
  for (const s of samples) if (s.kind === 'executors' && apps[apps.length - 1] !== s.data.appId) apps.push(s.data.appId);
  return apps;
}

/** Listener batches once each, with the app the driver named when they were delivered. */
function batchesOf(samples: readonly Sample[]): Array<{ p: QueryProgress; appId: string | null }> {
  const seen = new Set<string>();
  const out: Array<{ p: QueryProgress; appId: string | null }> = [];
  let app: string | null = null;
  for (const s of samples) {
    if (s.kind === 'executors') app = s.data.appId;
    if (s.kind !== 'progress' || s.data.origin !== 'listener') continue;
    for (const p of s.data.progress) {
      const key = `${p.runId}/${p.batchId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ p, appId: app });
    }
  }
  return out;
}

const nearestRank = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

function leastSquares(points: Array<{ x: number; y: number }>): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx > 0 ? sxy / sxx : null;
}

/**
 * The figures of one segment from the raw batches: those of its app whose start falls in
 * [start, end), without the first two batches of each run (every run in these recordings starts in view).
 */
function expectedFigures(all: ReturnType<typeof batchesOf>, row: ExperimentRow, next: ExperimentRow | undefined) {
  const firstTwo = new Set<string>();
  const byRun = new Map<string, number>();
  for (const { p } of all) {
    const n = (byRun.get(p.runId) ?? 0) + 1;
    byRun.set(p.runId, n);
    if (n <= 2) firstTwo.add(`${p.runId}/${p.batchId}`);
  }
  const inSegment = all.filter(({ p, appId }) => {
    const t = Date.parse(p.timestamp);
    const sameApp = appId === row.appId;
    const endsBefore = next === undefined || next.appId !== appId || t < next.start;
    const startsAfter = t >= row.start || (row.index === 1 && sameApp);
    return sameApp && startsAfter && endsBefore;
  });
  const counted = inSegment.filter(({ p }) => !firstTwo.has(`${p.runId}/${p.batchId}`)).map(({ p }) => p);
  const durations = counted.map((p) => p.durationMs.triggerExecution!);
  const rated = counted.filter((p) => p.numInputRows > 0 && (p.inputRowsPerSecond ?? 0) > 0 && (p.processedRowsPerSecond ?? 0) > 0);
  const rows = rated.reduce((s, p) => s + p.numInputRows, 0);
  const inSeconds = rated.reduce((s, p) => s + p.numInputRows / p.inputRowsPerSecond!, 0);
  const outSeconds = rated.reduce((s, p) => s + p.numInputRows / p.processedRowsPerSecond!, 0);
  return {
    batches: counted.length,
    warmup: inSegment.length - counted.length,
    inputRps: inSeconds > 0 ? rows / inSeconds : null,
    processedRps: outSeconds > 0 ? rows / outSeconds : null,
    p50Ms: nearestRank(durations, 0.5),
    p95Ms: nearestRank(durations, 0.95),
    maxMs: durations.length > 0 ? Math.max(...durations) : null,
  };
}

const close = (actual: number | null, expected: number | null, what: string) => {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
};

/** The verdict rule, restated: every failing criterion is a reason. */
function expectedVerdict(r: ExperimentRow, targetMs: number): boolean | null {
  if (r.batches < MIN_VERDICT_BATCHES) return null;
  const checks = [
    r.inputRps === null || r.processedRps === null ? null : r.processedRps >= r.inputRps,
    r.lagSlope === null ? null : r.lagSlope <= Math.max(1, LAG_GROWTH_FRACTION * (r.inputRps ?? 0)),
    r.p95Ms === null ? null : r.p95Ms < targetMs,
  ];
  if (checks.includes(false)) return false;
  return checks.includes(null) ? null : true;
}

describe('experiments: steady recording', () => {
  it('is one current segment of the one app, too short for a verdict after its two warm-up batches', () => {
    const samples = samplesFromFixture('steady');
    const d = derivedOf(samples);
    assert.equal(d.experiments.length, 1);
    const [seg] = d.experiments;
    assert.equal(seg!.current, true);
    assert.equal(seg!.end, null);
    assert.equal(seg!.cause, 'start');
    assert.deepEqual([seg!.appId], appsInOrder(samples));
    assert.equal(seg!.batches + seg!.warmupBatches, batchesOf(samples).length);
    assert.equal(seg!.warmupBatches, 2);
    assert.equal(seg!.generators, null, 'no generator stats in this recording: unknown, not 0');
    assert.equal(seg!.verdict.sustainable, null);
    assert.match(seg!.verdict.reasons[0]!, /^too short: 2 batches$/);
  });
});

describe('experiments: resubmit recording', () => {
  const samples = samplesFromFixture('resubmit');
  const d = derivedOf(samples);

  it('has two segments, one per application, the second starting where the first ends', () => {
    assert.equal(d.experiments.length, 2);
    const [a, b] = d.experiments;
    assert.deepEqual([a!.appId, b!.appId], appsInOrder(samples));
    assert.notEqual(a!.appId, b!.appId);
    assert.equal(a!.end, b!.start);
    assert.equal(b!.cause, 'app');
    assert.deepEqual([a!.current, b!.current], [false, true]);
    assert.deepEqual([a!.resources.shufflePartitions, b!.resources.shufflePartitions], [200, 4], "from each app's Spark properties");
  });

  it('recomputes rates and durations from the raw batches, warm-up left out', () => {
    const all = batchesOf(samples);
    d.experiments.forEach((row, i) => {
      const e = expectedFigures(all, row, d.experiments[i + 1]);
      assert.equal(row.batches, e.batches, `segment ${row.index} batches`);
      assert.equal(row.warmupBatches, e.warmup, `segment ${row.index} warm-up`);
      close(row.inputRps, e.inputRps, `segment ${row.index} in/s`);
      close(row.processedRps, e.processedRps, `segment ${row.index} out/s`);
      assert.deepEqual([row.p50Ms, row.p95Ms, row.maxMs], [e.p50Ms, e.p95Ms, e.maxMs], `segment ${row.index} durations`);
    });
  });

  it('holds no lag against the new app while its driver is down or before it committed', () => {
    const [a, b] = d.experiments;
    const driverDown = samples.find((s) => s.kind === 'source-error' && s.data.source === 'driver')!.t;
    const lagBeforeOutage = d.partitions.lagSeries.filter((p) => p.t < driverDown && p.lag !== null).at(-1)!.lag;
    assert.equal(a!.lagEnd, lagBeforeOutage, "the old segment's lag ends when its driver stopped answering");
    assert.ok(b!.lagSlope !== null && b!.lagSlope < 0, 'the tuned app drains its backlog');
  });

  it("counts a new application's batches delivered before its driver answered as that application's", () => {
    // As on a loaded machine: the new app's listener answers its first batches while its driver UI
    // does not answer yet. Every driver answer from the old driver's last one until after the new
    // run's first batches were delivered is left out (they fail, as a driver that does not answer).
    const answers = answersFromFixture('resubmit');
    const newApp = appsInOrder(samples).at(-1)!;
    const runsOf = (a: EndpointAnswer) => (a.endpoint === 'listener:/progress' ? ((a.body as { progress?: Array<{ runId: string; batchId: number }> })?.progress ?? []) : []);
    const oldRun = runsOf(answers.find((a) => runsOf(a).length > 0)!)[0]!.runId;
    const newRunBatches = answers.filter((a) => runsOf(a).some((p) => p.runId !== oldRun));
    const from = answers.find((a) => a.endpoint === 'driver:/applications' && JSON.stringify(a.body).includes(newApp))!.t - 1;
    const until = newRunBatches[2]!.t; // the new run's first three deliveries come with no driver
    const silenced = answers.map((a) => (a.endpoint.startsWith('driver:') && a.t >= from && a.t <= until ? { ...a, status: null, body: { error: 'connect ECONNREFUSED' } } : a));
    const { model, now } = modelFromAnswers(silenced);
    const late = derive(model, now).experiments;
    assert.equal(late.length, 2);
    assert.equal(late[1]!.appId, newApp);
    assert.ok(late[1]!.start > until, 'the new segment opens when its driver first answers');
    // The same batches in each segment as when the driver answered in time.
    assert.deepEqual(
      late.map((r) => [r.appId, r.batches, r.warmupBatches]),
      d.experiments.map((r) => [r.appId, r.batches, r.warmupBatches]),
    );
  });

  it('counts one segment when a resubmit action reports before and after the new app appears', () => {
    const firstError = samples.findIndex((s) => s.kind === 'source-error' && s.data.source === 'driver');
    const newApp = samples.findIndex((s) => s.kind === 'executors' && s.data.appId === appsInOrder(samples)[1]);
    const t0 = samples[firstError]!.t - 500;
    const t1 = samples[newApp + 5]!.t;
    const resources = { executorCores: 1, totalExecutorCores: 2, shufflePartitions: 4, conf: {} };
    const started: Sample = { t: t0, kind: 'control', data: { action: 'resubmit', detail: { resources }, result: 'started', durationMs: null, message: null } };
    const ok: Sample = {
      t: t1,
      kind: 'control',
      data: { action: 'resubmit', detail: { resources, commandLine: 'spark-submit --total-executor-cores 2' }, result: 'ok', durationMs: t1 - t0, message: null },
    };
    const withControl = [...samples.slice(0, firstError), started, ...samples.slice(firstError, newApp + 5), ok, ...samples.slice(newApp + 5)];
    const rows = derivedOf(withControl).experiments;
    assert.equal(rows.length, 2);
    assert.equal(rows[1]!.cause, 'resubmit');
    assert.equal(rows[1]!.start, t0);
    assert.equal(rows[1]!.appId, appsInOrder(samples)[1]);
    assert.deepEqual(rows[1]!.resources.requested, resources);
    assert.equal(rows[1]!.resources.totalCores, 2);
    assert.equal(rows[1]!.resources.commandLine, 'spark-submit --total-executor-cores 2');
    assert.equal(rows[0]!.batches, d.experiments[0]!.batches, "the old app's batches stay in its segment");
  });
});

describe('experiments: recording with load and resource changes', () => {
  const samples = samplesFromFixture('experiments');
  const d = derivedOf(samples);
  const all = batchesOf(samples);

  /** Where the recording shows a change: a generators answer with another count or rates, a new app. */
  function changes(): Array<{ t: number; kind: 'generators' | 'app' }> {
    const out: Array<{ t: number; kind: 'generators' | 'app' }> = [];
    let load: string | null = null;
    let app: string | null = null;
    for (const s of samples) {
      if (s.kind === 'generators') {
        const key = s.data.generators.map((g) => `${g.targetRps}/${g.paused}`).join(',');
        if (load !== null && key !== load) out.push({ t: s.t, kind: 'generators' });
        load = key;
      }
      if (s.kind === 'executors') {
        if (app !== null && s.data.appId !== app) out.push({ t: s.t, kind: 'app' });
        app = s.data.appId;
      }
    }
    return out;
  }

  it('starts a segment at each load change and at the resubmission', () => {
    const expected = changes();
    assert.ok(expected.length >= 3, `the recording has the scale, the rate change and the resubmission: ${JSON.stringify(expected)}`);
    assert.deepEqual(
      d.experiments.slice(1).map((r) => ({ t: r.start, kind: r.cause })),
      expected,
    );
    const loads = d.experiments.map((r) => (r.generators ? `${r.generators.count}×${r.generators.ratePerGenerator}` : null));
    assert.deepEqual(loads, ['1×3000', '2×3000', '2×12000', '2×12000']);
  });

  it("takes the resubmitted segment's resources from the resubmit action and the new app", () => {
    const control = samples.find((s): s is Extract<Sample, { kind: 'control' }> => s.kind === 'control' && s.data.action === 'resubmit')!;
    const last = d.experiments.at(-1)!;
    assert.equal(last.appId, control.data.detail.appId);
    assert.deepEqual(last.resources.requested, control.data.detail.resources);
    assert.equal(last.resources.commandLine, control.data.detail.commandLine);
    assert.match(last.resources.commandLine!, /--total-executor-cores 1\b/);
    assert.deepEqual([last.resources.executors, last.resources.coresPerExecutor, last.resources.totalCores, last.resources.shufflePartitions], [1, 1, 1, 4]);
    assert.equal(last.resourcesLabel, '1×1c 1G sp4');
    assert.equal(d.experiments[0]!.resourcesLabel, '2×1c 1G sp4');
  });

  it('recomputes every segment\'s rates, durations and (within one app) lag slope from the raw data', () => {
    d.experiments.forEach((row, i) => {
      const next = d.experiments[i + 1];
      const e = expectedFigures(all, row, next);
      assert.equal(row.batches, e.batches, `segment ${row.index} batches`);
      assert.equal(row.warmupBatches, e.warmup, `segment ${row.index} warm-up`);
      close(row.inputRps, e.inputRps, `segment ${row.index} in/s`);
      close(row.processedRps, e.processedRps, `segment ${row.index} out/s`);
      assert.deepEqual([row.p50Ms, row.p95Ms, row.maxMs], [e.p50Ms, e.p95Ms, e.maxMs], `segment ${row.index} durations`);
      if (row.cause === 'generators') {
        // Up to the next segment, or until the driver stops answering (the resubmission stops the old app).
        const driverDown = samples.find((s) => s.kind === 'source-error' && s.data.source === 'driver' && s.t >= row.start)?.t ?? Infinity;
        const until = Math.min(next?.start ?? Infinity, driverDown);
        const points = d.partitions.lagSeries.filter((p) => p.lag !== null && p.t >= row.start && p.t < until);
        close(row.lagSlope, leastSquares(points.map((p) => ({ x: (p.t - row.start) / 1000, y: p.lag! }))), `segment ${row.index} lag slope`);
        assert.equal(row.lagStart, points[0]!.lag);
        assert.equal(row.lagEnd, points.at(-1)!.lag);
      }
    });
  });

  it('judges each segment by its own figures, with every failing criterion as a reason', () => {
    for (const row of d.experiments) {
      assert.equal(row.verdict.sustainable, expectedVerdict(row, d.batches.targetMs), `segment ${row.index}: ${row.verdict.reasons.join('; ')}`);
      if (row.verdict.sustainable === false) {
        assert.equal(row.verdict.reasons.some((r) => r.startsWith('out ')), row.processedRps! < row.inputRps!);
        assert.equal(row.verdict.reasons.some((r) => r.startsWith('lag growing')), row.lagSlope! > Math.max(1, LAG_GROWTH_FRACTION * row.inputRps!));
      }
    }
    const verdicts = d.experiments.map((r) => r.verdict.sustainable);
    assert.ok(verdicts.includes(true) && verdicts.includes(false), `the recording has a sustainable and an overloaded segment: ${verdicts}`);
    const overloaded = d.experiments.find((r) => r.generators?.ratePerGenerator === 12000 && r.cause === 'generators')!;
    assert.equal(overloaded.verdict.sustainable, false);
    assert.ok(overloaded.lagEnd! > overloaded.lagStart!, '24k rec/s on two cores: the lag grows');
  });

  it('says "too short" for the first segment (only warm-up and one batch) and fails p95 with a lower target', () => {
    assert.equal(d.experiments[0]!.verdict.sustainable, null);
    assert.match(d.experiments[0]!.verdict.reasons[0]!, /^too short: [0-2] batch/);
    const good = d.experiments.find((r) => r.verdict.sustainable === true)!;
    const strict = derivedOf(samples, good.p95Ms!).experiments.find((r) => r.index === good.index)!;
    assert.equal(strict.verdict.sustainable, false, 'p95 equal to the target is not below it');
    assert.deepEqual(strict.verdict.reasons, [`p95 batch ${(good.p95Ms! / 1000).toFixed(1)} s ≥ target ${(good.p95Ms! / 1000).toFixed(1)} s`]);
  });

  it('gives no verdict to the 1-core app that never finished its backlog batch, but says its lag runs away', () => {
    const last = d.experiments.at(-1)!;
    assert.equal(last.current, true);
    assert.ok(last.batches < MIN_VERDICT_BATCHES);
    assert.equal(last.verdict.sustainable, null);
    assert.ok(last.lagSlope! > LAG_GROWTH_FRACTION * 24_000, `slope ${last.lagSlope}`);
    assert.deepEqual(last.verdict.reasons.map((r) => r.replace(/[\d.]+k?/g, 'N')), [`too short: N batch${last.batches === 1 ? '' : 'es'}`, 'lag growing +N/s so far']);
  });

  it('gives no verdict without the listener and its checkpoint: rates from the driver, lag unknown, not 0', () => {
    const d = derivedFromFixture('no-listener');
    const row = d.experiments.at(-1)!;
    // Rows per batch from the recorded stages (no-listener.jsonl's generator ran at 10 000 rec/s).
    assert.ok(row.inputRps !== null && Math.abs(row.inputRps - 10_000) / 10_000 < 0.05, `input ${row.inputRps}`);
    assert.equal(row.lagSlope, null);
    assert.ok(row.batches >= MIN_VERDICT_BATCHES, 'durations come from the jobs API');
    assert.equal(row.verdict.sustainable, null);
    assert.deepEqual(row.verdict.reasons, ['lag trend unknown']);
  });

  it("keeps the current segment's duration running with `now`", () => {
    const model = createModel();
    for (const s of samples) applySample(model, s);
    const end = samples.at(-1)!.t;
    const a = derive(model, end).experiments.at(-1)!;
    const b = derive(model, end + 10_000).experiments.at(-1)!;
    assert.equal(b.durationMs - a.durationMs, 10_000);
    assert.equal(derive(model, end + 10_000).experiments[0], derive(model, end).experiments[0], 'closed rows keep their identity');
  });
});
