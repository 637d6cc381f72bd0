/**
 * Terminal cell widths and exact-width lines. Every line sparktop draws is built from spans and
 * cut or padded here to the cell, so nothing wraps and nothing overflows the terminal width.
 */

export type Tone = 'good' | 'warn' | 'bad' | 'accent' | 'muted' | 'series1' | 'series2' | 'target' | 'marker';

export interface Span {
  text: string;
  tone?: Tone;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

/** Text from outside (app names, error messages, event texts) on one line, without control characters. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\r\n\t\v\f]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** Cells a code point takes: 2 for East Asian wide and emoji, 0 for combining marks, else 1. */
export function codePointWidth(cp: number): number {
  if (cp === 0x200b || (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** The longest prefix that fits `width` cells. */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  let used = 0;
  let out = '';
  for (const ch of text) {
    const w = codePointWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width) break;
    used += w;
    out += ch;
  }
  return out;
}

/** Fits `width` cells: cut with an ellipsis when too long. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  if (width <= textWidth(ellipsis)) return cut(text, width);
  return cut(text, width - textWidth(ellipsis)) + ellipsis;
}

/** Exactly `width` cells: truncated, then padded on the left (`right` align) or right. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
  const t = truncate(text, width, ellipsis);
  const pad = ' '.repeat(Math.max(0, width - textWidth(t)));
  return align === 'right' ? pad + t : t + pad;
}

export function spansWidth(spans: readonly Span[]): number {
  return spans.reduce((sum, s) => sum + textWidth(s.text), 0);
}

/** Spans cut to exactly `width` cells (padded with a plain space span when shorter). */
export function fitSpans(spans: readonly Span[], width: number, ellipsis = '…'): Span[] {
  const out: Span[] = [];
  const total = spansWidth(spans);
  let room = width;
  const overflow = total > width;
  for (const span of spans) {
    if (room <= 0) break;
    const w = textWidth(span.text);
    if (!overflow || w < room) {
      out.push(span);
      room -= w;
    } else {
      const text = cut(span.text, room - textWidth(ellipsis)) + ellipsis;
      out.push({ ...span, text });
      room -= textWidth(text);
      break;
    }
  }
  if (room > 0) out.push({ text: ' '.repeat(room) });
  return out;
}

function sameStyle(a: Span, b: Span): boolean {
  return a.tone === b.tone && !a.bold === !b.bold && !a.dim === !b.dim && !a.inverse === !b.inverse;
}

/** Same texts in the same styles, span by span. */
export function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.text !== b[i]!.text || !sameStyle(a[i]!, b[i]!)) return false;
  }
  return true;
}

/** Adjacent spans with the same style joined: fewer Ink nodes to lay out and paint. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    if (span.text === '') continue;
    const last = out[out.length - 1];
    if (last && sameStyle(last, span)) out[out.length - 1] = { ...last, text: last.text + span.text };
    else out.push(span);
  }
  return out;
}
