import { Text } from 'ink';
import { fitSpans, mergeSpans, type Span } from './text.js';
import { useTheme } from './theme.js';

/** One terminal line of exactly `width` cells, built from styled spans. */
export function Line(props: { spans: readonly Span[]; width: number; dim?: boolean }) {
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
