import { EventEmitter } from 'node:events';
import type { WatchFlags } from '../config/watchConfig.js';
import { parseTarget, selectControl } from '../control/select.js';
import { applySample, createModel, derive } from '../model/index.js';
import { openMetricsRenderer } from '../metrics/openMetrics.js';
import { parseMetricsAddress, startMetricsServer } from './metricsServer.js';
import type { Sample } from '../model/samples.js';
import { Live, type LiveRecorder } from './live.js';
import { samplerFor } from './takeSnapshot.js';
import { openRecordingSession } from '../record/session.js';
import { openFullScreen, type FullScreen } from './fullScreen.js';
import { exitCodeOf, onStopSignal, type StopSignal } from './stopSignals.js';
import { watchConfigFor } from './watchConfig.js';

/** `sparktop` / `sparktop monitor`: the full-screen live view. */
export async function monitorCommand(flags: WatchFlags & { target?: string; metrics?: string }): Promise<number> {
  const config = watchConfigFor(flags);
  const metricsAddress = flags.metrics ? parseMetricsAddress(flags.metrics) : null;
  const target = parseTarget(flags.target);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('sparktop: the monitor needs an interactive terminal; for one snapshot use `sparktop status` (or `status --json`).\n');
    return 2;
  }
  const model = createModel({ targetBatchMs: config.targetBatchMs, topic: config.topic, advisor: config.advisor, app: config.app, query: config.queryName });
  const control = selectControl(config, flags.cacheDir, target);
  // Before the screen and the recording: a taken port is an error on the normal screen. Each scrape derives anew.
  const renderMetrics = openMetricsRenderer();
  const metrics = metricsAddress ? await startMetricsServer(metricsAddress, () => renderMetrics(derive(model, Date.now()))) : null;
  const news = new EventEmitter();
  // Opened before the screen is entered, so the cast starts with the enter-full-screen bytes.
  const session = openRecordingSession({
    record: config.record,
    cast: config.cast,
    config,
    size: { columns: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 },
    onError: (message) => news.emit('notice', message),
  });
  let screen: FullScreen;
  const apply = (s: Sample) => {
    applySample(model, s);
    session.onSample(s);
  };
  const recorder: LiveRecorder = {
    apply,
    mark: (note) => applySample(model, session.mark(note)),
    snapshot: () => session.snapshot(screen.sink.lastFrame()),
    recording: session.recording,
    firstNotice: session.error() ?? (metrics ? `metrics: ${metrics.url}` : null),
    select: (app, query) => {
      sampler.setApp(app);
      apply({ t: Date.now(), kind: 'select', data: { app, query } });
    },
  };
  const sampler = samplerFor(config, (s: Sample) => {
    apply(s);
    if (s.kind === 'progress' && s.data.progress.length > 0) news.emit('batch');
  });
  const onResize = () => session.onResize(process.stdout.columns, process.stdout.rows);
  process.stdout.on('resize', onResize);
  screen = openFullScreen((quit) => <Live model={model} config={config} control={control} news={news} recorder={recorder} onQuit={quit} />, { onWrite: session.sinkTap, exitOnCtrlC: true });
  // On a signal nothing more is drawn, then the normal way out below closes the recording and the
  // cast (every sample taken so far reaches the disk).
  let stoppedBy: StopSignal | null = null;
  const disposeSignals = onStopSignal((signal) => {
    stoppedBy ??= signal;
    screen.unmount();
    screen.quit();
  });
  // The recording says what was watched from the start (replay and report read it).
  if (config.app !== null || config.queryName !== null) session.onSample({ t: Date.now(), kind: 'select', data: { app: config.app, query: config.queryName } });
  sampler.start();
  try {
    await screen.done;
  } finally {
    // The last frame stays on the alternate screen (and in the cast) until it is left.
    screen.unmount();
    await sampler.stop();
    process.stdout.off('resize', onResize);
    screen.leave();
    await session.close();
    await metrics?.close();
    disposeSignals();
  }
  return stoppedBy === null ? 0 : exitCodeOf(stoppedBy);
}
