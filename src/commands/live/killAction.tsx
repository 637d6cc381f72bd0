/** `k`: kill the Spark job, after a yes. */
import type { Key } from 'ink';
import type { Modal } from '../../ui/App.js';
import { Dialog } from '../../ui/forms/Dialog.js';
import type { LiveContext, OpenDialog } from './context.js';

export function openKill(ctx: LiveContext): void {
  if (ctx.control.unavailableReason) return ctx.setStatusLine(ctx.control.unavailableReason);
  if (ctx.busy()) return ctx.setStatusLine('an action is still running');
  ctx.setDialog({ kind: 'kill', appId: ctx.derived.app.id });
}

function onKillKey(ctx: LiveContext, appId: string | null, input: string, key: Key): void {
  if (input === 'y' || input === 'Y') {
    ctx.setDialog(null);
    ctx.run({ action: 'kill-job', detail: { appId }, doing: 'killing the job', recordStart: true, run: () => ctx.control.killJob() });
  } else if (input === 'n' || input === 'N' || key.escape) {
    ctx.setDialog(null);
    ctx.setStatusLine('kill cancelled: the job keeps running');
  }
}

export function killModal(ctx: LiveContext, d: Extract<OpenDialog, { kind: 'kill' }>): Modal {
  return {
    render: (size) => (
      <Dialog
        title="Kill the Spark job"
        keys="y kill · n/esc keep"
        size={size}
        lines={[
          [{ text: ` Kill ${d.appId ?? 'the running job'}?`, bold: true }],
          [],
          [{ text: ' The generators keep writing: the lag grows until the job is resubmitted (r).', tone: 'muted' }],
        ]}
      />
    ),
    onInput: (input, key) => {
      const open = ctx.current('kill');
      if (open) onKillKey(ctx, open.appId, input, key);
    },
  };
}
