import type { Finding } from '../model/derived.js';
import { Line } from './Line.js';
import { oneLine, type Span, type Tone } from './text.js';

const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warn: 1, info: 2 };
const SEVERITY_TONES: Record<Finding['severity'], Tone> = { error: 'bad', warn: 'warn', info: 'accent' };

/** The line above the footer: the caller's status (what an action just did), then the top finding. */
export function FindingsLine(props: { findings: readonly Finding[]; statusLine?: string; width: number }) {
  return <Line spans={findingsSpans(props.findings, props.statusLine)} width={props.width} />;
}

export function findingsSpans(findings: readonly Finding[], statusLine?: string): Span[] {
  const spans: Span[] = [];
  if (statusLine) spans.push({ text: ` ▸ ${oneLine(statusLine)} `, bold: true });
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const top = sorted[0];
  if (top) {
    spans.push({ text: ' ! ', tone: SEVERITY_TONES[top.severity], bold: true });
    // The count goes first: a long message is cut at the end.
    if (sorted.length > 1) spans.push({ text: `1/${sorted.length} `, tone: 'muted' });
    spans.push({ text: oneLine(top.message), tone: SEVERITY_TONES[top.severity] });
  }
  return spans;
}
