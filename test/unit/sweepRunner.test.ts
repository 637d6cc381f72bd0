/**
 * The sweep's plan, rate search and orchestration. The orchestration runs against a stand-in of
 * the PipelineControl interface that records what it is asked (the real lab is exercised by the
 * e2e sweep test); measurements come from the real lab recording, replayed at the step's times.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BASELINE_RESOURCES, InvalidResource, type JobResources } from '../../src/domain/resources.js';
import type { ActionResult, GeneratorsState, PipelineControl, ResubmitProgress, ReviewedResubmit } from '../../src/control/types.js';
import { OutputFile } from '../../src/files/outputFile.js';
import type { Sample } from '../../src/model/samples.js';
import { sweepMarkdown } from '../../src/sweep/markdown.js';
import { DEFAULT_SETTINGS, resolvePlan, type SweepSettings } from '../../src/sweep/plan.js';
import { bestOf, newResults, readResults, saveResults, type SweepResults, type SweepStepResult } from '../../src/sweep/results.js';
import { measureWindow } from '../../src/sweep/measure.js';
import { judgeStep } from '../../src/sweep/verdict.js';
import { statusLine } from '../../src/commands/sweep.js';
import { SweepRunner, type SweepEnvironment, type SweepProgress } from '../../src/sweep/runner.js';
import { generatorPlan, nextRate, recordStep, roundRate, startSearch, type StepOutcome } from '../../src/sweep/search.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { DEFAULT_ADVISOR_THRESHOLDS } from '../../src/model/advisor/options.js';
import { tempDir } from '../support/tempDir.js';

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
    const dir = tempDir('sweep-plan-');
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
  it('an inconclusive step ends the search: what was found sustainable stands, nothing is concluded from it', () => {
    // Sustainable up to 23 000; from 9 000 up the windows hold too few batches to judge.
    let state = startSearch();
    for (;;) {
      const { rate, end } = nextRate(state, s);
      if (rate === null) {
        assert.equal(end, 'inconclusive');
        break;
      }
      state = recordStep(state, { rate, outcome: rate >= 9000 ? 'inconclusive' : rate <= 23_000 ? 'sustainable' : 'unsustainable' });
    }
    assert.deepEqual(state.steps.map((x) => [x.rate, x.outcome]), [
      [5000, 'sustainable'],
      [10_000, 'inconclusive'],
    ]);
    assert.deepEqual([state.lo, state.hi], [5000, null]);
    // From the first step: one step, no walk down to the minimum.
    const first = recordStep(startSearch(), { rate: 5000, outcome: 'inconclusive' });
    assert.deepEqual(nextRate(first, s), { rate: null, end: 'inconclusive' });
    // Bisecting: between a sustainable and an unsustainable rate, an inconclusive one stops it too.
    let b = recordStep(recordStep(startSearch(), { rate: 5000, outcome: 'sustainable' }), { rate: 10_000, outcome: 'unsustainable' });
    assert.equal(nextRate(b, s).rate, 7500);
    b = recordStep(b, { rate: 7500, outcome: 'inconclusive' });
    assert.deepEqual([nextRate(b, s).end, b.lo, b.hi], ['inconclusive', 5000, 10_000]);
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

/**
 * `stretches`: what each step sees, in step order (the last one for the steps after it): a stretch
 * of a recording, its first sample at the step's settling start.
 */
