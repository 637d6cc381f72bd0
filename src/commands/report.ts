/** `sparktop report FILE [-o report.md]`: the recording as Markdown, on stdout or into a file. */
import fs from 'node:fs';
import path from 'node:path';
import { reportMarkdown } from '../record/report.js';
import { recordingFor } from './recordingInput.js';

export async function reportCommand(file: string, flags: { output?: string }): Promise<number> {
  const recording = await recordingFor('report', file);
  if (!recording) return 2;
  const markdown = reportMarkdown(recording, { source: path.basename(file), at: Date.now() });
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
