import type { EventEmitter } from 'node:events';
import { useEffect, useRef, useState } from 'react';
import type { Key } from 'ink';
import type { WatchConfig } from '../config/watchConfig.js';
import { planHotkey } from '../control/hotkeys.js';
import { BASELINE_RESOURCES, type JobResources } from '../domain/resources.js';
import { controlSample, type ActionResult, type PipelineControl } from '../control/types.js';
import type { Derived } from '../model/derivedTypes.js';
import { derive, type ModelState } from '../model/index.js';
import type { Sample } from '../model/samples.js';
import { App, type Modal } from '../ui/App.js';
import { Dialog, fieldSpans } from '../ui/forms/Dialog.js';
import { editKey, editLine } from '../ui/forms/lineEdit.js';
import { ResubmitForm } from '../ui/forms/ResubmitForm.js';
import { appListItems, appListLines, initialCursor, moveCursor } from '../ui/forms/appList.js';
import { formKey, openResubmitForm, reviewed, type ClusterLimits, type ResubmitFormState } from '../ui/forms/resubmitForm.js';
import { progressLine, type ActionProgress } from './actionProgress.js';
import { writeExperiments } from '../record/experimentsExport.js';
import { startRedrawClock } from '../ui/redrawClock.js';

export interface LiveProps {
  model: ModelState;
  config: WatchConfig;
  control: PipelineControl;
  /** Emits 'batch' when a micro-batch arrives, so it is drawn at once rather than at the next tick. */
  news: EventEmitter;
  recorder: LiveRecorder;
  onQuit: () => void;
}

/** What the monitor records (--record, --cast) and snapshots; the live view only calls it. */
export interface LiveRecorder {
  /** Gives a sample to the model and to the recording. */
  apply: (s: Sample) => void;
  /** Adds a mark (charts, events, recording). */
  mark: (note: string) => void;
  /** Writes the current screen as .txt and .ans; throws on a write error. */
  snapshot: () => { txt: string; ans: string };
  recording: boolean;
  /** Shown first, e.g. that the recording file could not be opened. */
  firstNotice: string | null;
  /** Watches another application (id; null: --spark-ui's) and shows a query (name or id; null: the first). */
  select?: (app: string | null, query: string | null) => void;
}

type OpenDialog =
  | { kind: 'resubmit'; form: ResubmitFormState }
  | { kind: 'kill'; appId: string | null }
  | { kind: 'mark'; note: string }
  | { kind: 'apps'; cursor: number };

interface RunningAction {
  action: string;
  detail: Record<string, unknown>;
  doing: string;
  /** Long actions (resubmit, kill) are recorded when they start too, so a segment begins there. */
  recordStart: boolean;
  run: (onStep: (step: string, ms: number) => void) => Promise<ActionResult>;
}

