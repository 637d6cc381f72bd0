/**
 * Every advisor finding that was active during the run: when it was raised and cleared (the
 * derive clock of the replay), its evidence and suggestion as they were when it was raised.
 */
import type { AdvisorOptions } from '../model/advisor/options.js';
import { differencesFromDefaults } from '../model/advisor/settings.js';
import type { Derived, Finding } from '../model/derivedTypes.js';
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

const settingsText = (differences: string[]) => (differences.length === 0 ? 'the defaults' : differences.map((d) => `\`${d}\``).join(', '));

/**
 * The advisor's settings the findings were computed with, as their differences from the defaults;
 * and those of the live run when the recording has them (`recorded`: the header's config.advisor) and they differ.
 */
export function thresholdsLine(used: AdvisorOptions, recorded: unknown): string {
  const now = differencesFromDefaults(used);
  const live = recorded === undefined ? null : differencesFromDefaults(recorded);
  const liveText = live !== null && live.join() !== now.join() ? ` (the live run used ${settingsText(live)})` : '';
  return `Advisor thresholds: ${now.length === 0 ? 'the defaults' : `differ from the defaults in ${settingsText(now)}`}${liveText}.`;
}

export function findingsSection(spans: readonly FindingSpan[], start: number, thresholds?: string): string[] {
  const lines = ['## Findings', '', ...(thresholds ? [thresholds, ''] : [])];
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
