import type { AdvisorThresholds } from '../../model/advisor/options.js';
import type { Derived, ExecutorRow } from '../../model/derivedTypes.js';
import { bar } from '../bar.js';
import { gcTone, skewTone } from '../ExecutorsPanel.js';
import { formatBytes, formatBytesOf, formatDuration, formatInt, formatPercent, formatRatio } from '../../text/format.js';
import type { PanelSize } from '../layout.js';
import { outagesOf, PANEL_SOURCES } from '../outage.js';
import type { Column } from '../table.js';
import { TableView } from '../TableView.js';
import { oneLine } from '../../text/cells.js';
import { useTheme, type Glyphs } from '../theme.js';

function columns(glyphs: Glyphs, th: AdvisorThresholds): Column<ExecutorRow>[] {
  return [
    { header: 'id', width: 6, priority: 0, cell: (r) => r.id },
    { header: 'host', width: 10, priority: 3, grow: 1, cell: (r) => r.host },
    { header: 'state', width: 8, priority: 1, grow: 1, cell: (r) => (r.isActive ? 'active' : `removed${r.removeReason ? `: ${oneLine(r.removeReason)}` : ''}`) },
    { header: 'cores', width: 5, align: 'right', priority: 4, cell: (r) => String(r.cores) },
    { header: 'act', width: 3, align: 'right', priority: 0, cell: (r) => String(r.activeTasks) },
    { header: 'done', width: 8, align: 'right', priority: 2, cell: (r) => formatInt(r.completedTasks) },
    { header: 'fail', width: 4, align: 'right', priority: 1, cell: (r) => formatInt(r.failedTasks), tone: (r) => (r.failedTasks > 0 ? 'bad' : undefined) },
    { header: 'task%', width: 5, align: 'right', priority: 0, cell: (r) => formatPercent(r.taskShare) },
    { header: '', width: 8, priority: 6, cell: (r) => bar(r.taskShare, 8, glyphs.barFull, glyphs.barPartial), tone: () => 'accent' },
    { header: 'task time', width: 9, align: 'right', priority: 5, cell: (r) => formatDuration(r.taskTimeMs) },
    { header: 'gc', width: 4, align: 'right', priority: 2, cell: (r) => formatPercent(r.gcRatio), tone: (r) => gcTone(r.gcRatio, th) },
    { header: 'gc time', width: 8, align: 'right', priority: 7, cell: (r) => formatDuration(r.gcTimeMs) },
    { header: 'shuf rd', width: 7, align: 'right', priority: 4, cell: (r) => formatBytes(r.shuffleReadBytes) },
    { header: 'shuf wr', width: 7, align: 'right', priority: 5, cell: (r) => formatBytes(r.shuffleWriteBytes) },
    { header: 'memory', width: 11, align: 'right', priority: 3, cell: (r) => formatBytesOf(r.memoryUsed, r.maxMemory) },
  ];
}

/** View 2: every executor, removed ones included (dimmed, with why they went). */
export function ExecutorsView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const theme = useTheme();
  const { executors } = props.derived;
  return (
    <TableView
      title="Executors"
      subtitle={`${executors.rows.length} active, ${executors.removed.length} removed`}
      right={[
        { text: 'skew task time ' },
        { text: formatRatio(executors.skew.taskTime), tone: skewTone(executors.skew.taskTime, props.derived.thresholds), bold: true },
        { text: ' · shuffle read ' },
        { text: formatRatio(executors.skew.shuffleRead), tone: skewTone(executors.skew.shuffleRead, props.derived.thresholds), bold: true },
      ]}
      size={props.size}
      columns={columns(theme.glyphs, props.derived.thresholds)}
      rows={[...executors.rows, ...executors.removed]}
      visibleRows={props.visibleRows}
      offset={props.offset}
      outages={outagesOf(props.derived, PANEL_SOURCES.executors)}
      empty="no executors"
      rowTone={(r) => (r.isActive ? undefined : 'muted')}
    />
  );
}
