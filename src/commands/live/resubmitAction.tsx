/** `r`: the resubmit form, its review, and the resubmission. */
import type { Key } from 'ink';
import { BASELINE_RESOURCES, type JobResources } from '../../domain/resources.js';
import type { Derived } from '../../model/derivedTypes.js';
import type { Modal } from '../../ui/App.js';
import { editKey } from '../../ui/forms/lineEdit.js';
import { ResubmitForm } from '../../ui/forms/ResubmitForm.js';
import { formKey, openResubmitForm, reviewed, type ClusterLimits, type ResubmitFormState } from '../../ui/forms/resubmitForm.js';
import type { LiveContext, OpenDialog } from './context.js';

function clusterLimits(d: Derived): ClusterLimits {
  return { totalCores: d.master.coresTotal, workerCores: d.master.largestWorker?.cores ?? null, workerMemoryMb: d.master.largestWorker?.memoryMb ?? null };
}

export function openResubmit(ctx: LiveContext): void {
  if (ctx.control.unavailableReason) return ctx.setStatusLine(ctx.control.unavailableReason);
  if (ctx.busy()) return ctx.setStatusLine('an action is still running');
  ctx.setDialog({ kind: 'resubmit', form: openResubmitForm(ctx.control.jobResources() ?? BASELINE_RESOURCES, clusterLimits(ctx.derived)) });
}

function applyResubmit(ctx: LiveContext, resources: JobResources, commandLine: string, checkpointDir: string): void {
  ctx.setDialog(null);
  ctx.run({
    action: 'resubmit',
    detail: { resources, commandLine, fromApp: ctx.derived.app.id },
    doing: 'resubmitting',
    recordStart: true,
    run: (onStep) => ctx.control.resubmit(resources, { onStep, reviewed: { checkpointDir } }),
  });
}

function onResubmitKey(ctx: LiveContext, form: ResubmitFormState, input: string, key: Key): void {
  const { state, effect } = formKey(form, editKey(input, key));
  switch (effect.kind) {
    case 'cancel':
      ctx.setDialog(null);
      ctx.setStatusLine('resubmit cancelled: nothing changed');
      return;
    case 'apply':
      if (state.review) applyResubmit(ctx, state.review.resources, state.review.commandLine, state.review.checkpointDir);
      return;
    case 'review':
      ctx.setDialog({ kind: 'resubmit', form: state });
      void ctx.control
        .reviewResubmit(effect.resources)
        .then((r) => ctx.setDialog((d) => (d?.kind === 'resubmit' ? { kind: 'resubmit', form: reviewed(d.form, r.ok ? { ...r, resources: effect.resources } : r) } : d)));
      return;
    case 'none':
      ctx.setDialog({ kind: 'resubmit', form: state });
  }
}

export function resubmitModal(ctx: LiveContext, d: Extract<OpenDialog, { kind: 'resubmit' }>): Modal {
  // The cluster's limits as known now (the master may answer after the form opened).
  const limits = clusterLimits(ctx.derived);
  return {
    render: (size) => <ResubmitForm form={{ ...d.form, limits }} size={size} />,
    onInput: (input, key) => {
      const open = ctx.current('resubmit');
      if (open) onResubmitKey(ctx, { ...open.form, limits }, input, key);
    },
  };
}
