/**
 * The stages of every application as last reported (the driver lists the latest ~120; a long run
 * sees many more, so each is kept from the samples), the longest ones and what they did, and how
 * the batch durations break down into Spark's phases.
 */
import { percentile } from '../model/rates.js';
import type { Sample, StageSample } from '../model/samples.js';
import { sparkDate } from '../model/time.js';
import { formatBytes, formatDuration, formatInt, formatPercent } from '../text/format.js';
import type { ReportBatch } from './reportBatches.js';
import type { ReplayObserver } from './reportReplay.js';
import { mdTable, oneLine } from './reportText.js';

export interface StageSpan {
  appId: string;
  stage: StageSample;
  /** Completion − submission; for a stage still running when last seen: until then. */
  durationMs: number;
}

const LONGEST_LISTED = 5;

interface Seen {
  appId: string;
  stage: StageSample;
  seen: number;
  /** Order of the first sighting: ties in duration keep it, as a stable sort of all stages would. */
  order: number;
}

function spanOf({ appId, stage, seen }: Seen): StageSpan | null {
  const submitted = sparkDate(stage.submissionTime);
  const end = sparkDate(stage.completionTime) ?? (stage.status === 'ACTIVE' ? seen : null);
  return submitted !== null && end !== null ? { appId, stage, durationMs: Math.max(0, end - submitted) } : null;
}

/**
 * A long run sees a great many stages, so the collector keeps whole rows only for the stages that
 * may still change (not completed yet) and for the longest completed ones; of the others, only
 * their keys (to count each once). A completed stage does not change in Spark's answers; its later
 * sightings still replace its row when it is among the longest.
 */
export function createStageCollector(): ReplayObserver & { stages(): { longest: StageSpan[]; count: number } } {
  const open = new Map<string, Seen>();
  /** Completed stages by app: stage id × 1000 + attempt (numbers: a long run completes very many). */
  const done = new Map<string, Set<number>>();
  const doneIn = (appId: string) => {
    let ids = done.get(appId);
    if (!ids) done.set(appId, (ids = new Set()));
    return ids;
  };
  let longest: Array<{ span: StageSpan; order: number; key: string }> = [];
  let count = 0;
  let order = 0;
  const before = (a: { span: StageSpan; order: number }, b: { span: StageSpan; order: number }) => b.span.durationMs - a.span.durationMs || a.order - b.order;
  const rank = (list: typeof longest) => list.sort(before).slice(0, LONGEST_LISTED);
  return {
    after(s: Sample) {
      if (s.kind !== 'stages') return;
      const completed = doneIn(s.data.appId);
      for (const stage of s.data.stages) {
        const key = `${s.data.appId}/${stage.stageId}/${stage.attemptId}`;
        const doneKey = stage.stageId * 1000 + stage.attemptId;
        if (completed.has(doneKey)) {
          const kept = longest.find((l) => l.key === key);
          const span = kept && spanOf({ appId: s.data.appId, stage, seen: s.t, order: kept.order });
          if (kept && span) longest = rank([...longest.filter((l) => l !== kept), { span, order: kept.order, key }]);
          continue;
        }
        const seen: Seen = { appId: s.data.appId, stage, seen: s.t, order: open.get(key)?.order ?? order++ };
        if (sparkDate(stage.completionTime) === null) {
          open.set(key, seen);
          continue;
        }
        open.delete(key);
        completed.add(doneKey);
        const span = spanOf(seen);
        if (span) {
          count++;
          longest = rank([...longest, { span, order: seen.order, key }]);
        }
      }
    },
    stages() {
      const spans = [...open].flatMap(([key, seen]) => {
        const span = spanOf(seen);
        return span ? [{ span, order: seen.order, key }] : [];
      });
      return { longest: rank([...longest, ...spans]).map((l) => l.span), count: count + spans.length };
    },
  };
}


