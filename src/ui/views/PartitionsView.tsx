import { useMemo } from 'react';
import type { Derived } from '../../model/derivedTypes.js';
import { buildChart } from '../../text/chart.js';
import { ChartBlock, chartGlyphs } from '../ChartBlock.js';
import { formatCompact, formatCompactAxis, formatInt } from '../../text/format.js';
import { innerWidth, type PanelSize } from '../layout.js';
import { Line } from '../Line.js';
import { chartMarkers } from '../markers.js';
import { lagUnknownText } from '../remedy.js';
import { outagesOf, PANEL_SOURCES } from '../outage.js';
import { partitionColumns } from '../partitionColumns.js';
import { TableView } from '../TableView.js';
import { partitionsSubtitle } from '../PartitionsPanel.js';
import { useTheme } from '../theme.js';

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
      subtitle={partitionsSubtitle(partitions)}
      right={[{ text: 'total lag ' }, { text: formatInt(partitions.totalLag), bold: true }, { text: ` · in ${formatCompact(partitions.produceRps)} rec/s` }]}
      size={props.size}
      columns={partitionColumns('full', withGroup)}
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
