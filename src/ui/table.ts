/**
 * Tables that fit a width: columns the width cannot hold are dropped, least important first; the
 * rest share the spare width. Cells are cut, never wrapped. Pure.
 */
import { fit, type Span, type Tone } from '../text/cells.js';

export interface Column<R> {
  header: string;
  /** Minimum width in cells (the header is cut to it if longer). */
  width: number;
  align?: 'left' | 'right';
  /** 0 is never dropped; higher numbers are dropped first when the width is short. */
  priority: number;
  /** Share of the spare width this column takes (default 0: stays at `width`). */
  grow?: number;
  cell: (row: R) => string;
  tone?: (row: R) => Tone | undefined;
}

/**
 * One table's columns, written once for both of its forms: the full view, and the compact one of
 * its overview panel. `compact` overrides what differs there (a shorter header, a narrower width);
 * `compact: false` leaves a column out of the panel.
 */
export type TableColumn<R> = Column<R> & { compact?: Partial<Column<R>> | false };

export function columnsOf<R>(columns: readonly TableColumn<R>[], form: 'full' | 'compact'): Column<R>[] {
  return columns.flatMap(({ compact, ...full }) => (form === 'full' ? [full] : compact === false ? [] : [{ ...full, ...compact }]));
}

export interface PlacedColumn<R> {
  column: Column<R>;
  width: number;
}

const GAP = 1;

/** The columns that fit `width` (with one space between), widened to fill it exactly. */
export function fitColumns<R>(columns: readonly Column<R>[], width: number): PlacedColumn<R>[] {
  // Most important first (stable); a column is kept if it still fits, so a narrow, less important
  // column can use room a wide one could not.
  const byImportance = columns.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i);
  const keptIndexes = new Set<number>();
  let used = 0;
  for (const { c, i } of byImportance) {
    const cost = c.width + (keptIndexes.size > 0 ? GAP : 0);
    if (used + cost <= width || keptIndexes.size === 0) {
      keptIndexes.add(i);
      used += cost;
    }
  }
  const kept = columns.filter((_, i) => keptIndexes.has(i));
  const needed = (cols: readonly Column<R>[]) => cols.reduce((sum, c) => sum + c.width, 0) + GAP * Math.max(0, cols.length - 1);
  const spare = Math.max(0, width - needed(kept));
  const growTotal = kept.reduce((sum, c) => sum + (c.grow ?? 0), 0);
  const placed = kept.map((column) => ({ column, width: column.width }));
  if (growTotal > 0) {
    let given = 0;
    placed.forEach((p, i) => {
      const share = i === placed.length - 1 ? 0 : Math.floor((spare * (p.column.grow ?? 0)) / growTotal);
      p.width += share;
      given += share;
    });
    // The remainder goes to the last growing column.
    const lastGrowing = [...placed].reverse().find((p) => (p.column.grow ?? 0) > 0);
    if (lastGrowing) lastGrowing.width += spare - given;
  }
  return placed;
}

export function headerSpans<R>(placed: readonly PlacedColumn<R>[]): Span[] {
  return joinCells(placed.map((p) => ({ text: fit(p.column.header, p.width, p.column.align), tone: 'muted' as const, bold: true })));
}

export function rowSpans<R>(placed: readonly PlacedColumn<R>[], row: R, rowTone?: Tone, ellipsis = '…'): Span[] {
  return joinCells(
    placed.map((p) => ({
      text: fit(p.column.cell(row), p.width, p.column.align, ellipsis),
      tone: p.column.tone?.(row) ?? rowTone,
    })),
  );
}

function joinCells(cells: Span[]): Span[] {
  const out: Span[] = [];
  cells.forEach((cell, i) => {
    if (i > 0) out.push({ text: ' '.repeat(GAP) });
    out.push(cell);
  });
  return out;
}

/** Which rows a scrolled table shows, with the offset clamped so the last page is full. */
export function visibleWindow(total: number, visible: number, offset: number): { start: number; end: number } {
  const size = Math.max(0, visible);
  const start = Math.max(0, Math.min(offset, total - size));
  return { start, end: Math.min(total, start + size) };
}
