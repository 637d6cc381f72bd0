import type { WatchConfig } from '../config/watchConfig.js';
import type { Derived } from '../model/derivedTypes.js';
import { SNAPSHOT_HYSTERESIS } from '../model/advisor/index.js';
import { applySample, createModel, derive } from '../model/index.js';
import type { Sample } from '../model/samples.js';
import { Sampler } from '../sources/sampler.js';
import { watchedKafka } from '../config/kafkaClientFile.js';

/** A sampler watching what the configuration points at. */
export function samplerFor(config: WatchConfig, onSample: (s: Sample) => void): Sampler {
  const { bootstrap: _, ...kafkaLogin } = watchedKafka(config);
  return new Sampler({ ...config, kafkaLogin, onSample });
}

/**
 * Takes two rounds of samples one refresh apart (rates need two points) and derives one snapshot:
 * what `status` and `check` report, without a TUI. One look has no history to apply hysteresis
 * to: every advisor condition that holds (by the configured thresholds) is reported.
 */
export async function takeSnapshot(config: WatchConfig): Promise<Derived> {
  const advisor = { thresholds: config.advisor.thresholds, hysteresis: { ...config.advisor.hysteresis, ...SNAPSHOT_HYSTERESIS } };
  const model = createModel({ targetBatchMs: config.targetBatchMs, topic: config.topic, advisor, app: config.app, query: config.queryName });
  const sampler = samplerFor(config, (s) => applySample(model, s));
  try {
    await sampler.poll();
    await new Promise((r) => setTimeout(r, Math.min(config.refreshMs, 2000)));
    await sampler.poll();
    return derive(model, Date.now());
  } finally {
    await sampler.stop();
  }
}
