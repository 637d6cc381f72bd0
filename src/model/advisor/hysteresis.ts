/**
 * The advisor's memory (bounded: one track per rule id, a ring of cleared findings, a ring of
 * failure counters): a finding becomes active after its condition held in `raiseAfter` consecutive
 * evaluations and clears after it was false in `clearAfter`, so an alternating condition does not flap.
 */
import type { ClearedFinding, Finding } from '../derivedTypes.js';
import { Ring } from '../ring.js';
import type { FailureCounts, RawFinding } from './types.js';

interface Track {
  /** Consecutive evaluations the condition held / did not hold. */
  held: number;
  missed: number;
  active: Finding | null;
}

export interface AdvisorState {
  lastEvalAt: number | null;
  tracks: Map<string, Track>;
  cleared: Ring<ClearedFinding>;
  failures: Ring<FailureCounts>;
  version: number;
}

export function createAdvisorState(clearedCapacity: number): AdvisorState {
  return { lastEvalAt: null, tracks: new Map(), cleared: new Ring(clearedCapacity), failures: new Ring(128), version: 0 };
}

export function toFinding(raw: RawFinding, since: number): Finding {
  const key = raw.evidence.facts
    .slice(0, 2)
    .map((f) => `${f.label} ${f.value}`)
    .join(', ');
  return { id: raw.id, severity: raw.severity, title: raw.title, message: key ? `${raw.title} (${key})` : raw.title, evidence: raw.evidence, suggestion: raw.suggestion, since };
}

/** One evaluation of one rule: `raw` is its finding now, or null when its condition does not hold. */
export function stepTrack(state: AdvisorState, id: string, raw: RawFinding | null, at: number, raiseAfter: number, clearAfter: number): void {
  let track = state.tracks.get(id);
  if (!track) {
    track = { held: 0, missed: 0, active: null };
    state.tracks.set(id, track);
  }
  if (raw) {
    track.held++;
    track.missed = 0;
    if (track.active) track.active = toFinding(raw, track.active.since);
    else if (track.held >= raiseAfter) track.active = toFinding(raw, at);
  } else {
    track.held = 0;
    track.missed++;
    if (track.active && track.missed >= clearAfter) {
      state.cleared.push({ ...track.active, clearedAt: at });
      track.active = null;
    }
  }
}

export function isActive(state: AdvisorState, id: string): boolean {
  return state.tracks.get(id)?.active != null;
}

const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warn: 1, info: 2 };

/** Active findings: most severe first, then the oldest; `healthy` last. */
export function activeFindings(state: AdvisorState): Finding[] {
  const out: Finding[] = [];
  for (const t of state.tracks.values()) if (t.active) out.push(t.active);
  const rank = (f: Finding) => (f.id === 'healthy' ? 3 : SEVERITY_ORDER[f.severity]);
  return out.sort((a, b) => rank(a) - rank(b) || a.since - b.since);
}
