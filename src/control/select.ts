import fs from 'node:fs';
import path from 'node:path';
import type { WatchConfig } from '../config/watchConfig.js';
import { labPaths, defaultCacheDir } from '../lab/paths.js';
import { readState } from '../lab/state.js';
import { InvalidResource } from '../domain/resources.js';
import { DockerLabControl, dockerLabRunning } from './dockerLab.js';
import { LocalLabControl } from './localLab.js';
import { WatchOnly, type PipelineControl } from './types.js';

/** `--target docker|local`; absent = detect. */
export function parseTarget(value: string | undefined): 'local' | 'docker' | null {
  if (value === undefined) return null;
  if (value === 'local' || value === 'docker') return value;
  throw new InvalidResource('target', `expected docker or local, got "${value}"`);
}

/** The implementation that can act on what is being watched; `target` forces one. */
export function selectControl(config: WatchConfig, cacheDir: string = defaultCacheDir(), target: 'local' | 'docker' | null = null): PipelineControl {
  const paths = labPaths(cacheDir);
  const lab = fs.existsSync(paths.stateFile) ? readState(paths.stateFile) : null;
  const port = (url: string) => Number(new URL(url).port || 80);
  const docker = () =>
    new DockerLabControl({
      endpoints: { masterUiPort: port(config.sparkMaster), driverUiPort: port(config.sparkUi), listenerPort: port(config.progressUrl) },
      stateFile: path.join(cacheDir, 'docker-lab.json'),
    });
  if (target === 'docker') return docker();
  if (target === 'local' || (config.generatorsDir !== null && lab?.config)) {
    if (!lab?.config) return new WatchOnly('the local lab is not running: start it with `sparktop lab up`');
    return new LocalLabControl(paths);
  }
  if (target === null && dockerLabRunning()) return docker();
  return new WatchOnly(`sparktop only watches ${config.sparkUi}: actions need the local lab or the Docker lab`);
}
