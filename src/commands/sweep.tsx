import { onStopSignal, type StopSignal } from './stopSignals.js';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { kebab } from '../text/kebab.js';
import type { WatchFlags } from '../config/watchConfig.js';
import { watchConfigFor as resolveWatchConfig } from './watchConfig.js';
import { BASELINE_RESOURCES } from '../domain/resources.js';
import { parseTarget, selectControl } from '../control/select.js';
import { controlSample, WatchOnly, type ActionResult, type PipelineControl } from '../control/types.js';
import { OutputFile } from '../files/outputFile.js';
import { recreateTopic, topicPartitionCount } from '../lab/kafkaBroker.js';
import { watchedKafka } from '../config/kafkaClientFile.js';
import { applySample, createModel } from '../model/index.js';
import type { Sample } from '../model/samples.js';
import { openRecordingSession } from '../record/session.js';
import { existingResults, sweepFiles } from '../sweep/files.js';
import { sweepMarkdown } from '../sweep/markdown.js';
import { modelWatch } from '../sweep/modelWatch.js';
import { resolvePlan, type SweepFlags, type SweepPlan } from '../sweep/plan.js';
import { bestOf, InvalidResultsFile, newResults, readResults, saveResults, type SweepResults } from '../sweep/results.js';
import { SweepRunner, type SweepProgress } from '../sweep/runner.js';
import { openFullScreen } from './fullScreen.js';
import { Live } from './live.js';
import { takeSnapshot, samplerFor } from './takeSnapshot.js';
import { formatDuration, formatInt } from '../text/format.js';

export interface SweepCommandFlags extends WatchFlags, SweepFlags {
  target?: string;
  output?: string;
  /** Write over existing -o results files. */
  force?: boolean;
  resume?: string;
  tui?: boolean;
}

const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);
const mmss = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/** One line per phase change for --no-tui (settling and measuring are not repeated each second). */
export function progressLine(p: SweepProgress, now: number): string {
  const where = `${p.index}/${p.count}`;
  const step = p.step > 0 ? ` step ${p.step}` : '';
  const wait = p.until !== null ? ` (${mmss(Math.max(0, p.until - now))})` : '';
  return `[${clock(now)}] ${where}${step} ${p.message}${wait}`;
}

/** The monitor's status line during a sweep: where it is, what it waits for, the best rate so far. */
export function statusLine(p: SweepProgress, now: number): string {
  const wait = p.until !== null ? ` ${mmss(Math.max(0, p.until - now))} left` : '';
  const best = p.best !== null ? ` · best ${formatInt(p.best)} rec/s${p.bestFew ? ' (few batches)' : ''}` : '';
  return `sweep ${p.index}/${p.count}${p.step > 0 ? ` step ${p.step}` : ''} · ${p.message}${wait}${best} · q stops (resumable)`;
}

function planFor(flags: SweepCommandFlags, control: PipelineControl, clusterCores: number | null, topic: string, now: number): { plan: SweepPlan; results: SweepResults } {
  if (flags.resume) {
    const given = ['executorCores', 'totalExecutorCores', 'executorMemory', 'shufflePartitions', 'partitions', 'plan', 'startRps', 'maxRps', 'settle', 'measure', 'maxMeasure', 'steps', 'targetBatch'].filter(
      (k) => flags[k as keyof SweepCommandFlags] !== undefined,
    );
    if (given.length > 0) throw new SweepUsage(`--resume takes the plan and settings from ${flags.resume}: do not also give ${given.map((k) => `--${kebab(k)}`).join(', ')}`);
    const results = readResults(flags.resume);
    // readResults gives an older file's settings what they lack (--max-measure: 4 × its --measure).
    const plan: SweepPlan = { configurations: results.configurations, skipped: results.skipped, settings: results.settings };
    return { plan, results };
  }
  const base = { ...BASELINE_RESOURCES, driverMemory: control.jobResources()?.driverMemory };
  if (base.driverMemory === undefined) delete base.driverMemory;
  const plan = resolvePlan(flags, base, clusterCores);
  return { plan, results: newResults(plan, topic, now) };
}

export class SweepUsage extends Error {}

