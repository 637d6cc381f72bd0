import fs from 'node:fs';
import path from 'node:path';

/** Writes JSON through a temp file and a rename: a reader (or a crash) never sees a torn file. */
export function writeJsonFileAtomic(file: string, value: unknown, indent?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, indent));
  fs.renameSync(tmp, file);
}
