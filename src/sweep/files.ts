/**
 * Where a sweep writes: its results (.md and .json) and its recording, from `-o`, `--resume` or a
 * timestamped default. A resumed sweep updates its own results; any other results file it would
 * write must be new, unless --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freeNames } from '../files/outputFile.js';

export interface SweepFiles {
  markdown: string;
  json: string;
  recording: string;
  /** The results files this run creates rather than continues (not the resumed sweep's own). */
  created: string[];
}

const withoutExtension = (file: string) => file.replace(/\.(md|json)$/, '');

export function sweepFiles(output: string | undefined, resume: string | undefined, recordFlag: string | null, now: Date, cwd = process.cwd()): SweepFiles {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  let base = path.resolve(cwd, withoutExtension(output ?? resume ?? `sweep-${stamp}.md`));
  if (output === undefined && resume === undefined) {
    // Two sweeps started in the same second: one number free for the results and the recording.
    base = withoutExtension(freeNames([`${base}.md`, `${base}.json`, ...(recordFlag ? [] : [`${base}.jsonl`])])[0]!);
  }
  const markdown = `${base}.md`;
  const json = resume ? path.resolve(cwd, resume) : `${base}.json`;
  let recording = recordFlag ? path.resolve(cwd, recordFlag) : `${base}.jsonl`;
  // A resume records into a new file: a recording has one header, at its start.
  for (let n = 2; !recordFlag && fs.existsSync(recording); n++) recording = `${base}-${n}.jsonl`;
  const ownMarkdown = resume ? `${path.resolve(cwd, withoutExtension(resume))}.md` : null;
  const created = [...(markdown === ownMarkdown ? [] : [markdown]), ...(resume ? [] : [json])];
  return { markdown, json, recording, created };
}

/** The results files that would be written over (exist and are not the resumed sweep's own). */
export function existingResults(files: SweepFiles): string[] {
  return files.created.filter((f) => fs.existsSync(f));
}
