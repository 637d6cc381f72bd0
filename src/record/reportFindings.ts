/**
 * Every advisor finding that was active during the run: when it was raised and cleared (the
 * derive clock of the replay), its evidence and suggestion as they were when it was raised.
 */
import type { Derived, Finding } from '../model/derived.js';
import type { ReplayObserver } from './reportReplay.js';
import { mdCell } from './experimentsExport.js';
import { whenIn } from './reportText.js';

export interface FindingSpan {
  finding: Finding;
  raisedAt: number;
  /** null: still active at the end of the recording. */
  clearedAt: number | null;
}

export function createFindingsCollector(): ReplayObserver & { spans(): FindingSpan[] } {
  const spans: FindingSpan[] = [];
  const open = new Map<string, FindingSpan>();
  return {
    derived(d: Derived) {
      const now = new Set<string>();
      for (const f of d.findings) {
        const key = `${f.id}@${f.since}`;
        now.add(key);
        if (open.has(key)) continue;
        const span = { finding: f, raisedAt: f.since, clearedAt: null };
        open.set(key, span);
        spans.push(span);
      }
      for (const [key, span] of open) {
        if (now.has(key)) continue;
        span.clearedAt = d.advisor.cleared.find((c) => c.id === span.finding.id && c.since === span.finding.since)?.clearedAt ?? d.at;
        open.delete(key);
      }
    },
    spans: () => spans,
  };
}

const SEVERITY_ORDER = { error: 0, warn: 1, info: 2 } as const;

export function findingsSection(spans: readonly FindingSpan[], start: number): string[] {
  const lines = ['## Findings', ''];
  if (spans.length === 0) return [...lines, 'The advisor raised no finding during the run.', ''];
  const ids = [...new Set(spans.map((s) => s.finding.id))];
  lines.push(
    `The advisor, evaluated once per second of the recorded clock as in the live monitor, raised ${spans.length} finding${spans.length === 1 ? '' : 's'} (${ids.join(', ')}).`,
    '',
  );
  const ordered = [...spans].sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.raisedAt - b.raisedAt);
  for (const { finding: f, raisedAt, clearedAt } of ordered) {
    lines.push(
      `### \`${f.id}\` (${f.severity}): ${f.title}`,
      '',
      `- raised ${whenIn(raisedAt, start)}, ${clearedAt === null ? 'still active at the end' : `cleared ${whenIn(clearedAt, start)}`}`,
      `- evidence: ${f.evidence.text}`,
      ...f.evidence.facts.map((x) => `  - ${mdCell(x.label)}: ${mdCell(x.value)}`),
      `- suggestion: ${f.suggestion}`,
      '',
    );
  }
  return lines;
}