function environment(
  control: StandInControl,
  file: string,
  abortAfterSteps?: { n: number; controller: AbortController },
  serve: { stretches: ReadonlyArray<readonly Sample[]>; generatorFraction?: number } = { stretches: [stretch] },
) {
  let now = Date.UTC(2026, 10, 28, 12);
  const events: SweepProgress[] = [];
  const records: string[] = [];
  let steps = 0;
  // The runner forgets what came before each step's settling: one call a step.
  let served = -1;
  const current = () => serve.stretches[Math.min(Math.max(0, served), serve.stretches.length - 1)]!;
  const env: SweepEnvironment = {
    control,
    topic: 'logs',
    watch: {
      samplesSince: (t) => current().map((s) => shifted(s, t - current()[0]!.t)),
      findings: () => [],
      totalLag: () => 0,
      forgetBefore: () => {
        served++;
      },
      thresholds: () => ({ ...DEFAULT_ADVISOR_THRESHOLDS, generatorFraction: serve.generatorFraction ?? DEFAULT_ADVISOR_THRESHOLDS.generatorFraction }),
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
    const file = path.join(tempDir('sweep-run-'), 'sweep.json');
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
      // 110 s of 4–9 s batches: judged in the window asked for, on enough batches to need no mark.
      for (const s of r.steps) assert.deepEqual([s.extendedFromMs, s.fewBatches, s.measurement.batches >= 6], [null, false, true]);
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
    assert.doesNotMatch(md, /\(few|extended from/);
  });

  it('with no generator running (lab up --generators 0), starts one at the trickle for the resubmission, and leaves none after', async () => {
    const file = path.join(tempDir('sweep-run-'), 'sweep.json');
    const control = new StandInControl();
    control.state = { count: 0, ratePerGenerator: 10_000, paused: false };
    const plan = { ...resolvePlan({ totalExecutorCores: '2' }, BASELINE_RESOURCES, 2), settings };
    let atResubmit: GeneratorsState | null = null;
    const resubmit = control.resubmit.bind(control);
    control.resubmit = async (r, p) => {
      atResubmit = control.generators();
      return resubmit(r, p);
    };
    const { env } = environment(control, file);
    await new SweepRunner(plan, newResults(plan, 'logs', 0), env, new AbortController().signal).run();
    const seen = atResubmit as GeneratorsState | null;
    assert.ok(seen && seen.count >= 1 && !seen.paused && seen.ratePerGenerator > 0, `generators while the job waits for its first batch: ${JSON.stringify(seen)}`);
    assert.equal(control.state.count, 0, 'none left running, as before the sweep');
  });

  it('reads a results file written before --max-measure: its cap is 4 × its --measure, its steps get their marks, resume goes on', async () => {
    const file = path.join(tempDir('sweep-old-'), 'sweep.json');
    const plan = planOf();
    const controller = new AbortController();
    const first = environment(new StandInControl(), file, { n: 3, controller });
    await new SweepRunner(plan, newResults(plan, 'logs', 0), first.env, controller.signal).run();
    // The file as the version before wrote it: none of the fields this one added.
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { settings: Record<string, unknown>; results: Array<Record<string, unknown> & { steps: Array<Record<string, unknown> & { measurement: Record<string, unknown> }> }> };
    delete json.settings.maxMeasureMs;
    for (const r of json.results) {
      for (const k of ['batchesAtMax', 'fewBatchesAtMax', 'inconclusiveAtRps']) delete r[k];
      for (const st of r.steps) {
        delete st.fewBatches;
        delete st.extendedFromMs;
        delete st.measurement.batchIntervalMs;
      }
    }
    fs.writeFileSync(file, JSON.stringify(json));
    const old = readResults(file);
    assert.equal(old.settings.maxMeasureMs, 4 * settings.measureMs);
    assert.deepEqual(old.results.map((r) => [r.status, r.fewBatchesAtMax, r.steps.every((st) => st.fewBatches === false && st.extendedFromMs === null)]), [['done', false, true]]);
    assert.match(sweepMarkdown(old), /up to 7:20 \(`--max-measure`\)/);
    const control = new StandInControl();
    const second = environment(control, file);
    const done = await new SweepRunner({ ...plan, settings: old.settings }, old, second.env, new AbortController().signal).run();
    assert.equal(done.complete, true);
    assert.deepEqual(control.calls.filter((c) => c.startsWith('resubmit')), ['resubmit 2']);
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
    const file = path.join(tempDir('sweep-run-'), 'sweep.json');
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
    assert.deepEqual(resumed.generatorsBefore, { count: 1, ratePerGenerator: 10_000, paused: false }, 'the results file says where the generators go back to');
    // As a sweep killed outright (kill -9) leaves them: at its trickle. The resumed run still puts
    // them back as they were before the first run.
    control.state = { count: 1, ratePerGenerator: 500, paused: false };
    control.calls = [];
    const second = environment(control, file);
    const done = await new SweepRunner(plan, resumed, second.env, new AbortController().signal).run();
    assert.equal(done.complete, true);
    assert.deepEqual(control.calls.filter((c) => c.startsWith('resubmit')), ['resubmit 2'], 'only the unfinished configuration runs');
    assert.ok(second.events.some((e) => e.phase === 'skipped' && e.index === 1));
    assert.equal(bestOf(done.results)?.resources.totalExecutorCores, 2);
    assert.deepEqual(control.state, { count: 1, ratePerGenerator: 10_000, paused: false }, 'generators as before the first run');
  });
});

/**
 * Windows with too few batches, on real recordings: steady.jsonl (the classroom baseline at
 * 10 000 rec/s, one batch every 13–18 s) and trigger.jsonl (a 5 s trigger). A window of the
 * length asked for holds 1 or 2 of their batches; the runner measures longer until it can judge,
 * up to --max-measure.
 */
const steady = samplesFromFixture('steady');
/** The same recording from 10 s in: its third batch from the window's start ends after the recording does. */
const steadyLate = steady.filter((s) => s.t >= steady[0]!.t + 10_000);
const trigger = samplesFromFixture('trigger');

