import { useMemo } from 'react';
import type { BatchRow, Derived } from '../model/derivedTypes.js';
import { buildChart } from '../text/chart.js';
import { ChartBlock, chartGlyphs } from './ChartBlock.js';
import { formatDuration, formatDurationShort } from '../text/format.js';
import { innerWidth, type PanelSize } from './layout.js';
import { Line } from './Line.js';
import { chartMarkers } from './markers.js';
import { outageSpans, outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import type { Span, Tone } from '../text/cells.js';
import { useTheme } from './theme.js';

const LABEL_WIDTH = 5;
/** As many batches as the Rates chart shows, so both charts cover the same stretch of time. */
const CHARTED_BATCHES = 120;

/** Micro-batch durations with the target (the trigger interval) as a line. */
export function BatchesPanel(props: { derived: Derived; size: PanelSize; chartLines: number }) {
  const theme = useTheme();
  const { batches, appChanges, marks } = props.derived;
  const width = innerWidth(props.size);
  const outages = outagesOf(props.derived, PANEL_SOURCES.batches);
  const lines = Math.max(1, props.chartLines - outages.length);
  const chart = useMemo(() => {
    const rows = batches.rows.slice(-CHARTED_BATCHES);
    return buildChart({
      series: [rows.map((b) => b.durationMs)],
      times: rows.map((b) => b.t),
      width,
      lines,
      labelWidth: LABEL_WIDTH,
      formatLabel: formatDurationShort,
      aggregate: 'max',
      target: batches.targetMs,
      markers: chartMarkers({ appChanges, marks }),
      glyphs: chartGlyphs(theme),
    });
  }, [batches.rows, batches.targetMs, appChanges, marks, width, lines, theme]);
  return (
    <Panel title="Batches" subtitle="(duration)" right={headline(batches)} size={props.size} outages={outages}>
      {outages.map((o) => (
        <Line key={o.source} spans={outageSpans(o, { withSource: true, width })} width={width} />
      ))}
      <ChartBlock chart={chart} width={width} lines={lines} waiting="waiting for batches" dim={outages.length > 0} />
    </Panel>
  );
}

function headline(batches: Derived['batches']): Span[] {
  const last: BatchRow | null = batches.last;
  return [
    { text: `last #${last ? last.batchId : '–'} ` },
    { text: formatDuration(last?.durationMs), bold: true, tone: durationTone(last?.durationMs ?? null, batches.targetMs) },
    { text: ' · p95 ' },
    { text: formatDuration(batches.p95Ms), tone: durationTone(batches.p95Ms, batches.targetMs) },
  ];
}

/** Over the target means batches queue up; close to it is a warning. */
export function durationTone(ms: number | null, targetMs: number): Tone | undefined {
  if (ms === null || !(targetMs > 0)) return undefined;
  if (ms > targetMs) return 'bad';
  if (ms > targetMs * 0.8) return 'warn';
  return undefined;
}
