import type { Derived } from '../../model/derivedTypes.js';
import { formatInt } from '../../text/format.js';
import { innerWidth, type PanelSize } from '../layout.js';
import { Lines } from '../Line.js';
import { Panel } from '../Panel.js';
import { visibleWindow } from '../table.js';
import type { Span } from '../../text/cells.js';
import { advisorLines, NARROWEST_INNER } from './advisorLines.js';

/** Lines the view can scroll through (counted at the narrowest width, so scrolling never stops early). */
export function advisorRows(d: Derived): number {
  return advisorLines(d, NARROWEST_INNER).length;
}

/** View 8: what the advisor found, its evidence and what to change; then what cleared recently. */
export function AdvisorView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const width = innerWidth(props.size);
  const lines = advisorLines(props.derived, width);
  // The panel has no table header: one more line than a table view.
  const room = props.visibleRows + 1;
  const { start, end } = visibleWindow(lines.length, room, props.offset);
  const active = props.derived.findings.filter((f) => f.id !== 'healthy').length;
  const right: Span[] = [{ text: active === 0 ? 'nothing active' : `${active} active` }];
  if (lines.length > room) right.push({ text: `  ${formatInt(start + 1)}–${formatInt(end)} of ${formatInt(lines.length)}`, tone: 'muted' });
  return (
    <Panel title="Advisor" right={right} size={props.size}>
      <Lines lines={lines.slice(start, end)} width={width} />
    </Panel>
  );
}
