/** `e` and `s`: the experiments table and the screen, written to files in the working folder. */
import type { ActionResult } from '../../control/types.js';
import { writeExperiments } from '../../record/experimentsExport.js';
import type { LiveContext } from './context.js';

export function exportExperiments(ctx: LiveContext): void {
  const { derived } = ctx;
  const started = Date.now();
  let result: ActionResult;
  try {
    const paths = writeExperiments(process.cwd(), derived.experiments, { at: derived.at, targetBatchMs: derived.batches.targetMs, source: ctx.config.sparkUi });
    result = { ok: true, message: `${derived.experiments.length} experiment(s) written to ${paths.md} and ${paths.csv}`, detail: paths };
  } catch (err) {
    result = { ok: false, message: `cannot write the experiments: ${err instanceof Error ? err.message : String(err)}` };
  }
  ctx.record('export-experiments', { rows: derived.experiments.length, ...result.detail }, result, Date.now() - started);
  ctx.setStatusLine(result.ok ? result.message : `failed: ${result.message}`);
}

export function snapshot(ctx: LiveContext): void {
  try {
    const paths = ctx.recorder.snapshot();
    ctx.setStatusLine(`snapshot: ${paths.txt} (and .ans)`);
  } catch (err) {
    ctx.setStatusLine(`failed: snapshot not written: ${err instanceof Error ? err.message : String(err)}`);
  }
}