async function sweepOn(settings: SweepSettings, serve: Parameters<typeof environment>[3]) {
  const file = path.join(tempDir('sweep-few-'), 'sweep.json');
  const plan = { ...resolvePlan({ totalExecutorCores: '1' }, BASELINE_RESOURCES, 2), settings };
  const { env, events } = environment(new StandInControl(), file, undefined, serve);
  const results = await new SweepRunner(plan, newResults(plan, 'logs', 0), env, new AbortController().signal).run();
  return { results, events, file, result: results.results[0]! };
}

/** `samples` as the runner saw them for a step that settled from `settleFrom`. */
const servedAt = (samples: readonly Sample[], settleFrom: number) => samples.map((s) => shifted(s, settleFrom - samples[0]!.t));
const FRACTION = DEFAULT_ADVISOR_THRESHOLDS.generatorFraction;

describe('sweep: a window with too few batches', () => {
  const onTrigger: SweepSettings = { ...DEFAULT_SETTINGS, startRps: 10_000, maxRps: 10_000, settleMs: 2000, measureMs: 8000, maxMeasureMs: 32_000, maxSteps: 1 };

  it('is measured longer until it holds enough batches, then judged (a 5 s trigger: 1 batch in the 8 s asked for)', async () => {
    const { result, events } = await sweepOn(onTrigger, { stretches: [trigger] });
    const step = result.steps[0]!;
    const m = step.measurement;
    const samples = servedAt(trigger, step.settleFrom);
    // What the window asked for held one batch: no verdict (before: "unsustainable: not shown sustainable: too short").
    const asked = measureWindow(samples, m.from, m.from + 8000, 'logs');
    assert.equal(asked.batches, 1);
    assert.equal(judgeStep(10_000, asked, 20_000, [], FRACTION).outcome, 'inconclusive');
    // Measured longer, and judged as soon as it could be: a second earlier it still could not.
    assert.equal(step.extendedFromMs, 8000);
    assert.ok(m.to - m.from > 8000 && m.to - m.from < 32_000, `window ${m.to - m.from} ms`);
    assert.equal(m.batches, 3);
    assert.equal(judgeStep(10_000, measureWindow(samples, m.from, m.to - 1000, 'logs'), 20_000, [], FRACTION).outcome, 'inconclusive');
    assert.deepEqual(m, measureWindow(samples, m.from, m.to, 'logs'), 'the figures are those of the recording over the extended window');
    // The recording: 20 000 rows per 5 s trigger while 10 000 rec/s came in. Judged on its merits, on few batches.
    assert.equal(step.outcome, 'unsustainable');
    assert.match(step.reasons.join(), /lag growing/);
    assert.equal(step.fewBatches, true);
    const longer = events.filter((e) => e.phase === 'measuring' && /measuring longer/.test(e.message));
    assert.ok(longer.length > 0 && longer.every((e) => e.until === m.from + 32_000), 'the countdown runs to the cap');
    assert.match(longer[0]!.message, /1 of the 3 batches a verdict needs; window up to 32 s, --max-measure/);
    const judged = events.find((e) => e.phase === 'judged')!;
    assert.match(statusLine(judged, judged.until ?? 0), /10 000 rec\/s unsustainable on 3 batches \(few\) in \d+ s, extended from 8\.0 s: lag growing/);
  });

  it('still short of batches at the cap, the step is inconclusive and says what window would do (--max-measure = --measure: never longer)', async () => {
    const { result } = await sweepOn({ ...onTrigger, maxMeasureMs: 8000, maxSteps: 5 }, { stretches: [trigger] });
    assert.equal(result.steps.length, 1, 'no walk down from a step that was not judged');
    const step = result.steps[0]!;
    assert.equal(step.outcome, 'inconclusive');
    assert.equal(step.extendedFromMs, null);
    assert.equal(step.fewBatches, false, 'no verdict to mark');
    assert.deepEqual(step.reasons, ['1 batch in 8.0 s: 3 needed to judge, a longer --max-measure']);
    assert.equal(result.end, 'inconclusive');
    assert.equal(result.maxSustainableRps, null);
    assert.equal(result.inconclusiveAtRps, 10_000);
    assert.equal(result.limitingFactor, 'inconclusive at 10 000 rec/s: 1 batch in 8.0 s: 3 needed to judge, a longer --max-measure');
  });

  it('the classroom baseline (one batch every 13–18 s): judged sustainable in a longer window, then inconclusive at the cap — "≥" its rate, not "nothing sustainable"', async () => {
    const settings: SweepSettings = { ...DEFAULT_SETTINGS, startRps: 5000, maxRps: 40_000, settleMs: 38_000, measureMs: 30_000, maxMeasureMs: 55_000, maxSteps: 6 };
    // 10 000 rec/s recorded; asked for 10 000 then 20 000, the generators' share is judged at 0.4 (README "Advisor thresholds").
    const { result, file, events } = await sweepOn(settings, { stretches: [steady, steadyLate], generatorFraction: 0.4 });
    assert.deepEqual(result.steps.map((s) => [s.rate, s.outcome]), [
      [5000, 'sustainable'],
      [10_000, 'inconclusive'],
    ]);
    // The status line's best rate says it rests on few batches, as the tables do.
    const measuringSecond = events.find((e) => e.phase === 'measuring' && e.step === 2)!;
    assert.match(statusLine(measuringSecond, 0), / · best 5 000 rec\/s \(few batches\) · /);
    const done = events.find((e) => e.phase === 'done')!;
    assert.match(statusLine(done, 0), / · best 5 000 rec\/s \(few batches\) · /);
    const [first, second] = result.steps as [SweepStepResult, SweepStepResult];
    // The 30 s asked for held one batch; the window grew until three were in and the lag trend was known.
    assert.equal(measureWindow(servedAt(steady, first.settleFrom), first.measurement.from, first.measurement.from + 30_000, 'logs').batches, 1);
    assert.equal(first.measurement.batches, 3);
    assert.ok(first.measurement.to - first.measurement.from > 30_000 && first.measurement.to - first.measurement.from < 55_000);
    assert.deepEqual([first.extendedFromMs, first.fewBatches], [30_000, true]);
    assert.equal(second.measurement.to - second.measurement.from, 55_000, 'measured up to the cap');
    assert.equal(second.measurement.batches, 2);
    const about = Number(/about (\d+)s/.exec(second.reasons[0]!)?.[1]);
    assert.match(second.reasons[0]!, /^2 batches in 55 s, one every ~13 s: 3 needed to judge, a longer --max-measure \(about \d+s\)$/);
    assert.ok(about > 55, `a window longer than the cap (${about} s)`);
    assert.equal(result.end, 'inconclusive');
    assert.deepEqual([result.maxSustainableRps, result.batchesAtMax, result.fewBatchesAtMax, result.inconclusiveAtRps], [5000, 3, true, 10_000]);

    // The table: "≥" the sustainable rate, the batches it rests on, why the search stopped.
    const md = sweepMarkdown(readResults(file));
    const row = md.split('\n').find((l) => l.startsWith('| 1 | executor-cores'))!;
    const cells = row.split(' | ');
    assert.equal(cells[2], '≥ 5 000');
    assert.match(cells[4]!, /^3 in \d+ s \(few; extended from 30 s\)$/);
    assert.match(cells[5]!, /^inconclusive at 10 000 rec\/s: 2 batches in 55 s/);
    assert.doesNotMatch(md, /nothing sustainable/);
    assert.match(md, /measured longer, until it has them, up to 55 s \(`--max-measure`\)/);
    assert.match(md, /\| 5 000 \| 1 × 5 000 \| .* \| 3 \(few\) \| \d+ s \(extended from 30 s\) \| sustainable \|/);
    assert.match(md, /\| 10 000 \| 1 × 10 000 \| .* \| 2 \| 55 s \(extended from 30 s\) \| inconclusive \|/);
  });

  it('inconclusive from the first step: the configuration says so and stops; it is not walked down to "nothing sustainable"', async () => {
    const settings: SweepSettings = { ...DEFAULT_SETTINGS, startRps: 10_000, maxRps: 40_000, settleMs: 38_000, measureMs: 30_000, maxMeasureMs: 55_000, maxSteps: 6 };
    const { result, file, events } = await sweepOn(settings, { stretches: [steadyLate] });
    assert.deepEqual(result.steps.map((s) => [s.rate, s.outcome]), [[10_000, 'inconclusive']]);
    assert.equal(result.end, 'inconclusive');
    assert.equal(result.maxSustainableRps, null);
    // What the same step was before: a failure, and a walk down the rates.
    assert.equal(recordStep(startSearch(), { rate: 10_000, outcome: 'unsustainable' }).end, null);
    const row = sweepMarkdown(readResults(file)).split('\n').find((l) => l.startsWith('| 1 | executor-cores'))!.split(' | ');
    assert.deepEqual(row.slice(2, 5), ['inconclusive', '–', '–']);
    assert.match(row[5]!, /^inconclusive at 10 000 rec\/s: 2 batches in 55 s/);
    assert.match(events.find((e) => e.phase === 'done')!.message, /^max sustainable none — inconclusive at 10 000 rec\/s/);
  });
});
