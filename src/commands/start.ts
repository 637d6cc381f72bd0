import type { WatchFlags } from '../config/watchConfig.js';
import type { LabFlags } from '../lab/labFlags.js';
import { labUpCommand } from './lab.js';
import { monitorCommand } from './monitor.js';

/** `npm start`: brings the local lab up (if it is not already) and opens the monitor on it. */
export async function startCommand(flags: LabFlags & Pick<WatchFlags, 'record' | 'cast' | 'color' | 'ascii' | 'threshold'>): Promise<number> {
  const code = await labUpCommand(flags);
  if (code !== 0) return code;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stdout.write('\nNot an interactive terminal: open the monitor later with `npx sparktop`.\n');
    return 0;
  }
  return monitorCommand({ cacheDir: flags.cacheDir, record: flags.record, cast: flags.cast, color: flags.color, ascii: flags.ascii, threshold: flags.threshold });
}
