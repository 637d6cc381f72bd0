/** `sparktop report FILE [-o report.md [--force]]`: the recording as Markdown, on stdout or into a file. */
import fs from 'node:fs';
import path from 'node:path';
import { resolveAdvisorConfig } from '../config/watchConfig.js';
import { isFileExists, writeFileAtomic, writeNewFileAtomic } from '../files/outputFile.js';
import { openRecording } from '../record/reader.js';
import { reportMarkdownOfStream } from '../record/report.js';
import { openEventLogStream } from './eventLogInput.js';
import { recordingFor } from './recordingInput.js';

function refuseExisting(target: string): number {
  process.stderr.write(`sparktop: cannot write the report: ${target} exists; choose another name with -o, remove it, or add --force to replace it\n`);
  return 2;
}

/** The findings come from replaying with the advisor's settings of this command (--threshold, config file), not the recorded ones. */
export async function reportCommand(file: string, flags: { output?: string; force?: boolean; threshold?: string[]; config?: string; eventLog?: string }): Promise<number> {
  const advisor = resolveAdvisorConfig(flags);
  const target = flags.output === undefined ? null : path.resolve(flags.output);
  // Before the replay, which takes seconds on a long recording; the write checks again.
  if (target !== null && !flags.force && fs.existsSync(target)) return refuseExisting(target);
  // One pass over the file: a damaged line found on the way is a message too.
  const options = { source: path.basename(file), at: Date.now(), advisor };
  const eventLog = flags.eventLog;
  const markdown =
    eventLog !== undefined
      ? await recordingFor('report', async () => reportMarkdownOfStream(await openEventLogStream(eventLog), options))
      : await recordingFor('report', async () => reportMarkdownOfStream(await openRecording(file), options));
  if (markdown === null) return 2;
  if (target === null) {
    process.stdout.write(markdown);
    return 0;
  }
  try {
    if (flags.force) writeFileAtomic(target, markdown);
    else writeNewFileAtomic(target, markdown);
  } catch (err) {
    if (isFileExists(err)) return refuseExisting(target);
    process.stderr.write(`sparktop: cannot write the report to ${target}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`report: ${target}\n`);
  return 0;
}
