import type { BatchRow, Derived } from '../../model/derivedTypes.js';
import { durationTone } from '../BatchesPanel.js';
import { formatBytes, formatClock, formatCompact, formatDuration, formatInt } from '../../text/format.js';
import type { PanelSize } from '../layout.js';
import { outagesOf, PANEL_SOURCES } from '../outage.js';
import type { Column } from '../table.js';
import { TableView } from '../TableView.js';
import { oneLine } from '../../text/cells.js';

function columns(targetMs: number): Column<BatchRow>[] {
  const ms = (pick: (b: BatchRow) => number | null, header: string, priority: number): Column<BatchRow> => ({
    header,
    width: Math.max(7, header.length),
    align: 'right',
    priority,
    cell: (b) => formatDuration(pick(b)),
  });
  return [
    { header: 'batch', width: 6, align: 'right', priority: 0, cell: (b) => String(b.batchId) },
    { header: 'start', width: 8, priority: 4, cell: (b) => formatClock(b.t) },
    { header: 'rows', width: 9, align: 'right', priority: 1, cell: (b) => formatInt(b.numInputRows) },
    { header: 'in/s', width: 6, align: 'right', priority: 1, cell: (b) => formatCompact(b.inputRps) },
    { header: 'out/s', width: 6, align: 'right', priority: 1, cell: (b) => formatCompact(b.processedRps) },
    { header: 'duration', width: 8, align: 'right', priority: 0, cell: (b) => formatDuration(b.durationMs), tone: (b) => durationTone(b.durationMs, targetMs) },
    ms((b) => b.breakdown.addBatch, 'addBatch', 2),
    ms((b) => b.breakdown.getBatch, 'getBatch', 5),
    ms((b) => b.breakdown.latestOffset, 'latestOffset', 5),
    ms((b) => b.breakdown.queryPlanning, 'queryPlanning', 4),
    ms((b) => b.breakdown.walCommit, 'walCommit', 3),
    ms((b) => b.breakdown.commitOffsets, 'commitOffsets', 3),
    { header: 'state rows', width: 10, align: 'right', priority: 2, cell: (b) => formatInt(b.stateRows) },
    { header: 'state mem', width: 9, align: 'right', priority: 3, cell: (b) => formatBytes(b.stateMemoryBytes) },
    { header: 'watermark', width: 10, priority: 6, grow: 1, cell: (b) => (b.watermark === null ? '–' : oneLine(b.watermark)) },
  ];
}

/** View 4: one row per micro-batch, newest first, with where its time went. */
export function BatchesView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const { batches } = props.derived;
  return (
    <TableView
      title="Batches"
      right={[
        { text: `p50 ${formatDuration(batches.p50Ms)} · ` },
        { text: `p95 ${formatDuration(batches.p95Ms)}`, tone: durationTone(batches.p95Ms, batches.targetMs) },
        { text: ` · max ${formatDuration(batches.maxMs)} · target ${formatDuration(batches.targetMs)}` },
      ]}
      size={props.size}
      columns={columns(batches.targetMs)}
      rows={[...batches.rows].reverse()}
      visibleRows={props.visibleRows}
      offset={props.offset}
      outages={outagesOf(props.derived, PANEL_SOURCES.batches)}
      empty="waiting for batches"
    />
  );
}
