/** The `s` key: the screen as it is now, as plain text and as ANSI, into timestamped files. */
import path from 'node:path';
import { writeNewFiles } from '../files/outputFile.js';

export interface SnapshotPaths {
  txt: string;
  ans: string;
}

// CSI sequences (colours, cursor) and OSC sequences (hyperlinks, titles).
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function plainText(frame: string): string {
  return frame
    .replace(ESCAPES, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

const two = (n: number) => String(n).padStart(2, '0');

/** `sparktop-YYYYmmdd-HHMMSS` in local time, as the user reads the clock. */
export function snapshotBaseName(at: Date): string {
  return `sparktop-${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
}

/**
 * Writes `frame` (the last frame Ink rendered, with colour escapes) into `dir`, the .txt and the .ans
 * under one name: two snapshots in the same second get `-2`, `-3`…; an existing file is never
 * overwritten. Throws on a write error.
 */
export function writeSnapshot(frame: string, dir: string, at: Date = new Date()): SnapshotPaths {
  const base = path.join(dir, snapshotBaseName(at));
  const [txt, ans] = writeNewFiles([
    { path: `${base}.txt`, data: `${plainText(frame)}\n` },
    { path: `${base}.ans`, data: `${frame}\x1b[0m\n` },
  ]);
  return { txt: txt!, ans: ans! };
}
