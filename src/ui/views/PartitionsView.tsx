import { useMemo } from 'react';
import type { Derived, PartitionRow } from '../../model/derivedTypes.js';
import { buildChart } from '../../text/chart.js';
import { ChartBlock, chartGlyphs } from '../ChartBlock.js';
import { formatCompact, formatCompactAxis, formatDuration, formatInt, formatSeconds } from '../../text/format.js';
import { innerWidth, type PanelSize } from '../layout.js';
import { Line } from '../Line.js';
import { chartMarkers } from '../markers.js';
import { lagUnknownText } from '../remedy.js';
import { outagesOf, PANEL_SOURCES } from '../outage.js';
import { PARTITION_STATUS_TONES } from '../PartitionsPanel.js';
import type { Column } from '../table.js';
import { TableView } from '../TableView.js';
import { useTheme } from '../theme.js';

function eta(r: PartitionRow): string {
  if (!r.eta) return '–';
  return `${r.eta.kind === 'drain' ? 'drains in' : 'doubles in'} ${formatDuration(r.eta.seconds * 1000)}`;
}

function columns(withGroup: boolean): Column<PartitionRow>[] {
  return [
    { header: 'P', width: 3, align: 'right', priority: 0, cell: (r) => String(r.partition) },
    { header: 'end-offset', width: 13, align: 'right', priority: 2, cell: (r) => formatInt(r.logEndOffset) },
    { header: 'spark offset', width: 13, align: 'right', priority: 3, cell: (r) => formatInt(r.sparkOffset) },
    { header: 'lag', width: 11, align: 'right', priority: 0, cell: (r) => formatInt(r.lag) },
    { header: 'lag s', width: 6, align: 'right', priority: 1, cell: (r) => formatSeconds(r.lagSeconds) },
    { header: 'in rec/s', width: 8, align: 'right', priority: 2, cell: (r) => formatCompact(r.produceRps) },
    { header: 'status', width: 6, priority: 0, cell: (r) => r.status, tone: (r) => PARTITION_STATUS_TONES[r.status] },
    { header: 'eta', width: 16, priority: 4, grow: 1, cell: eta, tone: (r) => (r.eta?.kind === 'double' ? 'warn' : undefined) },
    ...(withGroup
      ? [
          { header: 'group offset', width: 13, align: 'right' as const, priority: 5, cell: (r: PartitionRow) => formatInt(r.groupOffset) },
          { header: 'group lag', width: 11, align: 'right' as const, priority: 5, cell: (r: PartitionRow) => formatInt(r.groupLag) },
        ]
      : []),
  ];
}

/** View 3: total lag over time, then every partition with offsets, lag, rate and the time to drain. */
export function PartitionsView(props: { derived: Derived; size: PanelSize; visibleRows: number; chartLines: number; offset: number }) {
  const theme = useTheme();
  const { partitions, appChanges, marks } = props.derived;
  const width = innerWidth(props.size);
  const outages = outagesOf(props.derived, PANEL_SOURCES.partitions);
  // Why the lag is unknown takes the chart's first line (the chart shows nothing then anyway).
  const notice = partitions.lagUnknown && outages.length === 0 && props.chartLines > 1 ? lagUnknownText(partitions.lagUnknown, width) : null;
  const chartLines = props.chartLines - (notice ? 1 : 0);
  const chart = useMemo(
    () =>
      chartLines > 0
        ? buildChart({
            series: [partitions.lagSeries.map((p) => p.lag)],
            times: partitions.lagSeries.map((p) => p.t),
            width,
            lines: chartLines,
            labelWidth: 6,
            formatLabel: formatCompactAxis,
            aggregate: 'max',
            markers: chartMarkers({ appChanges, marks }),
            glyphs: chartGlyphs(theme),
          })
        : null,
    [partitions.lagSeries, appChanges, marks, width, chartLines, theme],
  );
  const withGroup = partitions.rows.some((r) => r.groupOffset !== null);
  return (
    <TableView
      title="Partitions"
      subtitle={partitions.topic ?? undefined}
      right={[{ text: 'total lag ' }, { text: formatInt(partitions.totalLag), bold: true }, { text: ` · in ${formatCompact(partitions.produceRps)} rec/s` }]}
      size={props.size}
      columns={columns(withGroup)}
      rows={partitions.rows}
      visibleRows={props.visibleRows}
      offset={props.offset}
      outages={outages}
      empty="no partitions yet"
      above={
        props.chartLines > 0 ? (
          <>
            {notice ? <Line spans={[{ text: notice, tone: 'muted' }]} width={width} /> : null}
            <ChartBlock chart={chart} width={width} lines={chartLines} waiting="waiting for offsets" dim={outages.length > 0} />
          </>
        ) : null
      }
    />
  );
}
