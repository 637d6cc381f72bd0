import type { Chart, ChartCellKind, ChartGlyphs } from '../text/chart.js';
import { Line } from './Line.js';
import type { Span, Tone } from '../text/cells.js';
import type { Theme } from './theme.js';

const KIND_TONES: Record<ChartCellKind, Tone | undefined> = {
  axis: 'muted',
  primary: 'series1',
  secondary: 'series2',
  target: 'target',
  marker: 'marker',
  blank: undefined,
};

/**
 * A chart of exactly `lines` lines plus its marker line, or the `waiting` text in its place, so
 * the panel keeps its height either way.
 */
export function ChartBlock(props: { chart: Chart | null; width: number; lines: number; waiting: string; dim?: boolean }) {
  const rows: Span[][] = props.chart
    ? props.chart.rows.map((runs) => runs.map((r) => ({ text: r.text, tone: KIND_TONES[r.kind] })))
    : Array.from({ length: props.lines }, (_, i) => (i === Math.floor((props.lines - 1) / 2) ? [{ text: `  ${props.waiting}`, tone: 'muted' as const }] : []));
  const markerLine: Span[] = props.chart ? props.chart.markerLine.map((r) => ({ text: r.text, tone: KIND_TONES[r.kind] })) : [];
  return (
    <>
      {rows.slice(0, props.lines).map((spans, i) => (
        <Line key={i} spans={spans} width={props.width} dim={props.dim} />
      ))}
      <Line spans={markerLine} width={props.width} dim={props.dim} />
    </>
  );
}

export function chartGlyphs(theme: Theme): ChartGlyphs {
  const g = theme.glyphs;
  return { symbols: g.chartSymbols, secondary: g.secondarySeries, target: g.targetLine, markerColumn: g.markerColumn, marker: g.marker };
}
