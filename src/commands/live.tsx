import type { EventEmitter } from 'node:events';
import { useEffect, useRef, useState } from 'react';
import type { WatchConfig } from '../config/watchConfig.js';
import { planHotkey } from '../control/hotkeys.js';
import { controlSample, type ActionResult, type PipelineControl } from '../control/types.js';
import type { Derived } from '../model/derivedTypes.js';
import { derive, type ModelState } from '../model/index.js';
import { App, type Modal } from '../ui/App.js';
import { startRedrawClock } from '../ui/redrawClock.js';
import { progressLine, type ActionProgress } from './actionProgress.js';
import { appsModal, openApps } from './live/appsAction.js';
import type { LiveContext, LiveRecorder, OpenDialog, RunningAction } from './live/context.js';
import { exportExperiments, snapshot } from './live/fileActions.js';
import { killModal, openKill } from './live/killAction.js';
import { markModal } from './live/markAction.js';
import { openResubmit, resubmitModal } from './live/resubmitAction.js';

export type { LiveRecorder } from './live/context.js';

export interface LiveProps {
  model: ModelState;
  config: WatchConfig;
  control: PipelineControl;
  /** Emits 'batch' when a micro-batch arrives, so it is drawn at once rather than at the next tick. */
  news: EventEmitter;
  recorder: LiveRecorder;
  onQuit: () => void;
}

/** The live monitor: re-derives once per refresh and at once when a batch arrives (redrawClock.ts); runs the pipeline actions. */
export function Live({ model, config, control, news, recorder, onQuit }: LiveProps) {
  const [derived, setDerived] = useState<Derived>(() => derive(model, Date.now()));
  const [statusLine, setStatusLine] = useState<string | undefined>(recorder.firstNotice ?? undefined);
  const [dialog, setDialogState] = useState<OpenDialog | null>(null);
  // Keys that arrive together are handled before React renders again: they read the dialog here.
  const dialogRef = useRef<OpenDialog | null>(null);
  const setDialog = (next: OpenDialog | null | ((d: OpenDialog | null) => OpenDialog | null)) => {
    dialogRef.current = typeof next === 'function' ? next(dialogRef.current) : next;
    setDialogState(dialogRef.current);
  };
  /** The open dialog as of the last key (not the last render). */
  const current = <K extends OpenDialog['kind']>(kind: K) => {
    const d = dialogRef.current;
    return d?.kind === kind ? (d as Extract<OpenDialog, { kind: K }>) : null;
  };
  const [progress, setProgress] = useState<ActionProgress | null>(null);
  const busy = useRef(false);
  // Redraws the elapsed time of a running action once a second.
  const [, setTick] = useState(0);

  useEffect(() => {
    const clock = startRedrawClock(() => setDerived(derive(model, Date.now())), config.refreshMs);
    const onBatch = () => clock.batch();
    news.on('batch', onBatch);
    news.on('notice', setStatusLine);
    return () => {
      clock.stop();
      news.off('batch', onBatch);
      news.off('notice', setStatusLine);
    };
  }, [model, news, config.refreshMs]);

  useEffect(() => {
    if (!progress) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [progress]);

  const record = (action: string, detail: Record<string, unknown>, result: ActionResult | 'started', ms: number | null) =>
    recorder.apply({ t: Date.now(), kind: 'control', data: controlSample(action, detail, result, ms) });

  const run = (a: RunningAction) => {
    if (busy.current) {
      setStatusLine('an action is still running');
      return;
    }
    busy.current = true;
    const p: { doing: string; startedAt: number; steps: ActionProgress['steps'] } = { doing: a.doing, startedAt: Date.now(), steps: [] };
    setProgress(p);
    setStatusLine(undefined);
    if (a.recordStart) record(a.action, a.detail, 'started', null);
    const onStep = (step: string, ms: number) => {
      p.steps = [...p.steps, { step, ms }];
      setProgress({ ...p });
    };
    a.run(onStep)
      .catch((err: unknown): ActionResult => ({ ok: false, message: err instanceof Error ? err.message : String(err) }))
      .then((result) => {
        const ms = Date.now() - p.startedAt;
        record(a.action, { ...a.detail, ...result.detail }, result, ms);
        setStatusLine(`${result.ok ? '' : 'failed: '}${result.message} (${(ms / 1000).toFixed(1)} s)`);
        setDerived(derive(model, Date.now()));
      })
      .finally(() => {
        busy.current = false;
        setProgress(null);
      });
  };

  const ctx: LiveContext = {
    config,
    control,
    recorder,
    derived,
    deriveNow: () => derive(model, Date.now()),
    redraw: () => setDerived(derive(model, Date.now())),
    setStatusLine,
    setDialog,
    current,
    run,
    record,
    busy: () => busy.current,
  };

  const onKey = (key: string) => {
    if (key === 'a') return openApps(ctx);
    if (key === 'm') return setDialog({ kind: 'mark', note: '' });
    if (key === 's') return snapshot(ctx);
    if (key === 'r') return openResubmit(ctx);
    if (key === 'k') return openKill(ctx);
    if (key === 'e') return exportExperiments(ctx);
    const plan = planHotkey(key, control);
    if (plan === null) return;
    if (typeof plan === 'string') return setStatusLine(plan);
    run({ ...plan, recordStart: false, run: () => plan.run(control) });
  };

  const modalFor = (d: OpenDialog): Modal => {
    switch (d.kind) {
      case 'resubmit':
        return resubmitModal(ctx, d);
      case 'mark':
        return markModal(ctx, d);
      case 'apps':
        return appsModal(ctx, d);
      case 'kill':
        return killModal(ctx, d);
    }
  };

  return (
    <App
      derived={derived}
      onQuit={onQuit}
      color={config.color}
      ascii={config.ascii}
      statusLine={progress ? `${progressLine(progress, Date.now())}${statusLine ? ` (${statusLine})` : ''}` : statusLine}
      onKey={onKey}
      modal={dialog ? modalFor(dialog) : undefined}
      currentModal={() => (dialogRef.current ? modalFor(dialogRef.current) : undefined)}
    />
  );
}
