import type { ReactNode } from 'react';
import { Box } from 'ink';
import type { PanelSize } from './layout.js';
import { Line } from './Line.js';
import { staleSpans, type Outage } from './outage.js';
import { fitSpans, spansWidth, type Span } from '../text/cells.js';
import { useTheme, type Glyphs } from './theme.js';

export interface PanelProps {
  title: string;
  /** Next to the title, e.g. the unit or the topic. */
  subtitle?: string;
  /** Right-aligned in the top border: the panel's headline figures. */
  right?: Span[];
  size: PanelSize;
  /** Sources behind this panel that are unreachable: the frame dims and the title says how old the values are. */
  outages?: readonly Outage[];
  children?: ReactNode;
}

/**
 * A framed box: `┌ Title subtitle ──── right ┐`, then side and bottom borders drawn by Ink. The
 * children are lines of exactly the inner width (`size.width - 2`); anything taller is clipped.
 */
export function Panel(props: PanelProps) {
  const theme = useTheme();
  const { width, height } = props.size;
  const outages = props.outages ?? [];
  const stale = outages.length > 0;
  const right = [...staleSpans(outages), ...(props.right ?? [])];
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Line spans={frameTop(props.title, props.subtitle, right, width, theme.glyphs, stale)} width={width} />
      <Box
        flexDirection="column"
        width={width}
        height={Math.max(0, height - 1)}
        borderStyle={theme.border}
        borderTop={false}
        borderDimColor={stale}
        // Vertically only: the lines already fit the width (see App).
        overflowY="hidden"
      >
        {props.children}
      </Box>
    </Box>
  );
}

/** The top border with the title on the left and the figures on the right, exactly `width` wide. */
export function frameTop(title: string, subtitle: string | undefined, right: Span[], width: number, glyphs: Glyphs, stale: boolean): Span[] {
  const { topLeft, top, topRight } = glyphs.frame;
  const inner = Math.max(0, width - 2);
  const border = (text: string): Span => ({ text, dim: stale });
  const titleSpans: Span[] = [{ text: ' ' }, { text: title, bold: true }, { text: ' ' }];
  const withSubtitle: Span[] = subtitle ? [...titleSpans, { text: subtitle }, { text: ' ' }] : titleSpans;
  const figuresWidth = right.length > 0 ? spansWidth(right) + 2 : 0;
  // The subtitle goes before the figures are cut; at least one dash stays between them.
  const left = spansWidth(withSubtitle) + 1 + figuresWidth <= inner ? withSubtitle : titleSpans;
  const room = inner - spansWidth(left) - 1 - 2;
  const figures: Span[] = right.length > 0 && room >= 4 ? [{ text: ' ' }, ...cutSpans(right, room), { text: ' ' }] : [];
  const dashes = Math.max(0, inner - spansWidth(left) - spansWidth(figures));
  return fitSpans([border(topLeft), ...left, border(top.repeat(dashes)), ...figures, border(topRight)], width);
}

/** At most `width` cells, not padded. */
function cutSpans(spans: Span[], width: number): Span[] {
  if (spansWidth(spans) <= width) return spans;
  return fitSpans(spans, width);
}
