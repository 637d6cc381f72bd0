/** View 8's text: one block per active finding, then the recently cleared ones. Pure: spans per line. */
import type { ClearedFinding, Derived, Finding } from '../../model/derivedTypes.js';
import { SEVERITY_TONES } from '../FindingsLine.js';
import { formatAge, formatClock } from '../../text/format.js';
import { oneLine, type Span, type Tone } from '../../text/cells.js';
import { wrapText } from '../wrap.js';

const INDENT = '  ';

function wrapped(text: string, width: number, first: string, tone?: Tone, dim?: boolean): Span[][] {
  const pad = ' '.repeat(first.length);
  return wrapText(oneLine(text), Math.max(1, width - first.length)).map((l, i) => [{ text: `${i === 0 ? first : pad}${l}`, tone, dim }]);
}

function block(f: Finding, at: number, width: number): Span[][] {
  const healthy = f.id === 'healthy';
  const tone: Tone = healthy ? 'good' : SEVERITY_TONES[f.severity];
  const label = healthy ? 'HEALTHY' : f.severity.toUpperCase();
  const lines: Span[][] = [
    [
      { text: `${label.padEnd(7)} `, tone, bold: true },
      { text: oneLine(f.title), bold: true },
      { text: `  since ${formatClock(f.since)} (${formatAge(at - f.since)})`, tone: 'muted' },
      { text: `  ${f.id}`, tone: 'muted' },
    ],
  ];
  const facts = f.evidence.facts.map((x) => `${x.label}: ${x.value}`).join(' · ');
  lines.push(...wrapped(facts, width, INDENT));
  lines.push(...wrapped(f.evidence.text, width, INDENT, 'muted'));
  lines.push(...wrapped(f.suggestion, width, `${INDENT}→ `, healthy ? 'good' : 'accent'));
  lines.push([]);
  return lines;
}

function clearedLine(f: ClearedFinding): Span[] {
  return [{ text: `${INDENT}${formatClock(f.clearedAt)}  ${f.severity.padEnd(5)} ${f.id}  ${oneLine(f.title)} (active from ${formatClock(f.since)})`, dim: true }];
}

export function advisorLines(d: Derived, width: number): Span[][] {
  const lines: Span[][] = [];
  for (const f of d.findings) lines.push(...block(f, d.at, width));
  if (d.findings.length === 0) {
    lines.push(
      [{ text: d.advisor.evaluatedAt === null ? 'not evaluated yet' : 'no finding active', bold: true }],
      ...wrapped('A condition must hold for a few refreshes before it shows, and "healthy" needs a run of refreshes without any.', width, INDENT, 'muted'),
      [],
    );
  }
  if (d.advisor.cleared.length > 0) {
    lines.push([{ text: 'recently cleared', tone: 'muted', bold: true }]);
    for (const f of d.advisor.cleared) lines.push(clearedLine(f));
  }
  return lines;
}

/** The narrowest inner width the view is drawn at: an upper bound of its lines for scrolling. */
export const NARROWEST_INNER = 58;