/** `sparktop sweep`: the highest sustainable rate per configuration, found by resubmitting and ramping. */
export async function sweepCommand(flags: SweepCommandFlags): Promise<number> {
  const started = new Date();
  const files = sweepFiles(flags.output, flags.resume, flags.record ?? null, started);
  const taken = existingResults(files);
  if (taken.length > 0 && !flags.force) {
    const them = taken.length === 1 ? 'it' : 'them';
    process.stderr.write(`sparktop sweep: ${taken.join(' and ')} ${taken.length === 1 ? 'exists' : 'exist'}; choose another name with -o, remove ${them}, or add --force to replace ${them}\n`);
    return 2;
  }
  const config = resolveWatchConfig({ ...flags, record: files.recording, targetBatch: flags.targetBatch });
  const target = parseTarget(flags.target);
  const control = selectControl(config, flags.cacheDir, target);
  if (control.unavailableReason) {
    process.stderr.write(`sparktop sweep: ${control.unavailableReason}\n`);
    return 2;
  }
  const snapshot = await takeSnapshot(config);
  if (!snapshot.sources.kafka.ok || !snapshot.sources.master.ok) {
    process.stderr.write(`sparktop sweep: the pipeline is not reachable (${!snapshot.sources.kafka.ok ? `Kafka ${config.kafka}` : `the Spark master ${config.sparkMaster}`}); start the lab first\n`);
    return 2;
  }
  let planned: { plan: SweepPlan; results: SweepResults };
  try {
    planned = planFor(flags, control, snapshot.master.coresTotal, config.topic, started.getTime());
  } catch (err) {
    if (err instanceof SweepUsage || err instanceof InvalidResultsFile) {
      process.stderr.write(`sparktop sweep: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { plan, results } = planned;
  // The first save creates the files this run starts (a file that appeared since is not replaced);
  // the later saves replace them.
  const replace = (file: string) => flags.force === true || !files.created.includes(file);
  const jsonFile = new OutputFile(files.json, replace(files.json));
  const markdownFile = new OutputFile(files.markdown, replace(files.markdown));
  // -o into a folder that does not exist yet: made now (the results and the recording go there).
  fs.mkdirSync(path.dirname(files.markdown), { recursive: true });
  results.recordings = [...results.recordings, files.recording];
  const tui = flags.tui !== false && process.stdout.isTTY === true && process.stdin.isTTY === true;
  const say = (line: string) => {
    if (!tui) process.stdout.write(`${line}\n`);
  };
  say(`sparktop sweep: ${plan.configurations.length} configuration${plan.configurations.length === 1 ? '' : 's'}, results in ${files.markdown} and ${files.json}, recording ${files.recording}`);
  say(`  each step: ${formatDuration(plan.settings.settleMs)} settling, ${formatDuration(plan.settings.measureMs)} measuring${plan.settings.maxMeasureMs > plan.settings.measureMs ? `, longer up to ${formatDuration(plan.settings.maxMeasureMs)} (--max-measure) while the window has too few batches to judge` : ''}`);
  for (const k of plan.skipped) say(`  skipped ${k.key}: ${k.reason}`);

  const news = new EventEmitter();
  const abort = new AbortController();
  const model = createModel({ targetBatchMs: config.targetBatchMs, topic: config.topic, advisor: config.advisor });
  const watch = modelWatch(model);
  const session = openRecordingSession({
    record: files.recording,
    cast: config.cast,
    config,
    size: { columns: process.stdout.columns ?? 120, rows: process.stdout.rows ?? 40 },
    title: 'sparktop sweep',
    onError: (message) => news.emit('notice', message),
  });
  const apply = (s: Sample) => {
    applySample(model, s);
    session.onSample(s);
    watch.onSample(s);
  };
  const sampler = samplerFor(config, (s) => {
    apply(s);
    if (s.kind === 'progress' && s.data.progress.length > 0) news.emit('batch');
  });
  let last: SweepProgress | null = null;
  const onProgress = (p: SweepProgress) => {
    const phaseChanged = !last || last.phase !== p.phase || last.message !== p.message || last.index !== p.index;
    last = p;
    if (phaseChanged) say(progressLine(p, Date.now()));
    news.emit('notice', statusLine(p, Date.now()));
  };
  const ticker = setInterval(() => {
    if (abort.signal.aborted) news.emit('notice', 'stopping the sweep: putting the generators back… (results so far are saved)');
    else if (last) news.emit('notice', statusLine(last, Date.now()));
  }, 1000);
  const record = (action: string, detail: Record<string, unknown>, result: ActionResult | 'started', ms: number | null) =>
    apply({ t: Date.now(), kind: 'control', data: controlSample(action, detail, result, ms) });
  const kafka = watchedKafka(config);
  const runner = new SweepRunner(
    plan,
    results,
    {
      control,
      watch,
      topic: config.topic,
      topicPartitions: () => topicPartitionCount(kafka, config.topic),
      recreateTopic: (n) => recreateTopic(kafka, config.topic, n),
      record,
      progress: onProgress,
      save: (r) => {
        saveResults(jsonFile, r);
        markdownFile.write(sweepMarkdown(r));
      },
      now: Date.now,
      sleep: (ms, signal) => delay(ms, undefined, { signal }),
    },
    abort.signal,
  );

  const onSignal = (sig: StopSignal) => {
    if (abort.signal.aborted) {
      process.stderr.write('second interrupt: exiting now (results so far are saved; the generators stay as the sweep left them)\n');
      process.exit(130);
    }
    say(`${sig}: stopping the sweep (the generators go back to how they were; the results so far are saved)…`);
    news.emit('notice', 'stopping the sweep: putting the generators back…');
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  const disposeSignals = onStopSignal(onSignal);

  const readOnly = new WatchOnly('a sweep is running: it drives the generators and the job (q stops it; --resume continues it)');
  const screen = tui
    ? openFullScreen(
        (_quit, sink) => (
          <Live
            model={model}
            config={config}
            control={readOnly}
            news={news}
            recorder={{ apply, mark: (note) => applySample(model, session.mark(note)), snapshot: () => session.snapshot(sink.lastFrame()), recording: session.recording, firstNotice: session.error() }}
            onQuit={() => onSignal('SIGINT')}
          />
        ),
        { onWrite: session.sinkTap, exitOnCtrlC: false },
      )
    : null;
  sampler.start();
  let final: SweepResults;
  try {
    // A first look at the pipeline before anything changes (the findings need a few evaluations).
    await delay(Math.min(3000, config.refreshMs * 3));
    final = await runner.run();
  } finally {
    clearInterval(ticker);
    disposeSignals();
    screen?.unmount();
    await sampler.stop();
    screen?.leave();
    await session.close();
  }
  const best = bestOf(final.results);
  process.stdout.write(`\n${sweepMarkdown(final).split('\n## ')[0]!.trimEnd()}\n\n`);
  process.stdout.write(`Results: ${files.markdown} and ${files.json}; recording ${files.recording}.\n`);
  if (!final.complete) {
    process.stdout.write(`The sweep did not finish. Continue it with: sparktop sweep --resume ${path.relative(process.cwd(), files.json) || files.json}\n`);
    return 130;
  }
  if (best) process.stdout.write(`The job now runs with the last configuration tried; the best one is ${best.key}.\n`);
  return 0;
}
