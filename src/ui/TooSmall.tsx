import { Box } from 'ink';
import type { TooSmallLayout } from './layout.js';
import { Line } from './Line.js';

/** What a terminal below the minimum size shows instead of a garbled layout. */
export function TooSmall(props: { layout: TooSmallLayout; rows: number }) {
  const { layout } = props;
  const lines = [
    [{ text: 'sparktop: terminal too small', bold: true }],
    [{ text: `${props.layout.columns}×${props.rows}, needs ${layout.minColumns}×${layout.minRows}` }],
    [{ text: 'enlarge it, or q to quit', tone: 'muted' as const }],
  ].slice(0, Math.max(1, layout.height));
  return (
    <Box flexDirection="column" width={layout.columns} height={Math.max(1, layout.height)}>
      {lines.map((spans, i) => (
        <Line key={i} spans={spans} width={layout.columns} />
      ))}
    </Box>
  );
}
