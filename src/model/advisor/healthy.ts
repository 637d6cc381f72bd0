/** healthy: no rule's condition holds — the state a tuning run aims for. */
import { rate, secs } from './text.js';
import type { AdvisorContext, RawFinding } from './types.js';

export function healthy(ctx: AdvisorContext): RawFinding {
  const { d } = ctx;
  return {
    id: 'healthy',
    severity: 'info',
    title: 'Spark keeps up',
    evidence: {
      facts: [
        { label: 'input', value: rate(d.rates.inputRps) },
        { label: 'processed', value: rate(d.rates.processedRps) },
        { label: 'p95 batch', value: `${secs(d.batches.p95Ms)} (target ${secs(d.batches.targetMs)})` },
        { label: 'total lag', value: d.partitions.totalLag === null ? 'unknown' : `${d.partitions.totalLag} rec` },
        { label: 'executor cores', value: ctx.totalCores === null ? 'unknown' : String(ctx.totalCores) },
      ],
      text: 'No rule of the advisor holds: Spark keeps up with the input, batches stay within the target, the cores are used evenly.',
    },
    suggestion: 'Nothing to change at this load. To find the limit, raise the rate (`]`) or add generators (`+`) until a finding appears.',
  };
}
