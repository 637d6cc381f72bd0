import type { Derived } from '../model/derivedTypes.js';
import { formatInt, formatRatio } from '../text/format.js';
import { executorColumns, skewTone } from './executorColumns.js';
import { innerWidth, type PanelSize } from './layout.js';
import { outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import { TableBody } from './TableBody.js';
import type { Span } from '../text/cells.js';
import { useTheme } from './theme.js';

/** Active executors: where the tasks run, and whether one does more than its share. */
export function ExecutorsPanel(props: { derived: Derived; size: PanelSize; tableRows: number }) {
  const theme = useTheme();
  const { executors, master } = props.derived;
  const outages = outagesOf(props.derived, PANEL_SOURCES.executors);
  const right: Span[] = [
    { text: 'skew ' },
    { text: formatRatio(executors.skew.taskTime), tone: skewTone(executors.skew.taskTime, props.derived.thresholds), bold: true },
    { text: ` · cores ${formatInt(master.coresUsed)}/${formatInt(master.coresTotal)}` },
  ];
  return (
    <Panel title="Executors" right={right} size={props.size} outages={outages}>
      <TableBody
        columns={executorColumns('compact', theme.glyphs, props.derived.thresholds)}
        rows={executors.rows}
        width={innerWidth(props.size)}
        visibleRows={props.tableRows}
        outages={outages}
        empty="no executors"
        moreHint="2 executors"
      />
    </Panel>
  );
}
