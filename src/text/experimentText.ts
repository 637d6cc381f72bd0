/** Texts of an experiment row, shared by view 7 and the export. Pure. */
import type { ExperimentRow } from '../model/derivedTypes.js';
import { formatCompact, formatCompactAxis, UNKNOWN } from './format.js';

/** `2×8k`, `2×2.5k`, `2×8k paused`, `0`; unknown (no generator stats) `–`. */
export function loadLabel(g: ExperimentRow['generators']): string {
  if (!g) return UNKNOWN;
  if (g.count === 0) return '0';
  return `${g.count}×${g.ratePerGenerator === null ? 'mixed' : formatCompactAxis(g.ratePerGenerator)}${g.paused ? ' paused' : ''}`;
}

/** `yes`, `NO`, `–` (no verdict), then the first reason. */
export function verdictLabel(v: ExperimentRow['verdict'], withReason = true): string {
  const word = v.sustainable === true ? 'yes' : v.sustainable === false ? 'NO' : UNKNOWN;
  return withReason && v.reasons.length > 0 ? `${word} ${v.reasons[0]}` : word;
}

/** `+1.2k`, `−350`, `0`: the lag's trend in records per second. */
export function slopeLabel(slope: number | null): string {
  if (slope === null || !Number.isFinite(slope)) return UNKNOWN;
  const text = formatCompact(Math.abs(slope));
  return slope > 0.5 ? `+${text}` : slope < -0.5 ? `−${text}` : '0';
}
