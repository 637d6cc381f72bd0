import type { WatchFlags } from '../config/watchConfig.js';
import type { Derived } from '../model/derivedTypes.js';
import { toStatusJson } from '../model/index.js';
import { formatStatusText } from './statusText.js';
import { takeSnapshot } from './takeSnapshot.js';
import { watchConfigFor } from './watchConfig.js';

/** `sparktop status [--json]`: one snapshot, no TUI. Exit 0 when every source answered, 2 when one did not. */
export async function statusCommand(flags: WatchFlags & { json?: boolean }): Promise<number> {
  const config = watchConfigFor(flags);
  const derived: Derived = await takeSnapshot(config);
  if (flags.json) process.stdout.write(`${JSON.stringify(toStatusJson(derived), null, 2)}\n`);
  else process.stdout.write(`${formatStatusText(derived, config)}\n`);
  return Object.values(derived.sources).every((s) => s.ok === true) ? 0 : 2;
}
