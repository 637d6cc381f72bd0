import type { ReactNode } from 'react';
import { formatInt } from '../text/format.js';
import type { PanelSize } from './layout.js';
import { innerWidth } from './layout.js';
import { Line } from './Line.js';
import { outageSpans, type Outage } from './outage.js';
import { Panel } from './Panel.js';
import { TableBody } from './TableBody.js';
import { visibleWindow, type Column } from './table.js';
import type { Span, Tone } from '../text/cells.js';

export interface TableViewProps<R> {
  title: string;
  subtitle?: string;
  right?: Span[];
  size: PanelSize;
  columns: readonly Column<R>[];
  /** In display order (newest first where that applies). */
  rows: readonly R[];
  /** Table lines under the header, the chart already taken out. */
  visibleRows: number;
  offset: number;
  outages?: readonly Outage[];
  empty: string;
  rowTone?: (row: R) => Tone | undefined;
  /** Drawn above the table (a chart), already sized. */
  above?: ReactNode;
}

/** A full-screen view: one panel, outage notices, an optional chart, and a table that scrolls. */
export function TableView<R>(props: TableViewProps<R>) {
  const outages = props.outages ?? [];
  const room = Math.max(0, props.visibleRows - outages.length);
  const { start, end } = visibleWindow(props.rows.length, room, props.offset);
  const position: Span[] = props.rows.length > room ? [{ text: `  ${formatInt(start + 1)}–${formatInt(end)} of ${formatInt(props.rows.length)}`, tone: 'muted' }] : [];
  return (
    <Panel title={props.title} subtitle={props.subtitle} right={[...(props.right ?? []), ...position]} size={props.size} outages={outages}>
      {outages.map((o) => (
        <Line key={o.source} spans={outageSpans(o, { withSource: outages.length > 1, width: innerWidth(props.size) })} width={innerWidth(props.size)} />
      ))}
      {props.above}
      <TableBody
        columns={props.columns}
        rows={props.rows.slice(start, end)}
        width={innerWidth(props.size)}
        visibleRows={room}
        outages={outages}
        showNotices={false}
        empty={props.empty}
        rowTone={props.rowTone}
      />
    </Panel>
  );
}
