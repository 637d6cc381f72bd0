import type { Derived } from '../../model/derivedTypes.js';
import { executorColumns, skewTone } from '../executorColumns.js';
import { formatRatio } from '../../text/format.js';
import type { PanelSize } from '../layout.js';
import { outagesOf, PANEL_SOURCES } from '../outage.js';
import { TableView } from '../TableView.js';
import { useTheme } from '../theme.js';

/** View 2: every executor, removed ones included (dimmed, with why they went). */
export function ExecutorsView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const theme = useTheme();
  const { executors } = props.derived;
  return (
    <TableView
      title="Executors"
      subtitle={`${executors.rows.length} active, ${executors.removed.length} removed`}
      right={[
        { text: 'skew task time ' },
        { text: formatRatio(executors.skew.taskTime), tone: skewTone(executors.skew.taskTime, props.derived.thresholds), bold: true },
        { text: ' · shuffle read ' },
        { text: formatRatio(executors.skew.shuffleRead), tone: skewTone(executors.skew.shuffleRead, props.derived.thresholds), bold: true },
      ]}
      size={props.size}
      columns={executorColumns('full', theme.glyphs, props.derived.thresholds)}
      rows={[...executors.rows, ...executors.removed]}
      visibleRows={props.visibleRows}
      offset={props.offset}
      outages={outagesOf(props.derived, PANEL_SOURCES.executors)}
      empty="no executors"
      rowTone={(r) => (r.isActive ? undefined : 'muted')}
    />
  );
}
