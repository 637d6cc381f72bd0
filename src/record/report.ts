/**
 * `sparktop report`: a recording → Markdown that answers a tuning exercise's questions from the
 * raw samples, replayed through the model (src/record/reportReplay.ts). Pure: no I/O, no clock.
 */
import type { AdvisorOptionsInput } from '../model/advisor/options.js';
import { experimentsTable, METHOD_NOTES } from './experimentsExport.js';
import type { Sample } from '../model/samples.js';
import type { Recording, RecordingStream } from './reader.js';
import type { RecordingHeader } from './recordingFormat.js';
import { modelOptionsOf } from './replaySource.js';
import { createBatchCollector } from './reportBatches.js';
import { chartsSection, letterMarkers } from './reportCharts.js';
import { createExecutorCollector, executorsSection } from './reportExecutors.js';
import { createFindingsCollector, findingsSection, thresholdsLine } from './reportFindings.js';
import { createReportReplay, type ReplayResult } from './reportReplay.js';
import { createRunCollector, type RunFacts } from './reportRun.js';
import { settingsSection } from './reportSettings.js';
import { breakdownSection, createStageCollector, stagesSection } from './reportStages.js';
import { summarySection } from './reportSummary.js';
import { utcDateTime } from './reportText.js';
import { formatDuration } from '../text/format.js';

export interface ReportOptions {
  /** What the report was made from, e.g. the file name. */
  source?: string;
  /** When it was written (epoch ms); left out when not given. */
  at?: number;
  /** The advisor's settings to replay with; default: the defaults (not the recorded ones). */
  advisor?: AdvisorOptionsInput;
}

/** Marks, app changes and finished control actions, to letter on the charts. */
function chartEvents(facts: RunFacts, appChanges: ReadonlyArray<{ t: number; appId: string }>): Array<{ t: number; text: string }> {
  const apps = appChanges.map((c) => ({ t: c.t, text: `application changed to ${c.appId}` }));
  const marks = facts.marks.map((m) => ({ t: m.t, text: `mark: ${m.note}` }));
  const actions = facts.controls.filter((c) => c.data.result !== 'started').map((c) => ({ t: c.t, text: `${c.data.action} ${c.data.result}${c.data.message ? `: ${c.data.message}` : ''}` }));
  return [...marks, ...apps, ...actions];
}

/** The report's collectors on a replay of the recording: push the samples in file order, then ask for the Markdown. */
function startReport(header: RecordingHeader, options: ReportOptions): { push(s: Sample): void; markdown(tornLastLine: boolean): string } {
  const modelOptions = { ...modelOptionsOf(header.config), advisor: options.advisor };
  const batches = createBatchCollector();
  const run = createRunCollector();
  const executors = createExecutorCollector();
  const stages = createStageCollector();
  const findings = createFindingsCollector();
  const replay = createReportReplay(modelOptions, header.startedAt, [batches, run, executors, stages, findings]);
  let samples = 0;
  const push = (s: Sample) => {
    replay.push(s);
    samples++;
  };
  return { push, markdown: (tornLastLine) => markdownOf(replay.finish(), tornLastLine) };

  function markdownOf({ model, final, start, end }: ReplayResult, tornLastLine: boolean): string {
    const facts = run.facts();
    const targetMs = model.options.targetBatchMs;
    const rows = batches.fullRows(final.experiments, model);
    const series = batches.series();
    const markers = letterMarkers(chartEvents(facts, final.appChanges));

    const title = `# sparktop report${options.source ? `: ${options.source}` : ''}`;
    const written = options.at === undefined ? [] : [`Written ${utcDateTime(options.at)}. `];
    const lines = [
      title,
      '',
      `${written.join('')}Every figure is recomputed from the recorded samples, replayed through sparktop's model; target batch duration ${formatDuration(targetMs)}.`,
      '',
      ...summarySection({ header, facts, start, end, samples, tornLastLine, targetMs }),
      '## Experiments',
      '',
      ...(rows.length === 0 ? ['No experiment segment was recorded.'] : experimentsTable(rows)),
      '',
      ...METHOD_NOTES.map((n) => `- ${n}`),
      '- Here p50 and p95 cover every counted batch of a segment, however long the run.',
      '',
      ...chartsSection(series, targetMs, markers, start),
      ...executorsSection(executors.byApp()),
      ...stagesSection(stages.stages()),
      ...breakdownSection(series.batches),
      ...findingsSection(findings.spans(), start, thresholdsLine(model.options.advisor, header.config.advisor)),
      ...settingsSection(rows, facts, start, end),
    ];
    return `${lines.join('\n').trimEnd()}\n`;
  }
}

export function reportMarkdown(recording: Recording, options: ReportOptions = {}): string {
  const report = startReport(recording.header, options);
  for (const s of recording.samples) report.push(s);
  return report.markdown(recording.tornLastLine);
}

/**
 * The same in one pass over a stream: the model's memory is bounded whatever the file's length;
 * the collectors keep what the report lists (per batch, stage, executor and experiment).
 */
export async function reportMarkdownOfStream(stream: Pick<RecordingStream, 'header' | 'samples' | 'tornLastLine'>, options: ReportOptions = {}): Promise<string> {
  const report = startReport(stream.header, options);
  for await (const s of stream.samples) report.push(s);
  return report.markdown(stream.tornLastLine());
}
