import type { Derived, PartitionRow, PartitionStatus } from '../model/derivedTypes.js';
import { formatCompact, formatInt, formatSeconds } from '../text/format.js';
import { innerWidth, type PanelSize } from './layout.js';
import { Line } from './Line.js';
import { outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import { lagUnknownText } from './remedy.js';
import { TableBody } from './TableBody.js';
import type { Column } from './table.js';
import type { Span, Tone } from '../text/cells.js';

export const PARTITION_STATUS_TONES: Record<PartitionStatus, Tone> = { OK: 'good', WARN: 'warn', STALL: 'bad', STOP: 'bad', UNKNOWN: 'muted' };

export const partitionColumns: Column<PartitionRow>[] = [
  { header: 'P', width: 2, align: 'right', priority: 0, cell: (r) => String(r.partition) },
  { header: 'end-offset', width: 11, align: 'right', priority: 4, cell: (r) => formatInt(r.logEndOffset) },
  { header: 'spark', width: 11, align: 'right', priority: 5, cell: (r) => formatInt(r.sparkOffset) },
  { header: 'lag', width: 9, align: 'right', priority: 0, cell: (r) => formatInt(r.lag) },
  { header: 'lag s', width: 5, align: 'right', priority: 1, cell: (r) => formatSeconds(r.lagSeconds) },
  { header: 'rate', width: 5, align: 'right', priority: 2, cell: (r) => formatCompact(r.produceRps) },
  { header: 'st', width: 5, priority: 0, cell: (r) => r.status, tone: (r) => PARTITION_STATUS_TONES[r.status] },
];

/** Lag per partition of the input topic: Kafka's log end against Spark's committed offsets. */
export function PartitionsPanel(props: { derived: Derived; size: PanelSize; tableRows: number }) {
  const { partitions } = props.derived;
  const outages = outagesOf(props.derived, PANEL_SOURCES.partitions);
  const right: Span[] = [{ text: 'lag ' }, { text: formatInt(partitions.totalLag), bold: true }, { text: ` · in ${formatCompact(partitions.produceRps)}/s` }];
  const width = innerWidth(props.size);
  const notice = partitions.lagUnknown && outages.length === 0 ? lagUnknownText(partitions.lagUnknown, width) : null;
  return (
    <Panel title="Partitions" subtitle={partitions.topic ?? undefined} right={right} size={props.size} outages={outages}>
      {notice ? <Line spans={[{ text: notice, tone: 'muted' }]} width={width} /> : null}
      <TableBody
        columns={partitionColumns}
        rows={partitions.rows}
        width={width}
        visibleRows={props.tableRows - (notice ? 1 : 0)}
        outages={outages}
        empty="no partitions yet"
        moreHint="3 partitions"
      />
    </Panel>
  );
}
