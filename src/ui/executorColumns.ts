/** The executors table's columns, for the overview panel (compact) and view 2 (full). */
import type { AdvisorThresholds } from '../model/advisor/options.js';
import type { ExecutorRow } from '../model/derivedTypes.js';
import { oneLine, type Tone } from '../text/cells.js';
import { formatBytes, formatBytesOf, formatDuration, formatInt, formatPercent } from '../text/format.js';
import { bar } from './bar.js';
import { columnsOf, type Column, type TableColumn } from './table.js';
import type { Glyphs } from './theme.js';

/** Skew (max ÷ median) coloured as the advisor judges it: a warning from `moderate`, a problem from `severe` (README.md "Advisor thresholds"). */
export function skewTone(skew: number | null, th: AdvisorThresholds): Tone | undefined {
  if (skew === null) return undefined;
  if (skew >= th.skew.severe) return 'bad';
  if (skew >= th.skew.moderate) return 'warn';
  return undefined;
}

/** GC share of task time coloured as the advisor judges it: `gcRatio` a warning, `gcError` a problem. */
export function gcTone(ratio: number | null, th: AdvisorThresholds): Tone | undefined {
  if (ratio === null) return undefined;
  if (ratio >= th.gcError) return 'bad';
  if (ratio > th.gcRatio) return 'warn';
  return undefined;
}

export function executorColumns(form: 'full' | 'compact', glyphs: Glyphs, th: AdvisorThresholds): Column<ExecutorRow>[] {
  const shareBar = (cells: number) => (r: ExecutorRow) => bar(r.taskShare, cells, glyphs.barFull, glyphs.barPartial);
  const columns: TableColumn<ExecutorRow>[] = [
    { header: 'id', width: 6, priority: 0, cell: (r) => r.id },
    { header: 'host', width: 10, priority: 3, grow: 1, cell: (r) => r.host, compact: { width: 8, priority: 4 } },
    { header: 'state', width: 8, priority: 1, grow: 1, cell: (r) => (r.isActive ? 'active' : `removed${r.removeReason ? `: ${oneLine(r.removeReason)}` : ''}`), compact: false },
    { header: 'cores', width: 5, align: 'right', priority: 4, cell: (r) => String(r.cores), compact: { priority: 3 } },
    { header: 'act', width: 3, align: 'right', priority: 0, cell: (r) => String(r.activeTasks) },
    { header: 'done', width: 8, align: 'right', priority: 2, cell: (r) => formatInt(r.completedTasks), compact: { width: 7 } },
    { header: 'fail', width: 4, align: 'right', priority: 1, cell: (r) => formatInt(r.failedTasks), tone: (r) => (r.failedTasks > 0 ? 'bad' : undefined) },
    { header: 'task%', width: 5, align: 'right', priority: 0, cell: (r) => formatPercent(r.taskShare) },
    { header: '', width: 8, priority: 6, cell: shareBar(8), tone: () => 'accent', compact: { width: 5, priority: 5, cell: shareBar(5) } },
    { header: 'task time', width: 9, align: 'right', priority: 5, cell: (r) => formatDuration(r.taskTimeMs), compact: false },
    { header: 'gc', width: 4, align: 'right', priority: 2, cell: (r) => formatPercent(r.gcRatio), tone: (r) => gcTone(r.gcRatio, th) },
    { header: 'gc time', width: 8, align: 'right', priority: 7, cell: (r) => formatDuration(r.gcTimeMs), compact: false },
    { header: 'shuf rd', width: 7, align: 'right', priority: 4, cell: (r) => formatBytes(r.shuffleReadBytes), compact: false },
    { header: 'shuf wr', width: 7, align: 'right', priority: 5, cell: (r) => formatBytes(r.shuffleWriteBytes), compact: false },
    { header: 'memory', width: 11, align: 'right', priority: 3, cell: (r) => formatBytesOf(r.memoryUsed, r.maxMemory), compact: { header: 'mem', width: 9 } },
  ];
  return columnsOf(columns, form);
}
