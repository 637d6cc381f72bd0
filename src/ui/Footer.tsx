import { Line } from './Line.js';
import { VIEWS, type ViewId } from './keymap.js';
import { composeLine, type Segment } from './segments.js';

/** The views by number (the current one highlighted), then help and quit. */
export function Footer(props: { view: ViewId; width: number }) {
  const views: Segment[] = VIEWS.map((v) => {
    const current = v.id === props.view;
    return {
      spans: [{ text: v.key, bold: true, tone: 'accent' }, { text: ` ${v.label}`, inverse: current, bold: current }],
      short: [{ text: v.key, bold: true, tone: 'accent' }, { text: ` ${v.short}`, inverse: current, bold: current }],
      priority: 1,
    };
  });
  const keys: Segment[] = [
    { spans: [{ text: '?', bold: true, tone: 'accent' }, { text: ' help' }], priority: 0 },
    { spans: [{ text: 'q', bold: true, tone: 'accent' }, { text: ' quit ' }], priority: 0 },
  ];
  return <Line spans={composeLine([{ spans: [{ text: '' }], priority: 0 }, ...views], keys, props.width, { text: ' ' })} width={props.width} />;
}
