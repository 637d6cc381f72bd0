/**
 * Executors over the whole recording, per application: tasks, share of task time, GC ratio (from
 * the growth of Spark's cumulative counters while recorded) and the peak of storage memory used
 * against its capacity. An executor added before the recording began counts from its first sample.
 */
import { hostOf, isDriver } from '../model/executors.js';
import type { ExecutorSample, Sample } from '../model/samples.js';
import { sparkDate } from '../model/time.js';
import { formatBytes, formatDuration, formatInt, formatPercent } from '../text/format.js';
import type { ReplayObserver } from './reportReplay.js';
import { mdTable } from './reportText.js';

interface Counters {
  tasks: number;
  failed: number;
  taskMs: number;
  gcMs: number;
}

interface ExecutorSpan {
  id: string;
  host: string;
  cores: number;
  base: Counters;
  last: Counters;
  peakUsed: number;
  maxMemory: number;
  removeReason: string | null;
}

export type ExecutorsByApp = Map<string, ExecutorSpan[]>;

const countersOf = (e: ExecutorSample): Counters => ({ tasks: e.completedTasks, failed: e.failedTasks, taskMs: e.totalDuration, gcMs: e.totalGCTime });
const ZERO: Counters = { tasks: 0, failed: 0, taskMs: 0, gcMs: 0 };

export function createExecutorCollector(): ReplayObserver & { byApp(): ExecutorsByApp } {
  const apps = new Map<string, Map<string, ExecutorSpan>>();
  let recordingStart: number | null = null;
  return {
    after(s: Sample) {
      recordingStart ??= s.t;
      if (s.kind !== 'executors') return;
      let spans = apps.get(s.data.appId);
      if (!spans) apps.set(s.data.appId, (spans = new Map()));
      for (const e of s.data.executors) {
        let span = spans.get(e.id);
        if (!span) {
          const added = sparkDate(e.addTime);
          const base = added !== null && added >= recordingStart ? ZERO : countersOf(e);
          spans.set(e.id, (span = { id: e.id, host: hostOf(e.hostPort), cores: e.totalCores, base, last: base, peakUsed: 0, maxMemory: 0, removeReason: null }));
        }
        span.last = countersOf(e);
        span.cores = e.totalCores;
        span.peakUsed = Math.max(span.peakUsed, e.memoryUsed);
        span.maxMemory = Math.max(span.maxMemory, e.maxMemory);
        span.removeReason = e.removeReason;
      }
    },
    byApp: () => new Map([...apps].map(([id, spans]) => [id, [...spans.values()]])),
  };
}

const grown = (x: ExecutorSpan): Counters => ({
  tasks: Math.max(0, x.last.tasks - x.base.tasks),
  failed: Math.max(0, x.last.failed - x.base.failed),
  taskMs: Math.max(0, x.last.taskMs - x.base.taskMs),
  gcMs: Math.max(0, x.last.gcMs - x.base.gcMs),
});

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

function totals(spans: readonly ExecutorSpan[]): Counters & { executors: number; cores: number; peakUsed: number; maxMemory: number } {
  const workers = spans.filter((x) => !isDriver(x.id));
  const sum = workers.map(grown).reduce((a, c) => ({ tasks: a.tasks + c.tasks, failed: a.failed + c.failed, taskMs: a.taskMs + c.taskMs, gcMs: a.gcMs + c.gcMs }), ZERO);
  return {
    ...sum,
    executors: workers.length,
    cores: workers.reduce((n, x) => n + x.cores, 0),
    peakUsed: Math.max(0, ...workers.map((x) => x.peakUsed)),
    maxMemory: Math.max(0, ...workers.map((x) => x.maxMemory)),
  };
}

export function executorsSection(byApp: ExecutorsByApp): string[] {
  const lines = ['## Executors', ''];
  if (byApp.size === 0) return [...lines, 'No executor data was recorded (the driver never answered).', ''];
  lines.push(
    'Counted from the growth of Spark\'s cumulative counters while the recording ran. Share = the executor\'s task time ÷ all executors\' task time of the app; GC ratio = GC time ÷ task time; memory = peak storage memory used of its capacity. The driver takes no part in shares and totals.',
    '',
    '### Whole run',
    '',
  );
  const appRows = [...byApp].map(([appId, spans]) => {
    const t = totals(spans);
    return [appId, String(t.executors), String(t.cores), formatInt(t.tasks), formatInt(t.failed), formatDuration(t.taskMs), formatPercent(ratio(t.gcMs, t.taskMs)), `${formatBytes(t.peakUsed)} of ${formatBytes(t.maxMemory)}`];
  });
  lines.push(...mdTable(['app', 'executors', 'cores', 'tasks', 'failed', 'task time', 'GC ratio', 'peak memory (one executor)'], appRows, [1, 2, 3, 4, 5, 6]), '');
  for (const [appId, spans] of byApp) {
    const all = totals(spans).taskMs;
    const rows = spans.map((x) => {
      const g = grown(x);
      const share = isDriver(x.id) ? null : ratio(g.taskMs, all);
      const memory = `${formatBytes(x.peakUsed)} of ${formatBytes(x.maxMemory)} (${formatPercent(ratio(x.peakUsed, x.maxMemory))})`;
      return [x.id, x.host, String(x.cores), formatInt(g.tasks), formatInt(g.failed), formatDuration(g.taskMs), formatPercent(share), formatPercent(ratio(g.gcMs, g.taskMs)), memory, x.removeReason ?? ''];
    });
    lines.push(`### ${appId}`, '', ...mdTable(['executor', 'host', 'cores', 'tasks', 'failed', 'task time', 'share', 'GC ratio', 'peak memory', 'removed'], rows, [2, 3, 4, 5, 6, 7]), '');
  }
  return lines;
}
