/**
 * The sweep's plan, rate search and orchestration. The orchestration runs against a stand-in of
 * the PipelineControl interface that records what it is asked (the real lab is exercised by the
 * e2e sweep test); measurements come from the real lab recording, replayed at the step's times.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BASELINE_RESOURCES, InvalidResource, type JobResources } from '../../src/domain/resources.js';
import type { ActionResult, GeneratorsState, PipelineControl, ResubmitProgress, ReviewedResubmit } from '../../src/control/types.js';
import { OutputFile } from '../../src/files/outputFile.js';
import type { Sample } from '../../src/model/samples.js';
import { sweepMarkdown } from '../../src/sweep/markdown.js';
import { DEFAULT_SETTINGS, resolvePlan, type SweepSettings } from '../../src/sweep/plan.js';
import { bestOf, newResults, readResults, saveResults, type SweepResults } from '../../src/sweep/results.js';
import { SweepRunner, type SweepEnvironment, type SweepProgress } from '../../src/sweep/runner.js';
import { generatorPlan, nextRate, recordStep, roundRate, startSearch, type StepOutcome } from '../../src/sweep/search.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { DEFAULT_ADVISOR_THRESHOLDS } from '../../src/model/advisor/options.js';

describe('sweep plan', () => {
  it('is the cartesian product of the lists, skipping what cannot run, with stable keys', () => {
    const plan = resolvePlan({ executorCores: '1,2', totalExecutorCores: '1,2', shufflePartitions: '2,8,200' }, BASELINE_RESOURCES, 2);
    assert.equal(plan.configurations.length, 9, '(1,1) (1,2) (2,2) × 3 shuffle values');
    assert.equal(plan.skipped.length, 3, '(2 cores per executor, 1 in total) × 3');
    assert.match(plan.skipped[0]!.reason, /--executor-cores 2 > --total-executor-cores 1/);
    assert.equal(plan.configurations[0]!.key, 'executor-cores 1 · total-executor-cores 1 · executor-memory 1G · shuffle-partitions 2');
    assert.equal(new Set(plan.configurations.map((c) => c.key)).size, 9);
  });

  it('skips what needs more cores than the cluster has, and names the flag of a bad list item', () => {
    const plan = resolvePlan({ totalExecutorCores: '2,4', partitions: '2,4' }, BASELINE_RESOURCES, 2);
    assert.deepEqual(
      plan.configurations.map((c) => [c.resources.totalExecutorCores, c.partitions]),
      [
        [2, 2],
        [2, 4],
      ],
    );
    assert.match(plan.skipped[0]!.reason, /> the 2 cores of the cluster/);
    assert.throws(() => resolvePlan({ shufflePartitions: '2,x' }, BASELINE_RESOURCES, 2), (e: unknown) => e instanceof InvalidResource && /--shuffle-partitions: expected a positive integer, got "x"/.test(e.message));
    assert.throws(() => resolvePlan({ executorCores: '1,,2' }, BASELINE_RESOURCES, 2), /--executor-cores: expected a comma-separated list/);
    assert.throws(() => resolvePlan({ settle: 'soon' }, BASELINE_RESOURCES, 2), /--settle: expected a duration/);
    assert.throws(() => resolvePlan({ startRps: '9000', maxRps: '5000' }, BASELINE_RESOURCES, 2), /--start-rps: 9000 is above --max-rps 5000/);
    assert.throws(() => resolvePlan({ executorCores: '4' }, BASELINE_RESOURCES, 2), /no configuration can run/);
    assert.throws(() => resolvePlan({ measure: '30s', maxMeasure: '20s' }, BASELINE_RESOURCES, 2), /--max-measure: 20 s is shorter than --measure 30 s/);
  });

  it('measures at most --max-measure, by default 4 × --measure', () => {
    assert.equal(resolvePlan({}, BASELINE_RESOURCES, 2).settings.maxMeasureMs, 480_000);
    assert.equal(resolvePlan({ measure: '30s' }, BASELINE_RESOURCES, 2).settings.maxMeasureMs, 120_000);
    assert.equal(resolvePlan({ measure: '30s', maxMeasure: '3m' }, BASELINE_RESOURCES, 2).settings.maxMeasureMs, 180_000);
    assert.equal(resolvePlan({ measure: '30s', maxMeasure: '30s' }, BASELINE_RESOURCES, 2).settings.maxMeasureMs, 30_000, 'never longer');
  });

  it('reads a plan file, naming the configuration and key that is wrong', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-plan-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify([{ executorCores: 1, totalExecutorCores: 2, shufflePartitions: 8, partitions: 4, conf: { 'spark.sql.adaptive.enabled': 'false' } }]));
    const plan = resolvePlan({ plan: good }, BASELINE_RESOURCES, 2);
    assert.equal(plan.configurations[0]!.partitions, 4);
    assert.equal(plan.configurations[0]!.resources.conf['spark.sql.adaptive.enabled'], 'false');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ configurations: [{ executorCores: 1 }, { executorCore: 2 }] }));
    assert.throws(() => resolvePlan({ plan: bad }, BASELINE_RESOURCES, 2), /configuration 2: unknown key executorCore/);
    fs.writeFileSync(bad, JSON.stringify([{ executorMemory: 'lots' }]));
    assert.throws(() => resolvePlan({ plan: bad }, BASELINE_RESOURCES, 2), /configuration 1: --executor-memory: expected a size/);
    assert.throws(() => resolvePlan({ plan: good, executorCores: '1' }, BASELINE_RESOURCES, 2), /do not also give --executor-cores/);
  });
});

/** Runs the search against a pipeline that sustains up to `capacity` and whose generators deliver up to `generatorMax`. */
function searchAgainst(capacity: number, s: SweepSettings, generatorMax = Infinity): { lo: number | null; hi: number | null; rates: number[]; end: string | null } {
  let state = startSearch();
  const rates: number[] = [];
  for (;;) {
    const { rate, end } = nextRate(state, s);
    if (rate === null) return { lo: state.lo, hi: state.hi, rates, end };
    rates.push(rate);
    const outcome: StepOutcome = rate > generatorMax ? 'generator-bound' : rate <= capacity ? 'sustainable' : 'unsustainable';
    state = recordStep(state, { rate, outcome });
  }
}

