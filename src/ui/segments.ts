/**
 * Lines made of pieces that matter more or less: when the width is short, the least important
 * piece is first shortened (if it has a short form), then dropped. Pure.
 */
import { fitSpans, spansWidth, type Span } from '../text/cells.js';

export interface Segment {
  spans: Span[];
  short?: Span[];
  /** 0: always kept (cut only as the very last resort); higher numbers go first. */
  priority: number;
  /** When the short form is used, on the same scale as `priority` (default: just before dropping). */
  shortRank?: number;
}

type State = 'full' | 'short' | 'dropped';


export function composeLine(left: readonly Segment[], right: readonly Segment[], width: number, separator: Span = { text: '  ' }): Span[] {
  const all = [...left, ...right];
  const states: State[] = all.map(() => 'full');
  const spansOf = (i: number): Span[] => (states[i] === 'short' ? all[i]!.short! : states[i] === 'dropped' ? [] : all[i]!.spans);
  const groupWidth = (from: number, to: number) => {
    let w = 0;
    let shown = 0;
    for (let i = from; i < to; i++) {
      if (states[i] === 'dropped') continue;
      w += spansWidth(spansOf(i));
      shown++;
    }
    return w + Math.max(0, shown - 1) * spansWidth([separator]);
  };
  const total = () => {
    const l = groupWidth(0, left.length);
    const r = groupWidth(left.length, all.length);
    return l + r + (l > 0 && r > 0 ? spansWidth([separator]) : 0);
  };

  // Least important first: a segment is shortened (just before it would be dropped, unless its
  // `shortRank` says otherwise), then dropped.
  const steps = all.flatMap((seg, i) => [
    ...(seg.short !== undefined ? [{ i, rank: seg.shortRank ?? seg.priority + 0.5, to: 'short' as const }] : []),
    ...(seg.priority > 0 ? [{ i, rank: seg.priority, to: 'dropped' as const }] : []),
  ]);
  steps.sort((a, b) => b.rank - a.rank || b.i - a.i);
  const applied: Array<{ i: number; was: State }> = [];
  for (const step of steps) {
    if (total() <= width) break;
    applied.push({ i: step.i, was: states[step.i]! });
    states[step.i] = step.to;
  }
  // Give back what fits again, most important first (dropping a wide piece may leave room for a
  // narrower one that went before it).
  for (const { i, was } of applied.reverse()) {
    const now = states[i]!;
    states[i] = was;
    if (total() > width) states[i] = now;
  }

  const join = (from: number, to: number): Span[] => {
    const out: Span[] = [];
    for (let i = from; i < to; i++) {
      if (states[i] === 'dropped') continue;
      if (out.length > 0) out.push(separator);
      out.push(...spansOf(i));
    }
    return out;
  };
  const leftSpans = join(0, left.length);
  const rightSpans = join(left.length, all.length);
  const fill = Math.max(leftSpans.length > 0 && rightSpans.length > 0 ? spansWidth([separator]) : 0, width - spansWidth(leftSpans) - spansWidth(rightSpans));
  return fitSpans([...leftSpans, { text: ' '.repeat(fill) }, ...rightSpans], width);
}
