/**
 * The watch config every watching command uses: its flags, the environment and the config file
 * over the local lab's ports and topic (read from the lab's state under --cache-dir) over the
 * defaults, docs/ARCHITECTURE.md "Lab state, ports and cache". The one place that joins config and lab.
 */
import { resolveWatchConfig, type WatchConfig, type WatchFlags } from '../config/watchConfig.js';
import { labWatchDefaults } from '../lab/watchDefaults.js';

export function watchConfigFor(flags: WatchFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): WatchConfig {
  return resolveWatchConfig(flags, labWatchDefaults(flags.cacheDir, env), env, cwd);
}
