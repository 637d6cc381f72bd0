import type { PanelSize } from '../layout.js';
import { innerWidth } from '../layout.js';
import { Lines } from '../Line.js';
import { Panel } from '../Panel.js';
import type { Span } from '../../text/cells.js';

/** A question in place of the body (kill the job? a mark's note): its lines and the keys that answer it. */
export function Dialog(props: { title: string; lines: ReadonlyArray<readonly Span[]>; keys: string; size: PanelSize }) {
  const width = innerWidth(props.size);
  return (
    <Panel title={props.title} right={[{ text: props.keys, tone: 'muted' }]} size={props.size}>
      <Lines lines={[[], ...props.lines].slice(0, Math.max(0, props.size.height - 2))} width={width} />
    </Panel>
  );
}

/** A one-line text field with the cursor at its end. */
export function fieldSpans(label: string, value: string, width: number): Span[] {
  const room = Math.max(4, width - label.length - 4);
  const shown = value.length < room ? value : `…${value.slice(value.length - room + 2)}`;
  return [{ text: ` ${label} `, bold: true }, { text: `${shown}▏`, inverse: true }];
}
