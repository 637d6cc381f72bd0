import type { Derived, ExperimentRow } from '../../model/derivedTypes.js';
import { durationTone } from '../BatchesPanel.js';
import { loadLabel, slopeLabel, verdictLabel } from '../../text/experimentText.js';
import { formatClock, formatCompact, formatDuration, formatInt } from '../../text/format.js';
import type { PanelSize } from '../layout.js';
import { innerWidth } from '../layout.js';
import { Line } from '../Line.js';
import type { Column } from '../table.js';
import { TableView } from '../TableView.js';
import { textWidth, type Tone } from '../../text/cells.js';

const verdictTone = (r: ExperimentRow): Tone | undefined => (r.verdict.sustainable === true ? 'good' : r.verdict.sustainable === false ? 'bad' : 'muted');

function columns(targetMs: number): Column<ExperimentRow>[] {
  return [
    { header: '#', width: 4, align: 'right', priority: 0, cell: (r) => `${r.current ? '*' : ''}${r.index}`, tone: (r) => (r.current ? 'accent' : undefined) },
    { header: 'start', width: 8, priority: 4, cell: (r) => formatClock(r.start) },
    { header: 'dur', width: 6, align: 'right', priority: 2, cell: (r) => formatDuration(r.durationMs) },
    { header: 'resources', width: 13, priority: 0, cell: (r) => r.resourcesLabel },
    { header: 'load', width: 7, priority: 0, cell: (r) => loadLabel(r.generators) },
    { header: 'in/s', width: 6, align: 'right', priority: 1, cell: (r) => formatCompact(r.inputRps) },
    { header: 'out/s', width: 6, align: 'right', priority: 1, cell: (r) => formatCompact(r.processedRps) },
    { header: 'p50', width: 6, align: 'right', priority: 3, cell: (r) => formatDuration(r.p50Ms) },
    { header: 'p95', width: 6, align: 'right', priority: 1, cell: (r) => formatDuration(r.p95Ms), tone: (r) => durationTone(r.p95Ms, targetMs) },
    { header: 'max', width: 6, align: 'right', priority: 4, cell: (r) => formatDuration(r.maxMs) },
    { header: 'lag0', width: 6, align: 'right', priority: 3, cell: (r) => formatCompact(r.lagStart) },
    { header: 'lag1', width: 6, align: 'right', priority: 3, cell: (r) => formatCompact(r.lagEnd) },
    { header: 'lag/s', width: 6, align: 'right', priority: 1, cell: (r) => slopeLabel(r.lagSlope) },
    { header: 'bat', width: 4, align: 'right', priority: 5, cell: (r) => formatInt(r.batches) },
    { header: 'sustainable', width: 22, priority: 0, grow: 1, cell: (r) => verdictLabel(r.verdict), tone: verdictTone },
  ];
}

/** Shown under the title, the longest that fits: how the figures are made (the export says more). */
export const EXPERIMENTS_LEGENDS = [
  "* current · rates and durations leave out each run's first 2 batches (start-up, backlog drain) · lag/s: least-squares slope · sustainable: out ≥ in, lag not growing, p95 < target",
  "* current · each run's first 2 batches (start-up, backlog) left out of rates and durations · lag/s: slope",
  "* current · without each run's first 2 batches · lag/s: slope",
];

/** View 7: one row per experiment segment (a stretch of constant resources and load), newest first. */
export function ExperimentsView(props: { derived: Derived; size: PanelSize; visibleRows: number; offset: number }) {
  const { experiments, batches } = props.derived;
  const width = innerWidth(props.size);
  return (
    <TableView
      title="Experiments"
      right={[{ text: `${experiments.length} segment${experiments.length === 1 ? '' : 's'} · target ${formatDuration(batches.targetMs)}` }]}
      size={props.size}
      columns={columns(batches.targetMs)}
      rows={[...experiments].reverse()}
      visibleRows={Math.max(0, props.visibleRows - 1)}
      offset={props.offset}
      above={<Line spans={[{ text: EXPERIMENTS_LEGENDS.find((l) => textWidth(l) <= width) ?? EXPERIMENTS_LEGENDS.at(-1)!, tone: 'muted' }]} width={width} />}
      empty="no segment yet: it starts with the first sample"
    />
  );
}
