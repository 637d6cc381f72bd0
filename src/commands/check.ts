import { InvalidResource } from '../control/resources.js';
import { resolveWatchConfig, type WatchFlags } from '../config.js';
import type { Derived } from '../model/derived.js';
import { takeSnapshot } from './snapshot.js';

export interface CheckThresholds {
  maxBatchMs: number | null;
  minRatio: number | null;
}

export interface CheckVerdict {
  code: 0 | 1 | 2;
  reasons: string[];
}

/** Exit 0 healthy, 1 unhealthy (with reasons), 2 unreachable. Pure: a verdict from one snapshot. */
export function judge(d: Derived, t: CheckThresholds): CheckVerdict {
  const down = (['kafka', 'driver'] as const).filter((s) => d.sources[s].ok !== true);
  if (down.length > 0) {
    return { code: 2, reasons: down.map((s) => `${s} unreachable${d.sources[s].error ? ` (${d.sources[s].error})` : ''}`) };
  }
  if (!d.app.id) return { code: 2, reasons: ['no running Spark application'] };
  const reasons: string[] = [];
  if (d.health === 'falling-behind') reasons.push('falling behind: Spark processes less than comes in and lag is growing');
  if (d.health === 'down') reasons.push('the pipeline is down');
  const p95 = d.batches.p95Ms;
  if (t.maxBatchMs !== null && p95 !== null && p95 > t.maxBatchMs) reasons.push(`p95 batch duration ${p95} ms > --max-batch-ms ${t.maxBatchMs}`);
  const { inputRps, processedRps } = d.rates;
  if (t.minRatio !== null && inputRps !== null && processedRps !== null && inputRps > 0 && processedRps / inputRps < t.minRatio) {
    reasons.push(`processed/input ${(processedRps / inputRps).toFixed(2)} < --min-ratio ${t.minRatio}`);
  }
  for (const f of d.findings.filter((x) => x.severity === 'error')) reasons.push(f.message);
  return { code: reasons.length > 0 ? 1 : 0, reasons };
}

export function parseThresholds(raw: { maxBatchMs?: string; minRatio?: string }): CheckThresholds {
  let maxBatchMs: number | null = null;
  let minRatio: number | null = null;
  if (raw.maxBatchMs !== undefined) {
    if (!/^\d+$/.test(raw.maxBatchMs) || Number(raw.maxBatchMs) < 1) throw new InvalidResource('max-batch-ms', `expected a positive integer (ms), got "${raw.maxBatchMs}"`);
    maxBatchMs = Number(raw.maxBatchMs);
  }
  if (raw.minRatio !== undefined) {
    const r = Number(raw.minRatio);
    if (!/^\d*\.?\d+$/.test(raw.minRatio) || !(r > 0) || r > 10) throw new InvalidResource('min-ratio', `expected a number above 0 (e.g. 0.95), got "${raw.minRatio}"`);
    minRatio = r;
  }
  return { maxBatchMs, minRatio };
}

export async function checkCommand(flags: WatchFlags & { maxBatchMs?: string; minRatio?: string }): Promise<number> {
  const thresholds = parseThresholds(flags);
  const config = resolveWatchConfig(flags);
  const verdict = judge(await takeSnapshot(config), thresholds);
  const word = verdict.code === 0 ? 'healthy' : verdict.code === 1 ? 'unhealthy' : 'unreachable';
  process.stdout.write(`${word}${verdict.reasons.length ? `:\n${verdict.reasons.map((r) => `  - ${r}`).join('\n')}` : ''}\n`);
  return verdict.code;
}
