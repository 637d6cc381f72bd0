import type { AdvisorThresholds } from '../model/advisor/options.js';
/**
 * Runs a sweep: for each configuration, (re)create the topic when its partition count differs,
 * resubmit the job, then search the rate (search.ts), each step being: drain the backlog a failed
 * step left, set the generators, settle, measure, judge. A window that cannot be judged yet (too
 * few batches: long batches or a long trigger interval) is measured longer, a second at a time, up
 * to --max-measure; still inconclusive there, the step says so. Results are saved after every step.
 * Everything it does to the pipeline goes through PipelineControl and is recorded as a control
 * sample, like the monitor's hotkeys.
 */
import type { ActionResult, GeneratorsState, PipelineControl } from '../control/types.js';
import type { Finding } from '../model/derivedTypes.js';
import type { Sample } from '../model/samples.js';
import { measureWindow, type StepMeasurement } from './measure.js';
import type { SweepConfiguration, SweepPlan } from './plan.js';
import { summarise, type ConfigurationResult, type SweepResults, type SweepStepResult } from './results.js';
import { generatorPlan, nextRate, recordStep, startSearch, type SearchState } from './search.js';
import { inconclusiveAtCap, judgeStep, restsOnFewBatches, type StepVerdict } from './verdict.js';
import { formatDuration, formatInt } from '../text/format.js';
import { MIN_VERDICT_BATCHES } from '../model/experimentRows.js';

/** What the sweep reads of the pipeline: the samples the sources delivered and the model's view of them. */
export interface SweepWatch {
  /** Samples delivered at or after `t`, in order. */
  samplesSince(t: number): readonly Sample[];
  /** The advisor's active findings now. */
  findings(): Finding[];
  /** Total lag of the topic now (null: unknown). */
  totalLag(): number | null;
  /** Samples before `t` are no longer needed. */
  forgetBefore(t: number): void;
  /** The advisor's thresholds in force (the sweep judges generator-bound by the same fraction). */
  thresholds(): AdvisorThresholds;
}

export type SweepPhase = 'topic' | 'resubmitting' | 'draining' | 'settling' | 'measuring' | 'judged' | 'done' | 'failed' | 'skipped';

export interface SweepProgress {
  phase: SweepPhase;
  /** 1-based position of the configuration in the plan. */
  index: number;
  count: number;
  key: string;
  step: number;
  rate: number | null;
  /** End of the current wait (epoch ms), for a countdown. */
  until: number | null;
  message: string;
  /** Best sustainable rate of this configuration so far. */
  best: number | null;
  /** Its verdict rests on few batches (verdict.ts FEW_BATCHES). */
  bestFew: boolean;
}

