import type { Derived, EventRow } from '../../model/derivedTypes.js';
import { formatClock } from '../../text/format.js';
import type { PanelSize } from '../layout.js';
import type { Column } from '../table.js';
import { TableView } from '../TableView.js';
import { oneLine, type Tone } from '../../text/cells.js';

const LEVEL_TONES: Record<EventRow['level'], Tone | undefined> = { info: undefined, warn: 'warn', error: 'bad' };

const columns: Column<EventRow>[] = [
  { header: 'time', width: 8, priority: 0, cell: (e) => formatClock(e.t) },
  { header: 'level', width: 5, priority: 1, cell: (e) => e.level, tone: (e) => LEVEL_TONES[e.level] },
  { header: 'what happened', width: 20, priority: 0, grow: 1, cell: (e) => oneLine(e.text), tone: (e) => LEVEL_TONES[e.level] },
];

/** View 6: what happened (app started or changed, sources lost and back, actions), newest first. */
export function EventsView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const { events } = props.derived;
  return (
    <TableView
      title="Events"
      right={[{ text: `${events.length} events` }]}
      size={props.size}
      columns={columns}
      rows={[...events].sort((a, b) => b.t - a.t)}
      visibleRows={props.visibleRows}
      offset={props.offset}
      empty="nothing happened yet"
    />
  );
}
