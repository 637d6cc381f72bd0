import { useMemo } from 'react';
import type { Derived } from '../model/derivedTypes.js';
import { buildChart } from '../text/chart.js';
import { ChartBlock, chartGlyphs } from './ChartBlock.js';
import { formatCompact, formatCompactAxis } from '../text/format.js';
import { innerWidth, type PanelSize } from './layout.js';
import { Line } from './Line.js';
import { chartMarkers } from './markers.js';
import { outageSpans, outagesOf, PANEL_SOURCES } from './outage.js';
import { Panel } from './Panel.js';
import { progressRemedyText } from './remedy.js';
import type { Span } from '../text/cells.js';
import { useTheme } from './theme.js';
import { trendOf } from './trend.js';

const LABEL_WIDTH = 5;

/** Input vs processed records per second over the last batches. */
export function RatesPanel(props: { derived: Derived; size: PanelSize; chartLines: number }) {
  const theme = useTheme();
  const { rates, appChanges, marks } = props.derived;
  const width = innerWidth(props.size);
  const outages = outagesOf(props.derived, PANEL_SOURCES.rates);
  const remedy = outages.some((o) => o.source === 'progress') ? progressRemedyText(width) : null;
  const lines = Math.max(1, props.chartLines - outages.length - (remedy ? 1 : 0));
  const chart = useMemo(
    () =>
      buildChart({
        series: [rates.series.map((p) => p.input), rates.series.map((p) => p.processed)],
        times: rates.series.map((p) => p.t),
        width,
        lines,
        labelWidth: LABEL_WIDTH,
        formatLabel: formatCompactAxis,
        aggregate: 'mean',
        markers: chartMarkers({ appChanges, marks }),
        glyphs: chartGlyphs(theme),
      }),
    [rates.series, appChanges, marks, width, lines, theme],
  );
  const trend = trendOf(rates.series.map((p) => p.input));
  const right: Span[] = [
    { text: 'in ', tone: 'series1' },
    { text: formatCompact(rates.inputRps), bold: true },
    ...(trend ? [{ text: ` ${trend === 'up' ? theme.glyphs.up : theme.glyphs.down}` }] : []),
    { text: '  ' },
    { text: theme.glyphs.secondarySeries ? `${theme.glyphs.secondarySeries}out ` : 'out ', tone: 'series2' },
    { text: formatCompact(rates.processedRps), bold: true, tone: slowerTone(rates.inputRps, rates.processedRps) },
  ];
  return (
    <Panel title="Rates" subtitle="(rec/s)" right={right} size={props.size} outages={outages}>
      {outages.map((o) => (
        <Line key={o.source} spans={outageSpans(o, { withSource: true, width })} width={width} />
      ))}
      {remedy ? <Line spans={[{ text: remedy, tone: 'muted' }]} width={width} /> : null}
      <ChartBlock chart={chart} width={width} lines={lines} waiting="waiting for batches" dim={outages.length > 0} />
    </Panel>
  );
}

/** Processing slower than input means the backlog grows. */
function slowerTone(input: number | null, processed: number | null): 'warn' | undefined {
  return input !== null && processed !== null && processed < input * 0.95 ? 'warn' : undefined;
}
