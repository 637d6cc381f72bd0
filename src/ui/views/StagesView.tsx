import type { Derived, StageRow } from '../../model/derivedTypes.js';
import { formatBytes, formatDuration, formatInt } from '../../text/format.js';
import type { PanelSize } from '../layout.js';
import { outagesOf, PANEL_SOURCES } from '../outage.js';
import type { Column } from '../table.js';
import { TableView } from '../TableView.js';
import { oneLine } from '../../text/cells.js';

function columns(longestStageId: number | null): Column<StageRow>[] {
  return [
    { header: 'stage', width: 7, align: 'right', priority: 0, cell: (s) => (s.attemptId > 0 ? `${s.stageId}.${s.attemptId}` : String(s.stageId)) },
    { header: '', width: 7, priority: 1, cell: (s) => (s.stageId === longestStageId ? 'longest' : ''), tone: () => 'warn' },
    { header: 'status', width: 8, priority: 2, cell: (s) => s.status.toLowerCase(), tone: (s) => (s.status === 'FAILED' ? 'bad' : s.status === 'ACTIVE' ? 'accent' : undefined) },
    { header: 'tasks', width: 9, align: 'right', priority: 0, cell: (s) => `${formatInt(s.numCompleteTasks)}/${formatInt(s.numTasks)}` },
    { header: 'act', width: 3, align: 'right', priority: 4, cell: (s) => formatInt(s.numActiveTasks) },
    { header: 'fail', width: 4, align: 'right', priority: 3, cell: (s) => formatInt(s.numFailedTasks), tone: (s) => (s.numFailedTasks > 0 ? 'bad' : undefined) },
    { header: 'duration', width: 8, align: 'right', priority: 0, cell: (s) => formatDuration(s.durationMs), tone: (s) => (s.stageId === longestStageId ? 'warn' : undefined) },
    { header: 'input rows', width: 10, align: 'right', priority: 2, cell: (s) => formatInt(s.inputRecords) },
    { header: 'shuf rd', width: 7, align: 'right', priority: 3, cell: (s) => formatBytes(s.shuffleReadBytes) },
    { header: 'shuf wr', width: 7, align: 'right', priority: 3, cell: (s) => formatBytes(s.shuffleWriteBytes) },
    { header: 'spill', width: 6, align: 'right', priority: 4, cell: (s) => formatBytes(s.spillBytes), tone: (s) => (s.spillBytes > 0 ? 'warn' : undefined) },
    { header: 'name', width: 12, priority: 5, grow: 1, cell: (s) => oneLine(s.name) },
  ];
}

/** View 5: recent stages, newest first, the longest one called out. */
export function StagesView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const { stages } = props.derived;
  const longest = stages.rows.find((s) => s.stageId === stages.longestStageId);
  return (
    <TableView
      title="Stages"
      subtitle="recent"
      right={longest ? [{ text: `longest #${longest.stageId} ` }, { text: formatDuration(longest.durationMs), bold: true, tone: 'warn' }] : []}
      size={props.size}
      columns={columns(stages.longestStageId)}
      rows={[...stages.rows].sort((a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId)}
      visibleRows={props.visibleRows}
      offset={props.offset}
      outages={outagesOf(props.derived, PANEL_SOURCES.executors)}
      empty="no stages yet"
    />
  );
}
