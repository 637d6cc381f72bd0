/** healthy: no rule's condition holds — the state a tuning run aims for. */
import { rate, secs } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

export function healthy(ctx: AdvisorContext): RawFinding {
  const { d } = ctx;
  return finding(
    'healthy',
    'info',
    'Spark keeps up',
    {
      input: rate(d.rates.inputRps),
      processed: rate(d.rates.processedRps),
      'p95 batch': `${secs(d.batches.p95Ms)} (target ${secs(d.batches.targetMs)})`,
      'total lag': d.partitions.totalLag === null ? 'unknown' : `${d.partitions.totalLag} rec`,
      'executor cores': ctx.totalCores === null ? 'unknown' : String(ctx.totalCores),
    },
    'No rule of the advisor holds: Spark keeps up with the input, batches stay within the target, the cores are used evenly.',
    'Nothing to change at this load. To find the limit, raise the rate (`]`) or add generators (`+`) until a finding appears.',
  );
}
