import type { Column } from './table.js';
import { fitColumns, headerSpans, rowSpans } from './table.js';
import { Line } from './Line.js';
import { outageSpans, type Outage } from './outage.js';
import type { Tone } from '../text/cells.js';
import { useTheme } from './theme.js';

export interface TableBodyProps<R> {
  columns: readonly Column<R>[];
  /** Already in display order and already scrolled: the first rows are shown. */
  rows: readonly R[];
  width: number;
  /** Lines under the header (outage notices take from these). */
  visibleRows: number;
  outages?: readonly Outage[];
  /** False when the caller already shows the outage notices (above a chart). */
  showNotices?: boolean;
  empty: string;
  /** Where the rest is: `… 6 more (3 partitions)`. */
  moreHint?: string;
  rowTone?: (row: R) => Tone | undefined;
}

/** Outage notices, a header and as many rows as fit; rows from an unreachable source are dimmed. */
export function TableBody<R>(props: TableBodyProps<R>) {
  const theme = useTheme();
  const outages = props.outages ?? [];
  const notices = props.showNotices === false ? [] : outages;
  const placed = fitColumns(props.columns, props.width);
  const room = Math.max(0, props.visibleRows - notices.length);
  const overflow = props.moreHint !== undefined && props.rows.length > room;
  const shown = props.rows.slice(0, overflow ? Math.max(0, room - 1) : room);
  const stale = outages.length > 0;
  return (
    <>
      {notices.map((o) => (
        <Line key={o.source} spans={outageSpans(o, { withSource: false, width: props.width })} width={props.width} />
      ))}
      <Line spans={headerSpans(placed)} width={props.width} />
      {shown.map((row, i) => (
        <Line key={i} spans={rowSpans(placed, row, props.rowTone?.(row), theme.glyphs.ellipsis)} width={props.width} dim={stale} />
      ))}
      {props.rows.length === 0 && room > 0 ? <Line spans={[{ text: props.empty, tone: 'muted' }]} width={props.width} /> : null}
      {overflow ? (
        <Line spans={[{ text: `… ${props.rows.length - shown.length} more (${props.moreHint})`, tone: 'muted' }]} width={props.width} />
      ) : null}
    </>
  );
}
