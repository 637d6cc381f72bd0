import fs from 'node:fs';
import type { WatchConfig } from '../config.js';
import { labPaths, defaultCacheDir } from '../lab/paths.js';
import { readState } from '../lab/state.js';
import { LocalLabControl } from './localLab.js';
import { WatchOnly, type PipelineControl } from './types.js';

/** The implementation that can act on what is being watched; `target` forces one. */
export function selectControl(config: WatchConfig, cacheDir: string = defaultCacheDir(), target: 'local' | 'docker' | null = null): PipelineControl {
  const paths = labPaths(cacheDir);
  const lab = fs.existsSync(paths.stateFile) ? readState(paths.stateFile) : null;
  if (target === 'docker') return new WatchOnly('the Docker lab cannot be driven yet (issue #5); sparktop only watches it');
  if (target === 'local' || (config.generatorsDir !== null && lab?.config)) {
    if (!lab?.config) return new WatchOnly('the local lab is not running: start it with `sparktop lab up`');
    return new LocalLabControl(paths);
  }
  return new WatchOnly(`sparktop only watches ${config.sparkUi}: actions need the local lab (or, later, the Docker lab)`);
}