function clusterLimits(d: Derived): ClusterLimits {
  return { totalCores: d.master.coresTotal, workerCores: d.master.largestWorker?.cores ?? null, workerMemoryMb: d.master.largestWorker?.memoryMb ?? null };
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

  const record = (action: string, detail: Record<string, unknown>, result: ActionResult | 'started', ms: number | null) => {
    const data =
      result === 'started'
        ? { action, detail, result: 'started' as const, durationMs: null, message: null }
        : controlSample(action, detail, result, ms ?? 0);
    recorder.apply({ t: Date.now(), kind: 'control', data });
  };

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

  const openResubmit = () => {
    if (control.unavailableReason) return setStatusLine(control.unavailableReason);
    if (busy.current) return setStatusLine('an action is still running');
    setDialog({ kind: 'resubmit', form: openResubmitForm(control.jobResources() ?? BASELINE_RESOURCES, clusterLimits(derived)) });
  };

  const applyResubmit = (resources: JobResources, commandLine: string, checkpointDir: string) => {
    setDialog(null);
    run({
      action: 'resubmit',
      detail: { resources, commandLine, fromApp: derived.app.id },
      doing: 'resubmitting',
      recordStart: true,
      run: (onStep) => control.resubmit(resources, { onStep, reviewed: { checkpointDir } }),
    });
  };

  const onResubmitKey = (form: ResubmitFormState, input: string, key: Key) => {
    const { state, effect } = formKey(form, editKey(input, key));
    switch (effect.kind) {
      case 'cancel':
        setDialog(null);
        setStatusLine('resubmit cancelled: nothing changed');
        return;
      case 'apply':
        if (state.review) applyResubmit(state.review.resources, state.review.commandLine, state.review.checkpointDir);
        return;
      case 'review':
        setDialog({ kind: 'resubmit', form: state });
        void control.reviewResubmit(effect.resources).then((r) =>
          setDialog((d) => (d?.kind === 'resubmit' ? { kind: 'resubmit', form: reviewed(d.form, r.ok ? { ...r, resources: effect.resources } : r) } : d)),
        );
        return;
      case 'none':
        setDialog({ kind: 'resubmit', form: state });
    }
  };

  const onKillKey = (appId: string | null, input: string, key: Key) => {
    if (input === 'y' || input === 'Y') {
      setDialog(null);
      run({ action: 'kill-job', detail: { appId }, doing: 'killing the job', recordStart: true, run: () => control.killJob() });
    } else if (input === 'n' || input === 'N' || key.escape) {
      setDialog(null);
      setStatusLine('kill cancelled: the job keeps running');
    }
  };

  const exportExperiments = () => {
    const started = Date.now();
    let result: ActionResult;
    try {
      const paths = writeExperiments(process.cwd(), derived.experiments, { at: derived.at, targetBatchMs: derived.batches.targetMs, source: config.sparkUi });
      result = { ok: true, message: `${derived.experiments.length} experiment(s) written to ${paths.md} and ${paths.csv}`, detail: paths };
    } catch (err) {
      result = { ok: false, message: `cannot write the experiments: ${err instanceof Error ? err.message : String(err)}` };
    }
    record('export-experiments', { rows: derived.experiments.length, ...result.detail }, result, Date.now() - started);
    setStatusLine(result.ok ? result.message : `failed: ${result.message}`);
  };

  const snapshot = () => {
    try {
      const paths = recorder.snapshot();
      setStatusLine(`snapshot: ${paths.txt} (and .ans)`);
    } catch (err) {
      setStatusLine(`failed: snapshot not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const onMarkKey = (note: string, input: string, key: Key) => {
    const k = editKey(input, key);
    if (k.name === 'escape') {
      setDialog(null);
      setStatusLine('mark cancelled');
    } else if (k.name === 'return') {
      const text = note.trim() || 'mark';
      recorder.mark(text);
      setDialog(null);
      setDerived(derive(model, Date.now()));
      setStatusLine(`marked: ${text}${recorder.recording ? '' : ' (not recording: the mark is on the charts only)'}`);
    } else {
      setDialog({ kind: 'mark', note: editLine(note, k, 120) });
    }
  };

  const onAppsKey = (cursor: number, input: string, key: Key) => {
    const d = derive(model, Date.now());
    const items = appListItems(d.selection);
    if (key.escape || input === 'a' || input === 'q') return setDialog(null);
    if (key.upArrow || key.downArrow) return setDialog({ kind: 'apps', cursor: moveCursor(cursor, key.upArrow ? -1 : 1, items.length) });
    if (!key.return) return;
    const item = items[cursor];
    if (!item || !recorder.select) return setDialog(null);
    setDialog(null);
    const sel = d.selection;
    if (item.kind === 'app') {
      const same = sel.apps?.find((a) => a.id === item.id)?.watched === true;
      if (same) return setStatusLine(`already watching ${item.name}`);
      // Another application's queries are its own: the first is shown until one is chosen.
      recorder.select(item.id, null);
      setStatusLine(`watching ${item.name} (${item.id}): finding its driver UI`);
    } else {
      recorder.select(sel.appRequest, item.name ?? item.id);
      setStatusLine(`showing query ${item.name ?? item.id}`);
    }
    setDerived(derive(model, Date.now()));
  };

  const onKey = (key: string) => {
    if (key === 'a') {
      if (!recorder.select) return;
      return setDialog({ kind: 'apps', cursor: initialCursor(derive(model, Date.now()).selection) });
    }
    if (key === 'm') return setDialog({ kind: 'mark', note: '' });
    if (key === 's') return snapshot();
    if (key === 'r') return openResubmit();
    if (key === 'k') {
      if (control.unavailableReason) return setStatusLine(control.unavailableReason);
      if (busy.current) return setStatusLine('an action is still running');
      return setDialog({ kind: 'kill', appId: derived.app.id });
    }
    if (key === 'e') return exportExperiments();
    const plan = planHotkey(key, control);
    if (plan === null) return;
    if (typeof plan === 'string') return setStatusLine(plan);
    run({ ...plan, recordStart: false, run: () => plan.run(control) });
  };

  const modalFor = (d: OpenDialog): Modal => {
    switch (d.kind) {
      case 'resubmit': {
        // The cluster's limits as known now (the master may answer after the form opened).
        const limits = clusterLimits(derived);
        return {
          render: (size) => <ResubmitForm form={{ ...d.form, limits }} size={size} />,
          onInput: (input, key) => {
            const open = current('resubmit');
            if (open) onResubmitKey({ ...open.form, limits }, input, key);
          },
        };
      }
      case 'mark':
        return {
          render: (size) => (
            <Dialog
              title="Mark this moment"
              keys="enter mark · esc cancel"
              size={size}
              lines={[
                fieldSpans('note:', d.note, size.width - 2),
                [],
                [{ text: ' The mark shows on the charts, in the events view, the recording and the report.', tone: 'muted' }],
              ]}
            />
          ),
          onInput: (input, key) => {
            const open = current('mark');
            if (open) onMarkKey(open.note, input, key);
          },
        };
      case 'apps':
        return {
          render: (size) => (
            <Dialog title="Applications and queries" keys="↑↓ move · enter watch · esc close" size={size} lines={appListLines(derived.selection, d.cursor, derived.at)} />
          ),
          onInput: (input, key) => {
            const open = current('apps');
            if (open) onAppsKey(open.cursor, input, key);
          },
        };
      case 'kill':
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
            const open = current('kill');
            if (open) onKillKey(open.appId, input, key);
          },
        };
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
