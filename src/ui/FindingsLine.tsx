import type { Finding } from '../model/derivedTypes.js';
import { Line } from './Line.js';
import { oneLine, type Span, type Tone } from '../text/cells.js';

export const SEVERITY_TONES: Record<Finding['severity'], Tone> = { error: 'bad', warn: 'warn', info: 'accent' };

/** The line above the footer: the caller's status (what an action just did), then the top finding. */
export function FindingsLine(props: { findings: readonly Finding[]; statusLine?: string; width: number }) {
  return <Line spans={findingsSpans(props.findings, props.statusLine)} width={props.width} />;
}

/** Findings arrive most severe first (the advisor sorts them); `healthy` comes alone. */
export function findingsSpans(findings: readonly Finding[], statusLine?: string): Span[] {
  const spans: Span[] = [];
  if (statusLine) spans.push({ text: ` ▸ ${oneLine(statusLine)} `, bold: true });
  const top = findings[0];
  if (!top) return spans;
  if (top.id === 'healthy') {
    spans.push({ text: ' ok ', tone: 'good', bold: true }, { text: oneLine(top.title), tone: 'good' });
    return spans;
  }
  spans.push({ text: ' ! ', tone: SEVERITY_TONES[top.severity], bold: true });
  // The count goes first: a long message is cut at the end.
  if (findings.length > 1) spans.push({ text: `1/${findings.length} `, tone: 'muted' });
  spans.push({ text: oneLine(top.message), tone: SEVERITY_TONES[top.severity] });
  if (findings.length > 1) spans.push({ text: `  also ${findings.slice(1).map((f) => f.id).join(', ')} (8 advisor)`, tone: 'muted' });
  return spans;
}