export interface SweepEnvironment {
  control: PipelineControl;
  watch: SweepWatch;
  topic: string;
  topicPartitions(): Promise<number | null>;
  recreateTopic(partitions: number): Promise<void>;
  /** Records an action (started, then its result) as a control sample. */
  record(action: string, detail: Record<string, unknown>, result: ActionResult | 'started', durationMs: number | null): void;
  progress(p: SweepProgress): void;
  save(results: SweepResults): void;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

class ActionFailed extends Error {}

/** " on 3 batches (few) in 42 s, extended from 30 s": what a judged step's verdict rests on, when that is worth saying. */
function stepBasis(step: Pick<SweepStepResult, 'fewBatches' | 'extendedFromMs' | 'measurement'>): string {
  const parts: string[] = [];
  if (step.fewBatches) parts.push(`on ${step.measurement.batches} batches (few)`);
  if (step.extendedFromMs !== null) parts.push(`in ${formatDuration(step.measurement.to - step.measurement.from)}, extended from ${formatDuration(step.extendedFromMs)}`);
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

/** Records/s while the job is being resubmitted: enough for its first batch, no backlog to speak of. */
const TRICKLE_RPS = 500;


export class SweepRunner {
  private readonly original: GeneratorsState | null;

  constructor(
    private readonly plan: SweepPlan,
    private readonly results: SweepResults,
    private readonly env: SweepEnvironment,
    private readonly signal: AbortSignal,
  ) {
    // A resumed sweep puts them back as they were before its first run, not as an interrupted run left them.
    this.original = results.generatorsBefore ?? env.control.generators();
    results.generatorsBefore ??= this.original;
  }

  /** Runs every configuration not done yet; resolves when finished or interrupted (results saved either way). */
  async run(): Promise<SweepResults> {
    const { configurations } = this.plan;
    try {
      for (const [i, config] of configurations.entries()) {
        if (this.signal.aborted) break;
        const done = this.results.results.find((r) => r.key === config.key && r.status !== 'running');
        if (done) {
          this.progress({ phase: 'skipped', index: i + 1, config, step: 0, rate: null, until: null, best: done.maxSustainableRps, message: `already ${done.status} in the results file: skipped` });
          continue;
        }
        await this.runConfiguration(config, i + 1);
      }
      this.results.complete = !this.signal.aborted && configurations.every((c) => this.results.results.some((r) => r.key === c.key && r.status !== 'running'));
    } finally {
      // The generators go back even when the results cannot be saved (a full disk): the error follows.
      this.results.updatedAt = this.env.now();
      try {
        this.env.save(this.results);
      } finally {
        await this.restoreGenerators();
      }
    }
    return this.results;
  }

  /** Whether the best rate rests on few batches is read from the configuration's steps so far. */
  private progress(p: Omit<SweepProgress, 'count' | 'key' | 'bestFew'> & { config: SweepConfiguration }): void {
    const { config, ...rest } = p;
    const steps = this.results.results.find((r) => r.key === config.key)?.steps ?? [];
    this.env.progress({ ...rest, bestFew: fewAt(steps, rest.best), count: this.plan.configurations.length, key: config.key });
  }

  private async act(action: string, detail: Record<string, unknown>, run: () => Promise<ActionResult>): Promise<ActionResult> {
    const started = this.env.now();
    this.env.record(action, detail, 'started', null);
    const result = await run().catch((err: unknown): ActionResult => ({ ok: false, message: err instanceof Error ? err.message : String(err) }));
    this.env.record(action, { ...detail, ...result.detail }, result, this.env.now() - started);
    if (!result.ok) throw new ActionFailed(`${action}: ${result.message}`);
    return result;
  }

  private async setPaused(paused: boolean): Promise<void> {
    const g = this.env.control.generators();
    if (!g || g.paused === paused) return;
    await this.act(paused ? 'pause-generators' : 'resume-generators', {}, () => this.env.control.setPaused(paused));
  }

  private async setLoad(count: number, ratePerGenerator: number): Promise<void> {
    const g = this.env.control.generators();
    if (!g) throw new ActionFailed(`the generators cannot be controlled: ${this.env.control.unavailableReason ?? 'none found'}`);
    // Rate first: generators started by the scale-up then run at the new rate from their start.
    if (g.ratePerGenerator !== ratePerGenerator) await this.act('set-rate', { from: g.ratePerGenerator, to: ratePerGenerator, sweep: true }, () => this.env.control.setRate(ratePerGenerator));
    if (g.count !== count) await this.act('scale-generators', { from: g.count, to: count, sweep: true }, () => this.env.control.scaleGenerators(count));
    await this.setPaused(false);
  }

  /** About TRICKLE_RPS in total, resumed if paused. */
  private async setTrickle(): Promise<void> {
    const g = this.env.control.generators();
    if (!g) return;
    // At least one: with none running (`lab up --generators 0`) the first batch would never come.
    const count = Math.max(1, g.count);
    await this.setLoad(count, Math.max(10, Math.floor(TRICKLE_RPS / count)));
  }

  private async restoreGenerators(): Promise<void> {
    const o = this.original;
    if (!o) return;
    try {
      await this.setLoad(o.count, o.ratePerGenerator);
      if (o.paused) await this.setPaused(true);
    } catch {
      // Best effort: the generators' state is in the events and the recording.
    }
  }

  private async prepareTopic(config: SweepConfiguration, index: number, result: ConfigurationResult): Promise<void> {
    if (config.partitions === null) return;
    const have = await this.env.topicPartitions();
    if (have === config.partitions) return;
    this.progress({ phase: 'topic', index, config, step: 0, rate: null, until: null, best: null, message: `recreating topic ${this.env.topic} with ${config.partitions} partitions (had ${have ?? 'none'})` });
    await this.setPaused(true);
    // The query's offsets refer to the old topic: stop it before the topic goes.
    await this.act('kill-job', { sweep: true, reason: 'topic recreated' }, () => this.env.control.killJob()).catch((err: unknown) => {
      if (!(err instanceof ActionFailed) || !/no job/i.test(err.message)) throw err;
    });
    const started = this.env.now();
    const detail = { topic: this.env.topic, from: have, to: config.partitions };
    this.env.record('recreate-topic', detail, 'started', null);
    try {
      await this.env.recreateTopic(config.partitions);
      this.env.record('recreate-topic', detail, { ok: true, message: `topic ${this.env.topic} has ${config.partitions} partitions` }, this.env.now() - started);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.env.record('recreate-topic', detail, { ok: false, message }, this.env.now() - started);
      throw new ActionFailed(message);
    }
    result.partitions = config.partitions;
  }

  private async resubmit(config: SweepConfiguration, index: number, result: ConfigurationResult): Promise<void> {
    this.progress({ phase: 'resubmitting', index, config, step: 0, rate: null, until: null, best: null, message: 'resubmitting the job' });
    // Nothing reads the topic between the old job's stop and the new one's first batch: records
    // produced meanwhile would only be a backlog distorting the first step. A trickle, not a pause:
    // the resubmission waits for a first batch with input rows.
    await this.setTrickle();
    const reviewed = await this.env.control.reviewResubmit(config.resources);
    if (!reviewed.ok) throw new ActionFailed(`resubmit: ${reviewed.message}`);
    result.commandLine = reviewed.commandLine;
    const r = await this.act('resubmit', { resources: config.resources, commandLine: reviewed.commandLine, sweep: config.key }, () =>
      this.env.control.resubmit(config.resources, {
        onStep: (step) => this.progress({ phase: 'resubmitting', index, config, step: 0, rate: null, until: null, best: null, message: `resubmitting: ${step}` }),
        reviewed: { checkpointDir: reviewed.checkpointDir },
        signal: this.signal,
      }),
    );
    result.appId = typeof r.detail?.appId === 'string' ? r.detail.appId : null;
  }

  /** Before a step: generators paused until the lag is under a second of the next rate (or `drainMs` passed). */
  private async drain(config: SweepConfiguration, index: number, step: number, nextRps: number): Promise<void> {
    const limit = Math.max(1000, nextRps);
    const lag = this.env.watch.totalLag();
    if (lag !== null && lag <= limit) return;
    await this.setPaused(true);
    const until = this.env.now() + this.plan.settings.drainMs;
    while (this.env.now() < until) {
      const now = this.env.watch.totalLag();
      this.progress({ phase: 'draining', index, config, step, rate: nextRps, until, best: null, message: `draining the backlog: lag ${now === null ? '–' : formatInt(now)}` });
      if (now !== null && now <= limit) return;
      await this.env.sleep(1000, this.signal);
    }
  }

  /**
   * Measures a step from the end of its settling: --measure, then, while the window cannot be
   * judged (too few batches, or a figure not known yet), a second longer at a time up to
   * --max-measure. Judged as soon as it can be; still inconclusive at the cap, the reasons say how
   * many batches came and what window would hold enough.
   */
  private async measure(
    config: SweepConfiguration,
    index: number,
    step: number,
    rate: number,
    best: number | null,
    settleFrom: number,
  ): Promise<{ measurement: StepMeasurement; verdict: StepVerdict; extendedFromMs: number | null }> {
    const s = this.plan.settings;
    const cap = Math.max(s.measureMs, s.maxMeasureMs);
    const fraction = this.env.watch.thresholds().generatorFraction;
    const from = this.env.now();
    this.progress({ phase: 'measuring', index, config, step, rate, until: from + s.measureMs, best, message: `${formatInt(rate)} rec/s: measuring` });
    await this.env.sleep(s.measureMs, this.signal);
    let measurement = measureWindow(this.env.watch.samplesSince(settleFrom), from, this.env.now(), this.env.topic);
    // The outcome does not depend on the findings (they only rank the causes): none asked while waiting.
    let extended = false;
    for (let open = judgeStep(rate, measurement, s.targetBatchMs, [], fraction); open.outcome === 'inconclusive' && this.env.now() - from < cap; open = judgeStep(rate, measurement, s.targetBatchMs, [], fraction)) {
      extended = true;
      // The message changes only when a batch comes (--no-tui prints a line per change); the countdown is `until`.
      const why = measurement.batches < MIN_VERDICT_BATCHES ? `${measurement.batches} of the ${MIN_VERDICT_BATCHES} batches a verdict needs` : open.reasons.join(', ');
      this.progress({ phase: 'measuring', index, config, step, rate, until: from + cap, best, message: `${formatInt(rate)} rec/s: measuring longer (${why}; window up to ${formatDuration(cap)}, --max-measure)` });
      await this.env.sleep(Math.min(1000, from + cap - this.env.now()), this.signal);
      measurement = measureWindow(this.env.watch.samplesSince(settleFrom), from, this.env.now(), this.env.topic);
    }
    let verdict = judgeStep(rate, measurement, s.targetBatchMs, this.env.watch.findings(), fraction);
    if (verdict.outcome === 'inconclusive') verdict = inconclusiveAtCap(verdict, measurement);
    return { measurement, verdict, extendedFromMs: extended ? s.measureMs : null };
  }

  private async runConfiguration(config: SweepConfiguration, index: number): Promise<void> {
    const s = this.plan.settings;
    const result: ConfigurationResult = {
      key: config.key,
      resources: config.resources,
      partitions: config.partitions,
      status: 'running',
      startedAt: this.env.now(),
      finishedAt: null,
      commandLine: null,
      appId: null,
      steps: [],
      end: null,
      maxSustainableRps: null,
      p95AtMaxMs: null,
      batchesAtMax: null,
      fewBatchesAtMax: false,
      inconclusiveAtRps: null,
      limitingFactor: null,
      error: null,
    };
    this.results.results = [...this.results.results.filter((r) => r.key !== config.key), result];
    const save = () => {
      const i = this.results.results.findIndex((r) => r.key === config.key);
      this.results.results[i] = summarise(result);
      this.results.updatedAt = this.env.now();
      this.env.save(this.results);
    };
    save();
    try {
      await this.prepareTopic(config, index, result);
      await this.resubmit(config, index, result);
      let search: SearchState = startSearch();
      for (;;) {
        const { rate, end } = nextRate(search, s);
        if (rate === null) {
          result.end = end;
          break;
        }
        const step = search.steps.length + 1;
        const best = search.lo;
        await this.drain(config, index, step, rate);
        const load = generatorPlan(rate, s);
        await this.setLoad(load.count, load.ratePerGenerator);
        const settleFrom = this.env.now();
        this.env.watch.forgetBefore(settleFrom);
        this.progress({ phase: 'settling', index, config, step, rate, until: settleFrom + s.settleMs, best, message: `${formatInt(rate)} rec/s (${load.count} × ${formatInt(load.ratePerGenerator)}): settling` });
        await this.env.sleep(s.settleMs, this.signal);
        const { measurement, verdict, extendedFromMs } = await this.measure(config, index, step, rate, best, settleFrom);
        const { from, to } = measurement;
        const stepResult: SweepStepResult = { rate, generators: load, settleFrom, measurement, ...verdict, appId: result.appId, fewBatches: false, extendedFromMs };
        stepResult.fewBatches = restsOnFewBatches(stepResult);
        result.steps.push(stepResult);
        this.env.record(
          'sweep-step',
          { sweep: config.key, rate, from, to, outcome: verdict.outcome, produceRps: measurement.produceRps, p95Ms: measurement.p95Ms, batches: measurement.batches, extendedFromMs },
          { ok: true, message: `${formatInt(rate)} rec/s ${verdict.outcome}: ${verdict.reasons.join(', ')}` },
          to - settleFrom,
        );
        search = recordStep(search, { rate, outcome: verdict.outcome });
        save();
        this.progress({ phase: 'judged', index, config, step, rate, until: null, best: search.lo, message: `${formatInt(rate)} rec/s ${verdict.outcome}${stepBasis(stepResult)}: ${verdict.reasons.join(', ')}` });
      }
      result.status = 'done';
      result.finishedAt = this.env.now();
      save();
      const summary = this.results.results.find((r) => r.key === config.key)!;
      const max = summary.maxSustainableRps === null ? 'none' : `${summary.end === 'inconclusive' ? '≥ ' : ''}${formatInt(summary.maxSustainableRps)} rec/s${summary.fewBatchesAtMax ? ` on ${summary.batchesAtMax} batches (few)` : ''}`;
      const why = summary.end === 'inconclusive' ? ` — ${summary.limitingFactor ?? 'inconclusive'}` : ` (${result.end}; limit: ${summary.limitingFactor ?? '–'})`;
      this.progress({ phase: 'done', index, config, step: result.steps.length, rate: null, until: null, best: summary.maxSustainableRps, message: `max sustainable ${max}${why}` });
    } catch (err) {
      if (this.signal.aborted) return; // stays `running`: a resume runs it again
      result.status = 'failed';
      result.error = err instanceof Error ? err.message : String(err);
      result.finishedAt = this.env.now();
      save();
      this.progress({ phase: 'failed', index, config, step: result.steps.length, rate: null, until: null, best: null, message: `failed: ${result.error}` });
    }
  }
}

/** Whether the sustainable verdict at `rate` rests on few batches. */
function fewAt(steps: readonly SweepStepResult[], rate: number | null): boolean {
  return rate !== null && steps.some((st) => st.rate === rate && st.outcome === 'sustainable' && st.fewBatches);
}
