import type { PanelSize } from './layout.js';
import { innerWidth } from './layout.js';
import { helpBindings, type Binding } from './keymap.js';
import { Line } from './Line.js';
import { Panel } from './Panel.js';
import { fit, spansWidth, type Span } from '../text/cells.js';

const GROUP_TITLES: Record<Binding['group'], string> = { views: 'Views', display: 'Display', actions: 'Pipeline actions' };
const KEY_WIDTH = 6;
const COLUMN_WIDTH = 36;

/** `?`: every key from the keymap, grouped, in as many columns as the width allows. */
export function HelpOverlay(props: { size: PanelSize; withActions: boolean }) {
  const width = innerWidth(props.size);
  const lines = helpLines(helpBindings(props.withActions));
  const rows = Math.max(1, props.size.height - 2);
  const columnCount = Math.max(1, Math.min(Math.ceil(lines.length / rows), Math.floor(width / COLUMN_WIDTH)));
  const perColumn = Math.ceil(lines.length / columnCount);
  const columnWidth = Math.floor(width / columnCount);
  const screen: Span[][] = [];
  for (let r = 0; r < Math.min(perColumn, rows); r++) {
    const spans: Span[] = [];
    for (let c = 0; c < columnCount; c++) {
      const line = lines[c * perColumn + r] ?? [];
      spans.push(...padSpans(line, columnWidth));
    }
    screen.push(spans);
  }
  return (
    <Panel title="Help" right={[{ text: '? or esc to close', tone: 'muted' }]} size={props.size}>
      {screen.map((spans, i) => (
        <Line key={i} spans={spans} width={width} />
      ))}
    </Panel>
  );
}

function helpLines(bindings: readonly Binding[]): Span[][] {
  const lines: Span[][] = [];
  for (const group of ['views', 'display', 'actions'] as const) {
    const inGroup = bindings.filter((b) => b.group === group);
    if (inGroup.length === 0) continue;
    if (lines.length > 0) lines.push([]);
    lines.push([{ text: ` ${GROUP_TITLES[group]}`, bold: true, tone: 'accent' }]);
    for (const b of inGroup) lines.push([{ text: `   ${fit(b.display, KEY_WIDTH)}`, bold: true }, { text: b.description }]);
  }
  return lines;
}

function padSpans(spans: Span[], width: number): Span[] {
  const used = spansWidth(spans);
  return used >= width ? spans : [...spans, { text: ' '.repeat(width - used) }];
}
