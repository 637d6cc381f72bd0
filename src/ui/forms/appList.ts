/**
 * The list opened with `a`: the master's running applications (name, id, cores, age) and, below,
 * the watched application's streaming queries. ↑↓ move, Enter watches the application or shows
 * the query, Esc closes. Pure: rows and lines from the Derived selection.
 */
import type { SelectionDerived } from '../../model/derivedTypes.js';
import { formatUptime, UNKNOWN } from '../../text/format.js';
import { fit, oneLine, type Span } from '../../text/cells.js';

export type AppListItem = { kind: 'app'; id: string; name: string } | { kind: 'query'; id: string; name: string | null };

/** The rows Enter can act on, in display order: applications, then the watched one's queries. */
export function appListItems(sel: SelectionDerived): AppListItem[] {
  return [
    ...(sel.apps ?? []).map((a): AppListItem => ({ kind: 'app', id: a.id, name: a.name })),
    ...sel.queries.map((q): AppListItem => ({ kind: 'query', id: q.id, name: q.name })),
  ];
}

/** The cursor on opening: on the watched application. */
export function initialCursor(sel: SelectionDerived): number {
  return Math.max(0, (sel.appIndex ?? 1) - 1);
}

export function moveCursor(cursor: number, by: number, items: number): number {
  if (items === 0) return 0;
  return Math.max(0, Math.min(items - 1, cursor + by));
}

const NAME_W = 24;
const ID_W = 26;

/** The list's lines at `now` (ages); the Dialog cuts them to its width. */
export function appListLines(sel: SelectionDerived, cursor: number, now: number): Span[][] {
  const lines: Span[][] = [];
  const mark = (i: number): Span => ({ text: i === cursor ? ' ▶ ' : '   ', bold: true, tone: 'accent' });
  if (sel.appMissing) lines.push([{ text: ` ${sel.appMissing}`, tone: 'warn', bold: true }]);
  lines.push([{ text: ` Running applications${sel.apps === null ? ': the master has not answered' : ` (${sel.apps.length})`}`, bold: true, tone: 'accent' }]);
  if (sel.apps !== null) {
    lines.push([{ text: `   ${fit('name', NAME_W)} ${fit('id', ID_W)} ${fit('cores', 5, 'right')}  age`, tone: 'muted' }]);
    if (sel.apps.length === 0) lines.push([{ text: '   none', tone: 'muted' }]);
  }
  (sel.apps ?? []).forEach((a, i) => {
    const age = a.startedAt === null ? UNKNOWN : formatUptime(now - a.startedAt);
    lines.push([
      mark(i),
      { text: `${fit(oneLine(a.name), NAME_W)} ${fit(a.id, ID_W)} ${fit(String(a.cores), 5, 'right')}  ${age}`, inverse: i === cursor, bold: a.watched },
      ...(a.watched ? [{ text: '  watched', tone: 'good' as const }] : []),
    ]);
  });
  lines.push([]);
  const appCount = sel.apps?.length ?? 0;
  lines.push([{ text: ` Queries of the watched application (${sel.queries.length})`, bold: true, tone: 'accent' }]);
  if (sel.queryMissing) lines.push([{ text: `   ${sel.queryMissing}`, tone: 'warn' }]);
  if (sel.queries.length === 0) lines.push([{ text: '   none known yet', tone: 'muted' }]);
  sel.queries.forEach((q, j) => {
    const i = appCount + j;
    const shown = sel.query?.id === q.id;
    lines.push([
      mark(i),
      { text: `${fit(oneLine(q.name ?? '(unnamed)'), NAME_W)} ${fit(q.id, 36)}`, inverse: i === cursor, bold: shown },
      ...(shown ? [{ text: '  shown', tone: 'good' as const }] : []),
    ]);
  });
  return lines;
}