describe('sweep rate search', () => {
  const s = { ...DEFAULT_SETTINGS, startRps: 5000, maxRps: 500_000, maxSteps: 20 };
  it('ramps ×2, then bisects to within the resolution around the capacity', () => {
    for (const capacity of [6000, 23_000, 71_000, 190_000]) {
      const r = searchAgainst(capacity, s);
      assert.equal(r.end, 'resolution reached');
      assert.ok(r.lo! <= capacity && capacity < r.hi!, `${capacity}: ${r.lo}..${r.hi}`);
      assert.ok(r.hi! <= r.lo! * (1 + s.resolution) || roundRate((r.lo! + r.hi!) / 2) === r.lo || roundRate((r.lo! + r.hi!) / 2) === r.hi);
      assert.deepEqual(r.rates.slice(0, 2), [5000, 10_000]);
    }
  });
  it('goes down from a start rate that is already too much, and stops at the minimum', () => {
    const r = searchAgainst(1700, s);
    assert.deepEqual(r.rates.slice(0, 3), [5000, 2500, 1300]);
    assert.ok(r.lo! <= 1700 && 1700 < r.hi!);
    assert.equal(searchAgainst(10, s).end, 'nothing sustainable down to min rate');
  });
  it('ends at the maximum, at the step limit, and where the generators could not deliver', () => {
    assert.equal(searchAgainst(1e9, s).end, 'max-rps reached');
    assert.equal(searchAgainst(1e9, s).rates.at(-1), 500_000);
    assert.equal(searchAgainst(23_000, { ...s, maxSteps: 3 }).end, 'step limit reached');
    const g = searchAgainst(1e9, s, 60_000);
    assert.equal(g.end, 'generator-bound');
    assert.equal(g.lo, 40_000);
  });
  it('splits a rate over generators of at most --rps-per-generator, up to --max-generators', () => {
    assert.deepEqual(generatorPlan(30_000, s), { count: 1, ratePerGenerator: 30_000 });
    assert.deepEqual(generatorPlan(100_000, s), { count: 3, ratePerGenerator: 33_334 });
    assert.deepEqual(generatorPlan(400_000, s), { count: 4, ratePerGenerator: 100_000 });
  });
});

