/** The `s` key: the screen as it is now, as plain text and as ANSI, into timestamped files. */
import fs from 'node:fs';
import path from 'node:path';

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
 * Writes `frame` (the last frame Ink rendered, with colour escapes) into `dir`. Two snapshots in the
 * same second get `-2`, `-3`…; an existing file is never overwritten. Throws on a write error.
 */
export function writeSnapshot(frame: string, dir: string, at: Date = new Date()): SnapshotPaths {
  const base = path.join(dir, snapshotBaseName(at));
  for (let n = 1; ; n++) {
    const stem = n === 1 ? base : `${base}-${n}`;
    const paths = { txt: `${stem}.txt`, ans: `${stem}.ans` };
    try {
      fs.writeFileSync(paths.txt, `${plainText(frame)}\n`, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue;
      throw err;
    }
    fs.writeFileSync(paths.ans, `${frame}\x1b[0m\n`);
    return paths;
  }
}
