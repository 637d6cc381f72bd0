/** state-growth: the state store grows batch after batch and nothing (no watermark) bounds it. */
import type { BatchRow } from '../derivedTypes.js';
import { mib, plural } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

export function stateGrowth(ctx: AdvisorContext): RawFinding | null {
  const n = ctx.thresholds.stateGrowthBatches;
  const withState = ctx.recent.filter((b): b is BatchRow & { stateRows: number } => b.stateRows !== null);
  if (withState.length < n + 1) return null;
  const runs = withState.slice(0, n + 1).reverse(); // oldest first
  for (let i = 1; i < runs.length; i++) if (!(runs[i]!.stateRows > runs[i - 1]!.stateRows)) return null;
  const first = runs[0]!.stateRows;
  const last = runs[runs.length - 1]!;
  if (first <= 0 || (last.stateRows - first) / first < ctx.thresholds.stateGrowthMin) return null;
  if (last.watermark !== null) return null;
  const perBatch = (last.stateRows - first) / n;
  return finding(
    'state-growth',
    'warn',
    'State grows without bound',
    {
      'state rows': `${first} → ${last.stateRows}`,
      growth: `+${Math.round(perBatch)} rows/batch over ${plural(n, 'batch')}`,
      'state memory': last.stateMemoryBytes === null ? 'unknown' : mib(last.stateMemoryBytes),
      watermark: 'none',
    },
    `The state store grew in each of the last ${n} batches (${first} → ${last.stateRows} rows) and the query has no watermark, so old keys are never dropped.`,
    'Bound the state: .withWatermark("timestamp", "10 minutes") before the aggregation and group by a time window (window(col("timestamp"), "1 minute")), or aggregate a key with few values.',
  );
}
