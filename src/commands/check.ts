import { InvalidResource } from '../domain/resources.js';
import type { WatchFlags } from '../config/watchConfig.js';
import { FINDING_IDS } from '../model/advisor/index.js';
import type { Derived, Finding, Severity } from '../model/derivedTypes.js';
import { takeSnapshot } from './takeSnapshot.js';
import { watchConfigFor } from './watchConfig.js';

/** Which findings make `check` fail: those of `severity` or worse, and those named. */
export interface FailOn {
  severity: Severity | null;
  ids: string[];
}

export interface CheckThresholds {
  maxBatchMs: number | null;
  minRatio: number | null;
  /** Default: error findings (`--fail-on error`). */
  failOn?: FailOn;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };
export const DEFAULT_FAIL_ON: FailOn = { severity: 'error', ids: [] };

export function failsOn(f: Finding, on: FailOn): boolean {
  return on.ids.includes(f.id) || (on.severity !== null && f.id !== 'healthy' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[on.severity]);
}

export interface CheckVerdict {
  code: 0 | 1 | 2;
  reasons: string[];
}

/** Exit 0 healthy, 1 unhealthy (with reasons), 2 unreachable or nothing to judge by. Pure: a verdict from one snapshot. */
export function judge(d: Derived, t: CheckThresholds): CheckVerdict {
  const down = (['kafka', 'driver'] as const).filter((s) => d.sources[s].ok !== true);
  if (down.length > 0) {
    return { code: 2, reasons: down.map((s) => `${s} unreachable${d.sources[s].error ? ` (${d.sources[s].error})` : ''}`) };
  }
  if (!d.app.id) return { code: 2, reasons: ['no running Spark application'] };
  if (d.health === 'unknown') {
    const why = d.partitions.lagUnknown === 'no-progress' ? ': no progress listener answers (sparktop attach) and no --checkpoint' : '';
    return { code: 2, reasons: [`neither the lag nor Spark's rates are known${why}`] };
  }
  const reasons: string[] = [];
  if (d.health === 'falling-behind') reasons.push('falling behind: Spark processes less than comes in and lag is growing');
  if (d.health === 'down') reasons.push('the pipeline is down');
  const p95 = d.batches.p95Ms;
  if (t.maxBatchMs !== null && p95 !== null && p95 > t.maxBatchMs) reasons.push(`p95 batch duration ${p95} ms > --max-batch-ms ${t.maxBatchMs}`);
  const { inputRps, processedRps } = d.rates;
  if (t.minRatio !== null && inputRps !== null && processedRps !== null && inputRps > 0 && processedRps / inputRps < t.minRatio) {
    reasons.push(`processed/input ${(processedRps / inputRps).toFixed(2)} < --min-ratio ${t.minRatio}`);
  }
  for (const f of d.findings.filter((x) => failsOn(x, t.failOn ?? DEFAULT_FAIL_ON))) reasons.push(`${f.severity} ${f.id}: ${f.message}`);
  return { code: reasons.length > 0 ? 1 : 0, reasons };
}

/** `--fail-on warn,skew`: a severity (that one or worse), finding ids, or `none`; comma-separated. */
export function parseFailOn(raw: string | undefined): FailOn {
  if (raw === undefined) return DEFAULT_FAIL_ON;
  const on: FailOn = { severity: null, ids: [] };
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item === 'none') continue;
    if (item === 'info' || item === 'warn' || item === 'error') {
      if (on.severity === null || SEVERITY_RANK[item] < SEVERITY_RANK[on.severity]) on.severity = item;
    } else if (FINDING_IDS.includes(item)) on.ids.push(item);
    else throw new InvalidResource('fail-on', `expected info, warn, error, none or finding ids (${FINDING_IDS.join(', ')}), got "${item}"`);
  }
  return on;
}

export function parseThresholds(raw: { maxBatchMs?: string; minRatio?: string; failOn?: string }): CheckThresholds {
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
  return { maxBatchMs, minRatio, failOn: parseFailOn(raw.failOn) };
}

export async function checkCommand(flags: WatchFlags & { maxBatchMs?: string; minRatio?: string; failOn?: string }): Promise<number> {
  const thresholds = parseThresholds(flags);
  const config = watchConfigFor(flags);
  const d = await takeSnapshot(config);
  const verdict = judge(d, thresholds);
  const word = verdict.code === 0 ? 'healthy' : verdict.code === 1 ? 'unhealthy' : d.health === 'unknown' ? 'unknown' : 'unreachable';
  process.stdout.write(`${word}${verdict.reasons.length ? `:\n${verdict.reasons.map((r) => `  - ${r}`).join('\n')}` : ''}\n`);
  return verdict.code;
}