export function stagesSection({ longest: stages, count }: { longest: readonly StageSpan[]; count: number }): string[] {
  const lines = ['## Stages', ''];
  const longest = stages[0];
  if (!longest) return [...lines, 'No stage with a known duration was recorded.', ''];
  const s = longest.stage;
  lines.push(
    `The longest stage: **stage ${s.stageId}** (attempt ${s.attemptId}) of ${longest.appId}, \`${s.name}\`${s.description ? ` (${oneLine(s.description)})` : ''}, took **${formatDuration(longest.durationMs)}** (${s.status}) over ${formatInt(s.numTasks)} tasks (${formatInt(s.numFailedTasks)} failed). ` +
      `It read ${formatInt(s.inputRecords)} input rows (${formatBytes(s.inputBytes)}), shuffle-read ${formatBytes(s.shuffleReadBytes)} (${formatInt(s.shuffleReadRecords)} rows), shuffle-wrote ${formatBytes(s.shuffleWriteBytes)} (${formatInt(s.shuffleWriteRecords)} rows), spilled ${formatBytes(s.memoryBytesSpilled + s.diskBytesSpilled)}; executors ran its tasks for ${formatDuration(s.executorRunTime)} in all.`,
    '',
  );
  const rows = stages.slice(0, LONGEST_LISTED).map((x) => [
    x.appId,
    `${x.stage.stageId}.${x.stage.attemptId}`,
    x.stage.name,
    x.stage.status,
    formatDuration(x.durationMs),
    formatInt(x.stage.numTasks),
    formatInt(x.stage.inputRecords),
    formatBytes(x.stage.shuffleReadBytes),
    formatBytes(x.stage.shuffleWriteBytes),
  ]);
  lines.push(`The ${rows.length} longest of ${count} stages:`, '', ...mdTable(['app', 'stage', 'name', 'status', 'duration', 'tasks', 'input rows', 'shuffle read', 'shuffle write'], rows, [4, 5, 6, 7, 8]), '');
  return lines;
}

export const BREAKDOWN_PHASES = ['addBatch', 'getBatch', 'latestOffset', 'queryPlanning', 'walCommit', 'commitOffsets'] as const;

type TimedBatch = ReportBatch & { durationMs: number };

function breakdownTable(timed: readonly TimedBatch[]): string[] {
  const total = timed.reduce((s, b) => s + b.durationMs, 0);
  const rows = BREAKDOWN_PHASES.map((phase) => {
    const known = timed.filter((b) => b.breakdown[phase] !== null);
    const ms = known.map((b) => b.breakdown[phase]!).sort((a, b) => a - b);
    const shares = known.map((b) => b.breakdown[phase]! / b.durationMs).sort((a, b) => a - b);
    const sum = ms.reduce((s, v) => s + v, 0);
    return [phase, known.length === 0 ? '–' : formatDuration(sum / known.length), formatDuration(percentile(ms, 0.95)), formatPercent(known.length === 0 ? null : sum / total), formatPercent(percentile(shares, 0.95))];
  });
  return [
    `Over ${timed.length} batches reported by the listener (triggerExecution ${formatDuration(total / timed.length)} on average).`,
    '',
    ...mdTable(['phase', 'mean', 'p95', 'share of time', 'p95 share'], rows, [1, 2, 3, 4]),
    '',
  ];
}

/** The whole run, then each application when there were several. */
export function breakdownSection(batches: readonly ReportBatch[]): string[] {
  const lines = ['## Batch duration breakdown', ''];
  const timed = batches.filter((b): b is TimedBatch => b.durationMs !== null && b.durationMs > 0 && b.origin !== 'derived');
  if (timed.length === 0) return [...lines, 'No batch reported its phases (the progress listener never answered).', ''];
  lines.push("Share of time = the phase's total ÷ all batches' total; p95 share = the 95th percentile of the phase's share of each batch.", '', ...breakdownTable(timed));
  const apps = [...new Set(timed.map((b) => b.appId))];
  if (apps.length > 1) for (const app of apps) lines.push(`### ${app ?? 'application unknown'}`, '', ...breakdownTable(timed.filter((b) => b.appId === app)));
  return lines;
}
