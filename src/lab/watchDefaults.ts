/**
 * What the monitor watches by default when the local lab runs: its ports and topic from the lab's
 * state file, and its generator stats folder (docs/ARCHITECTURE.md "Lab state, ports and cache").
 * The commands pass it to resolveWatchConfig (src/commands/watchConfig.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './processes.js';
import type { LabWatchDefaults } from '../config/watchConfig.js';
import { defaultCacheDir, labPaths } from './paths.js';
import { readState } from './state.js';

/** The lab under `--cache-dir` (relative to the process's folder), else under the default cache folder of `env`. */
export function labWatchDefaults(cacheDirFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): LabWatchDefaults {
  const paths = labPaths(cacheDirFlag ? path.resolve(cacheDirFlag) : defaultCacheDir(env));
  const state = readState(paths.stateFile);
  const lab = state.config;
  const kafka = state.components.kafka;
  return {
    kafkaPort: lab?.kafkaPort,
    // Only while the lab's Kafka runs: a Kafka on that port otherwise (the Docker lab's) is not it.
    kafkaClientConfig: kafka && isAlive(kafka) && fs.existsSync(paths.kafkaClientConfigFile) ? paths.kafkaClientConfigFile : undefined,
    kafkaClientConfigKept: fs.existsSync(paths.kafkaClientConfigFile) ? paths.kafkaClientConfigFile : undefined,
    topic: lab?.topic,
    driverUiPort: lab?.driverUiPort,
    masterUiPort: lab?.masterUiPort,
    listenerPort: lab?.listenerPort,
    generatorsDir: paths.generatorsDir,
  };
}
