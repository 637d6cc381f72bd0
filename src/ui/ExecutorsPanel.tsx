import type { AdvisorThresholds } from '../model/advisor/options.js';
import type { Derived, ExecutorRow } from '../model/derivedTypes.js';
import { bar } from './bar.js';
import { formatBytesOf, formatInt, formatPercent, formatRatio } from '../text/format.js';
import { innerWidth, type PanelSize } from './layout.js';
import { outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import { TableBody } from './TableBody.js';
import type { Column } from './table.js';
import type { Span, Tone } from '../text/cells.js';
import { useTheme, type Glyphs } from './theme.js';

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

export function executorColumns(glyphs: Glyphs, th: AdvisorThresholds): Column<ExecutorRow>[] {
  return [
    { header: 'id', width: 6, priority: 0, cell: (r) => r.id },
    { header: 'host', width: 8, priority: 4, grow: 1, cell: (r) => r.host },
    { header: 'cores', width: 5, align: 'right', priority: 3, cell: (r) => String(r.cores) },
    { header: 'act', width: 3, align: 'right', priority: 0, cell: (r) => String(r.activeTasks) },
    { header: 'done', width: 7, align: 'right', priority: 2, cell: (r) => formatInt(r.completedTasks) },
    { header: 'fail', width: 4, align: 'right', priority: 1, cell: (r) => formatInt(r.failedTasks), tone: (r) => (r.failedTasks > 0 ? 'bad' : undefined) },
    { header: 'task%', width: 5, align: 'right', priority: 0, cell: (r) => formatPercent(r.taskShare) },
    { header: '', width: 5, priority: 5, cell: (r) => bar(r.taskShare, 5, glyphs.barFull, glyphs.barPartial), tone: () => 'accent' },
    { header: 'gc', width: 4, align: 'right', priority: 2, cell: (r) => formatPercent(r.gcRatio), tone: (r) => gcTone(r.gcRatio, th) },
    { header: 'mem', width: 9, align: 'right', priority: 3, cell: (r) => formatBytesOf(r.memoryUsed, r.maxMemory) },
  ];
}

/** Active executors: where the tasks run, and whether one does more than its share. */
export function ExecutorsPanel(props: { derived: Derived; size: PanelSize; tableRows: number }) {
  const theme = useTheme();
  const { executors, master } = props.derived;
  const outages = outagesOf(props.derived, PANEL_SOURCES.executors);
  const right: Span[] = [
    { text: 'skew ' },
    { text: formatRatio(executors.skew.taskTime), tone: skewTone(executors.skew.taskTime, props.derived.thresholds), bold: true },
    { text: ` · cores ${formatInt(master.coresUsed)}/${formatInt(master.coresTotal)}` },
  ];
  return (
    <Panel title="Executors" right={right} size={props.size} outages={outages}>
      <TableBody
        columns={executorColumns(theme.glyphs, props.derived.thresholds)}
        rows={executors.rows}
        width={innerWidth(props.size)}
        visibleRows={props.tableRows}
        outages={outages}
        empty="no executors"
        moreHint="2 executors"
      />
    </Panel>
  );
}
