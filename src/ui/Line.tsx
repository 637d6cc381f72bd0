import { memo } from 'react';
import { Text } from 'ink';
import { fitSpans, mergeSpans, sameSpans, type Span } from '../text/cells.js';
import { useTheme } from './theme.js';

interface LineProps {
  spans: readonly Span[];
  width: number;
  dim?: boolean;
}

/**
 * One terminal line of exactly `width` cells, built from styled spans. Callers build new spans on
 * every frame; a line whose spans did not change is not rendered again (most lines, once a second).
 */
export const Line = memo(function Line(props: LineProps) {
  const theme = useTheme();
  const spans = mergeSpans(
    fitSpans(
      props.spans.map((s) => ({ ...s, text: theme.text(s.text) })),
      props.width,
      theme.glyphs.ellipsis,
    ),
  );
  return (
    <Text wrap="truncate" dimColor={props.dim}>
      {spans.map((s, i) => (
        <Text
          key={i}
          color={theme.colorOf(s.tone)}
          bold={s.bold}
          dimColor={(s.dim ?? false) || (props.dim ?? false) || (!theme.color && s.tone === 'muted')}
          inverse={s.inverse}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
}, sameLine);

function sameLine(a: LineProps, b: LineProps): boolean {
  return a.width === b.width && !a.dim === !b.dim && sameSpans(a.spans, b.spans);
}

/** Several lines, each exactly `width` wide. */
export function Lines(props: { lines: ReadonlyArray<readonly Span[]>; width: number; dim?: boolean }) {
  return (
    <>
      {props.lines.map((spans, i) => (
        <Line key={i} spans={spans} width={props.width} dim={props.dim} />
      ))}
    </>
  );
}
