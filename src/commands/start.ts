import type { LabFlags } from '../lab/labFlags.js';
import { labUpCommand, labStatusCommand } from './lab.js';

/**
 * `npm start`: brings the local lab up (if it is not already) and then opens the monitor. Until
 * the monitor exists (issue #3) it prints the lab status instead.
 */
export async function startCommand(flags: LabFlags | null): Promise<number> {
  if (flags) {
    const code = await labUpCommand(flags);
    if (code !== 0) return code;
    return 0;
  }
  process.stdout.write('The live monitor is not built yet; this is the lab status (`sparktop lab status`):\n\n');
  return labStatusCommand({});
}
