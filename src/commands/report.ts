/** `sparktop report FILE [-o report.md]`: the recording as Markdown, on stdout or into a file. */
import fs from 'node:fs';
import path from 'node:path';
import { resolveAdvisorConfig } from '../config/watchConfig.js';
import { reportMarkdown } from '../record/report.js';
import { recordingFor } from './recordingInput.js';

/** The findings come from replaying with the advisor's settings of this command (--threshold, config file), not the recorded ones. */
export async function reportCommand(file: string, flags: { output?: string; threshold?: string[]; config?: string }): Promise<number> {
  const advisor = resolveAdvisorConfig(flags);
  const recording = await recordingFor('report', file);
  if (!recording) return 2;
  const markdown = reportMarkdown(recording, { source: path.basename(file), at: Date.now(), advisor });
  if (flags.output === undefined) {
    process.stdout.write(markdown);
    return 0;
  }
  const target = path.resolve(flags.output);
  try {
    fs.writeFileSync(target, markdown);
  } catch (err) {
    process.stderr.write(`sparktop: cannot write the report to ${target}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`report: ${target}\n`);
  return 0;
}
