/** `m`: mark this moment with a note (charts, events, recording, report). */
import type { Key } from 'ink';
import type { Modal } from '../../ui/App.js';
import { Dialog, fieldSpans } from '../../ui/forms/Dialog.js';
import { editKey, editLine } from '../../ui/forms/lineEdit.js';
import type { LiveContext, OpenDialog } from './context.js';

function onMarkKey(ctx: LiveContext, note: string, input: string, key: Key): void {
  const k = editKey(input, key);
  if (k.name === 'escape') {
    ctx.setDialog(null);
    ctx.setStatusLine('mark cancelled');
  } else if (k.name === 'return') {
    const text = note.trim() || 'mark';
    ctx.recorder.mark(text);
    ctx.setDialog(null);
    ctx.redraw();
    ctx.setStatusLine(`marked: ${text}${ctx.recorder.recording ? '' : ' (not recording: the mark is on the charts only)'}`);
  } else {
    ctx.setDialog({ kind: 'mark', note: editLine(note, k, 120) });
  }
}

export function markModal(ctx: LiveContext, d: Extract<OpenDialog, { kind: 'mark' }>): Modal {
  return {
    render: (size) => (
      <Dialog
        title="Mark this moment"
        keys="enter mark · esc cancel"
        size={size}
        lines={[fieldSpans('note:', d.note, size.width - 2), [], [{ text: ' The mark shows on the charts, in the events view, the recording and the report.', tone: 'muted' }]]}
      />
    ),
    onInput: (input, key) => {
      const open = ctx.current('mark');
      if (open) onMarkKey(ctx, open.note, input, key);
    },
  };
}