/** A pipeline control that does what it is told at once and remembers it. */
class StandInControl implements PipelineControl {
  readonly target = 'local' as const;
  readonly unavailableReason = null;
  state: GeneratorsState = { count: 1, ratePerGenerator: 10_000, paused: false };
  calls: string[] = [];
  failResubmitFor: (r: JobResources) => boolean = () => false;
  apps = 0;
  generators() {
    return { ...this.state };
  }
  async scaleGenerators(count: number): Promise<ActionResult> {
    this.calls.push(`scale ${count}`);
    this.state.count = count;
    return { ok: true, message: `${count} generators` };
  }
  async setRate(rate: number): Promise<ActionResult> {
    this.calls.push(`rate ${rate}`);
    this.state.ratePerGenerator = rate;
    return { ok: true, message: `rate ${rate}` };
  }
  async setPaused(paused: boolean): Promise<ActionResult> {
    this.calls.push(paused ? 'pause' : 'resume');
    this.state.paused = paused;
    return { ok: true, message: paused ? 'paused' : 'resumed' };
  }
  jobResources() {
    return BASELINE_RESOURCES;
  }
  async reviewResubmit(r: JobResources): Promise<ReviewedResubmit> {
    return { ok: true, commandLine: `spark-submit --total-executor-cores ${r.totalExecutorCores}`, checkpointDir: '/tmp/cp' };
  }
  async resubmit(r: JobResources, p: ResubmitProgress): Promise<ActionResult> {
    this.calls.push(`resubmit ${r.totalExecutorCores}`);
    if (this.failResubmitFor(r)) return { ok: false, message: 'spark-submit died: Initial job has not accepted any resources' };
    p.onStep('first batch #0', 1);
    return { ok: true, message: 'running', detail: { appId: `app-${++this.apps}` } };
  }
  async killJob(): Promise<ActionResult> {
    this.calls.push('kill');
    return { ok: true, message: 'killed' };
  }
}

/**
 * The real recording's busiest stretch, served as if it happened now: each step's window sees the
 * lab's samples shifted to the step's times (so every step measures the same real 30 s).
 */
const recorded = samplesFromFixture('experiments');
const t0 = recorded[0]!.t;
const stretch = recorded.filter((s) => s.t >= t0 + 122_000 && s.t <= t0 + 242_000);

/** A sample moved in time by `ms`, the batches' own timestamps with it. */
function shifted(s: Sample, ms: number): Sample {
  if (s.kind !== 'progress') return { ...s, t: s.t + ms };
  const progress = s.data.progress.map((p) => ({ ...p, timestamp: new Date(Date.parse(p.timestamp) + ms).toISOString() }));
  return { ...s, t: s.t + ms, data: { ...s.data, progress } };
}

function environment(control: StandInControl, file: string, abortAfterSteps?: { n: number; controller: AbortController }) {
  let now = Date.UTC(2026, 10, 28, 12);
  const events: SweepProgress[] = [];
  const records: string[] = [];
  let steps = 0;
  const env: SweepEnvironment = {
    control,
    topic: 'logs',
    watch: {
      samplesSince: (t) => stretch.map((s) => shifted(s, t - stretch[0]!.t)),
      findings: () => [],
      totalLag: () => 0,
      forgetBefore: () => undefined,
      thresholds: () => DEFAULT_ADVISOR_THRESHOLDS,
    },
    topicPartitions: async () => 2,
    recreateTopic: async () => undefined,
    record: (action, _detail, result) => records.push(`${action} ${result === 'started' ? 'started' : result.ok ? 'ok' : 'failed'}`),
    progress: (p) => {
      events.push(p);
      if (p.phase === 'judged' && abortAfterSteps && ++steps === abortAfterSteps.n) abortAfterSteps.controller.abort();
    },
    save: (r) => saveResults(new OutputFile(file, true), r),
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw new Error('aborted');
      now += ms;
    },
  };
  return { env, events, records };
}

