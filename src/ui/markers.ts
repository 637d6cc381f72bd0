/** App changes (resubmissions) and user marks as chart markers. Pure. */
import type { Derived } from '../model/derivedTypes.js';
import type { ChartMarker } from '../text/chart.js';
import { oneLine } from '../text/cells.js';

export function chartMarkers(derived: Pick<Derived, 'appChanges' | 'marks'>): ChartMarker[] {
  return [
    ...derived.appChanges.map((c) => ({ t: c.t, label: `app ${shortAppId(c.appId)}` })),
    ...derived.marks.map((m) => ({ t: m.t, label: oneLine(m.note).slice(0, 16) || 'mark' })),
  ];
}

/** `app-20260115093012-0001` → `…0001`: the part that differs between submissions. */
export function shortAppId(appId: string): string {
  const match = /-(\d+)$/.exec(appId);
  return match ? `…${match[1]}` : appId.slice(-6);
}
