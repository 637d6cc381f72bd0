import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { useEffect, useState } from 'react';
import { resolveWatchConfig, type WatchConfig, type WatchFlags } from '../config.js';
import type { Derived } from '../model/derived.js';
import { controlSample, type PipelineControl } from '../control/types.js';
import { planHotkey } from '../control/hotkeys.js';
import { selectControl } from '../control/select.js';
import { applySample, createModel, derive, type ModelState } from '../model/index.js';
import type { Sample } from '../model/samples.js';
import { App } from '../ui/App.js';
import { samplerFor } from './snapshot.js';
import { createFrameSink } from '../ui/frameSink.js';
import { enterFullScreen } from '../ui/screen.js';

interface LiveProps {
  model: ModelState;
  config: WatchConfig;
  control: PipelineControl;
  /** Emits 'batch' when a micro-batch arrives, so it is drawn at once rather than at the next tick. */
  news: EventEmitter;
  onQuit: () => void;
}

/** Re-derives once per refresh, and at once when a batch arrives; the sampler feeds the model in between. */
function Live({ model, config, control, news, onQuit }: LiveProps) {
  const [derived, setDerived] = useState<Derived>(() => derive(model, Date.now()));
  const [statusLine, setStatusLine] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const update = () => setDerived(derive(model, Date.now()));
    const timer = setInterval(update, config.refreshMs);
    news.on('batch', update);
    return () => {
      clearInterval(timer);
      news.off('batch', update);
    };
  }, [model, news, config.refreshMs]);

  const onKey = (key: string) => {
    const plan = planHotkey(key, control);
    if (plan === null) return;
    if (typeof plan === 'string') {
      setStatusLine(plan);
      return;
    }
    if (busy) {
      setStatusLine('an action is still running');
      return;
    }
    setBusy(true);
    setStatusLine(plan.doing);
    const started = Date.now();
    plan
      .run(control)
      .catch((err: unknown) => ({ ok: false, message: err instanceof Error ? err.message : String(err) }))
      .then((result) => {
        const ms = Date.now() - started;
        applySample(model, { t: Date.now(), kind: 'control', data: controlSample(plan.action, plan.detail, result, ms) });
        setStatusLine(`${result.ok ? '' : 'failed: '}${result.message} (${(ms / 1000).toFixed(1)} s)`);
        setDerived(derive(model, Date.now()));
      })
      .finally(() => setBusy(false));
  };
  return <App derived={derived} onQuit={onQuit} color={config.color} ascii={config.ascii} statusLine={statusLine} onKey={onKey} />;
}

/** `sparktop` / `sparktop monitor`: the full-screen live view. */
export async function monitorCommand(flags: WatchFlags): Promise<number> {
  const config = resolveWatchConfig(flags);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('sparktop: the monitor needs an interactive terminal; for one snapshot use `sparktop status` (or `status --json`).\n');
    return 2;
  }
  const model = createModel({ targetBatchMs: config.targetBatchMs, topic: config.topic });
  const control = selectControl(config, flags.cacheDir);
  const news = new EventEmitter();
  const sampler = samplerFor(config, (s: Sample) => {
    applySample(model, s);
    if (s.kind === 'progress' && s.data.progress.length > 0) news.emit('batch');
  });
  const restoreScreen = enterFullScreen(process.stdout);
  // Ink 6.8's incremental writer drifts by one line (see frameSink.ts): Ink renders whole frames in
  // debug mode into the sink, which rewrites only the changed lines at their absolute rows.
  const sink = createFrameSink(process.stdout);
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  const instance = render(<Live model={model} config={config} control={control} news={news} onQuit={() => quit()} />, {
    stdout: sink.stream,
    debug: true,
    exitOnCtrlC: true,
    patchConsole: false,
  });
  sampler.start();
  try {
    await Promise.race([quitting, instance.waitUntilExit()]);
  } finally {
    instance.unmount();
    await sampler.stop();
    sink.dispose();
    restoreScreen();
  }
  return 0;
}
