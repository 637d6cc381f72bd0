import type { Derived, ExecutorRow } from '../model/derived.js';
import { bar } from './bar.js';
import { formatBytesOf, formatInt, formatPercent, formatRatio } from './format.js';
import { innerWidth, type PanelSize } from './layout.js';
import { outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import { TableBody } from './TableBody.js';
import type { Column } from './table.js';
import type { Span, Tone } from './text.js';
import { useTheme, type Glyphs } from './theme.js';

/** Dr. Elephant's max ÷ median thresholds (README.md "Advisor thresholds"): 1.78 moderate, 3.16 severe. */
export function skewTone(skew: number | null): Tone | undefined {
  if (skew === null) return undefined;
  if (skew >= 3.16) return 'bad';
  if (skew >= 1.78) return 'warn';
  return undefined;
}

/** GC over 10 % of task time is a warning, over 15 % a problem (README.md "Advisor thresholds": gcRatio, gcError). */
export function gcTone(ratio: number | null): Tone | undefined {
  if (ratio === null) return undefined;
  if (ratio >= 0.15) return 'bad';
  if (ratio >= 0.1) return 'warn';
  return undefined;
}

export function executorColumns(glyphs: Glyphs): Column<ExecutorRow>[] {
  return [
    { header: 'id', width: 6, priority: 0, cell: (r) => r.id },
    { header: 'host', width: 8, priority: 4, grow: 1, cell: (r) => r.host },
    { header: 'cores', width: 5, align: 'right', priority: 3, cell: (r) => String(r.cores) },
    { header: 'act', width: 3, align: 'right', priority: 0, cell: (r) => String(r.activeTasks) },
    { header: 'done', width: 7, align: 'right', priority: 2, cell: (r) => formatInt(r.completedTasks) },
    { header: 'fail', width: 4, align: 'right', priority: 1, cell: (r) => formatInt(r.failedTasks), tone: (r) => (r.failedTasks > 0 ? 'bad' : undefined) },
    { header: 'task%', width: 5, align: 'right', priority: 0, cell: (r) => formatPercent(r.taskShare) },
    { header: '', width: 5, priority: 5, cell: (r) => bar(r.taskShare, 5, glyphs.barFull, glyphs.barPartial), tone: () => 'accent' },
    { header: 'gc', width: 4, align: 'right', priority: 2, cell: (r) => formatPercent(r.gcRatio), tone: (r) => gcTone(r.gcRatio) },
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
    { text: formatRatio(executors.skew.taskTime), tone: skewTone(executors.skew.taskTime), bold: true },
    { text: ` · cores ${formatInt(master.coresUsed)}/${formatInt(master.coresTotal)}` },
  ];
  return (
    <Panel title="Executors" right={right} size={props.size} outages={outages}>
      <TableBody
        columns={executorColumns(theme.glyphs)}
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
