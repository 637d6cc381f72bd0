/**
 * `sparktop serve --metrics HOST:PORT`: no screen; the same sampling and model as the monitor, and
 * `/metrics` for Prometheus (a server, a container). Runs until a stop signal.
 */
import type { WatchFlags } from '../config/watchConfig.js';
import { applySample, createModel, derive } from '../model/index.js';
import { openMetricsRenderer } from '../metrics/openMetrics.js';
import { parseMetricsAddress, startMetricsServer } from './metricsServer.js';
import { onStopSignal } from './stopSignals.js';
import { samplerFor } from './takeSnapshot.js';
import { watchConfigFor } from './watchConfig.js';
import { InvalidResource } from '../domain/resources.js';

export async function serveCommand(flags: WatchFlags & { metrics?: string }): Promise<number> {
  if (!flags.metrics) throw new InvalidResource('metrics', 'serve needs --metrics HOST:PORT (e.g. 127.0.0.1:9464)');
  const address = parseMetricsAddress(flags.metrics);
  const config = watchConfigFor(flags);
  const model = createModel({ targetBatchMs: config.targetBatchMs, topic: config.topic, advisor: config.advisor, app: config.app, query: config.queryName });
  const sampler = samplerFor(config, (s) => applySample(model, s));
  const renderMetrics = openMetricsRenderer();
  const server = await startMetricsServer(address, () => renderMetrics(derive(model, Date.now())));
  process.stdout.write(`sparktop: serving ${server.url} (watching ${config.sparkUi}, Kafka ${config.kafka}); stop with Ctrl-C\n`);
  sampler.start();
  // Being stopped is how a server ends: exit 0.
  await new Promise<void>((resolve) => {
    const dispose = onStopSignal(() => {
      dispose();
      resolve();
    });
  });
  await sampler.stop();
  await server.close();
  return 0;
}