describe('sweep runner', () => {
  const settings: SweepSettings = { ...DEFAULT_SETTINGS, startRps: 5000, maxRps: 20_000, settleMs: 10_000, measureMs: 110_000, maxSteps: 3 };
  const planOf = () => ({ ...resolvePlan({ totalExecutorCores: '1,2' }, BASELINE_RESOURCES, 2), settings });

  it('resubmits each configuration, measures each step, saves after each, puts the generators back', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-run-')), 'sweep.json');
    const control = new StandInControl();
    const plan = planOf();
    const { env, events, records } = environment(control, file);
    const results = await new SweepRunner(plan, newResults(plan, 'logs', 0), env, new AbortController().signal).run();
    assert.equal(results.complete, true);
    assert.deepEqual(results.results.map((r) => r.status), ['done', 'done']);
    assert.deepEqual(control.calls.filter((c) => c.startsWith('resubmit')), ['resubmit 1', 'resubmit 2']);
    for (const r of results.results) {
      assert.equal(r.steps.length, 3);
      assert.deepEqual(r.steps.map((s) => s.rate), [5000, 10_000, 20_000]);
      // The recorded stretch ran at 24 000 rec/s: every step is over-delivered, none generator-bound.
      for (const s of r.steps) assert.ok(s.measurement.produceRps! > 20_000 && s.outcome !== 'generator-bound');
      assert.ok(r.appId?.startsWith('app-'));
    }
    assert.deepEqual(control.state, { count: 1, ratePerGenerator: 10_000, paused: false }, 'generators as they were');
    assert.ok(records.includes('resubmit started') && records.includes('resubmit ok') && records.filter((x) => x === 'sweep-step ok').length === 6);
    assert.ok(events.some((e) => e.phase === 'measuring' && e.until !== null));
    const saved = readResults(file);
    assert.equal(saved.results.length, 2);
    const md = sweepMarkdown(saved);
    assert.equal(md.split('\n').filter((l) => /^\| \d+ \| executor-cores/.test(l)).length, 2);
    assert.match(md, /\*\*Best:\*\*/);
    assert.match(md, /sparktop submit --executor-cores 1 --executor-memory 1G --total-executor-cores [12]/);
  });

  it('puts the generators back even when the results cannot be saved (a full disk), then says why', async () => {
    const plan = planOf();
    const control = new StandInControl();
    const { env } = environment(control, '/nonexistent');
    let saves = 0;
    const failing = { ...env, save: () => {
      if (++saves > 1) throw new Error('ENOSPC: no space left on device');
    } };
    await assert.rejects(new SweepRunner(plan, newResults(plan, 'logs', 0), failing, new AbortController().signal).run(), /ENOSPC/);
    assert.deepEqual(control.state, { count: 1, ratePerGenerator: 10_000, paused: false }, 'generators as they were');
  });

  it('a failed resubmission fails that configuration only; an interrupted one is run again on resume, the finished one is skipped', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-run-')), 'sweep.json');
    const plan = planOf();
    const control = new StandInControl();
    control.failResubmitFor = (r) => r.totalExecutorCores === 1;
    const controller = new AbortController();
    // Config 1 fails at once; config 2 is interrupted after its first step.
    const first = environment(control, file, { n: 1, controller });
    const interrupted = await new SweepRunner(plan, newResults(plan, 'logs', 0), first.env, controller.signal).run();
    assert.equal(interrupted.complete, false);
    assert.deepEqual(interrupted.results.map((r) => [r.status, r.error?.slice(0, 24) ?? null]), [
      ['failed', 'resubmit: spark-submit d'],
      ['running', null],
    ]);
    assert.deepEqual(control.state, { count: 1, ratePerGenerator: 10_000, paused: false }, 'generators put back after the interrupt');

    const resumed: SweepResults = readResults(file);
    assert.deepEqual(resumed.results.map((r) => r.status), ['failed'], 'the interrupted configuration is dropped, to run again');
    control.calls = [];
    const second = environment(control, file);
    const done = await new SweepRunner(plan, resumed, second.env, new AbortController().signal).run();
    assert.equal(done.complete, true);
    assert.deepEqual(control.calls.filter((c) => c.startsWith('resubmit')), ['resubmit 2'], 'only the unfinished configuration runs');
    assert.ok(second.events.some((e) => e.phase === 'skipped' && e.index === 1));
    assert.equal(bestOf(done.results)?.resources.totalExecutorCores, 2);
  });
});
