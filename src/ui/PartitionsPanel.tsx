import type { Derived } from '../model/derivedTypes.js';
import { formatCompact, formatInt } from '../text/format.js';
import { innerWidth, type PanelSize } from './layout.js';
import { Line } from './Line.js';
import { outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import { lagUnknownText } from './remedy.js';
import { TableBody } from './TableBody.js';
import { partitionColumns } from './partitionColumns.js';
import type { Span } from '../text/cells.js';

/** The topic, and whose view of the log end the lag is measured from when it is not Kafka's own. */
export function partitionsSubtitle(partitions: Pick<Derived['partitions'], 'topic' | 'logEndView'>): string | undefined {
  const view = partitions.logEndView === 'spark' ? "Spark's view" : null;
  return [partitions.topic, view].filter((x) => x !== null).join(' · ') || undefined;
}

/** Lag per partition of the input topic: Kafka's log end against Spark's committed offsets. */
export function PartitionsPanel(props: { derived: Derived; size: PanelSize; tableRows: number }) {
  const { partitions } = props.derived;
  const outages = outagesOf(props.derived, PANEL_SOURCES.partitions);
  const right: Span[] = [{ text: 'lag ' }, { text: formatInt(partitions.totalLag), bold: true }, { text: ` · in ${formatCompact(partitions.produceRps)}/s` }];
  const width = innerWidth(props.size);
  const notice = partitions.lagUnknown && outages.length === 0 ? lagUnknownText(partitions.lagUnknown, width) : null;
  return (
    <Panel title="Partitions" subtitle={partitionsSubtitle(partitions)} right={right} size={props.size} outages={outages}>
      {notice ? <Line spans={[{ text: notice, tone: 'muted' }]} width={width} /> : null}
      <TableBody
        columns={partitionColumns('compact')}
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
