/** `a`: the master's applications and the watched one's queries; Enter watches one. */
import type { Key } from 'ink';
import type { Modal } from '../../ui/App.js';
import { appListItems, appListLines, initialCursor, moveCursor } from '../../ui/forms/appList.js';
import { Dialog } from '../../ui/forms/Dialog.js';
import type { LiveContext, OpenDialog } from './context.js';

export function openApps(ctx: LiveContext): void {
  if (!ctx.recorder.select) return;
  ctx.setDialog({ kind: 'apps', cursor: initialCursor(ctx.deriveNow().selection) });
}

function onAppsKey(ctx: LiveContext, cursor: number, input: string, key: Key): void {
  const d = ctx.deriveNow();
  const items = appListItems(d.selection);
  if (key.escape || input === 'a' || input === 'q') return ctx.setDialog(null);
  if (key.upArrow || key.downArrow) return ctx.setDialog({ kind: 'apps', cursor: moveCursor(cursor, key.upArrow ? -1 : 1, items.length) });
  if (!key.return) return;
  const item = items[cursor];
  if (!item || !ctx.recorder.select) return ctx.setDialog(null);
  ctx.setDialog(null);
  const sel = d.selection;
  if (item.kind === 'app') {
    const same = sel.apps?.find((a) => a.id === item.id)?.watched === true;
    if (same) return ctx.setStatusLine(`already watching ${item.name}`);
    // Another application's queries are its own: the first is shown until one is chosen.
    ctx.recorder.select(item.id, null);
    ctx.setStatusLine(`watching ${item.name} (${item.id}): finding its driver UI`);
  } else {
    ctx.recorder.select(sel.appRequest, item.name ?? item.id);
    ctx.setStatusLine(`showing query ${item.name ?? item.id}`);
  }
  ctx.redraw();
}

export function appsModal(ctx: LiveContext, d: Extract<OpenDialog, { kind: 'apps' }>): Modal {
  return {
    render: (size) => <Dialog title="Applications and queries" keys="↑↓ move · enter watch · esc close" size={size} lines={appListLines(ctx.derived.selection, d.cursor, ctx.derived.at)} />,
    onInput: (input, key) => {
      const open = ctx.current('apps');
      if (open) onAppsKey(ctx, open.cursor, input, key);
    },
  };
}
