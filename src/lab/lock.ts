import fs from 'node:fs';
import path from 'node:path';
import { isAlive, processStartTime } from './processes.js';

/** One `lab up`/`down`/`submit` at a time; a lock left by a dead process is taken over. */
export function acquireLock(file: string, what: string): () => void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), what }));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid: number; startTime: string | null; what: string } | null = null;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        /* torn lock file: treat as stale */
      }
      if (holder && holder.pid !== process.pid && isAlive(holder)) {
        throw new Error(`another sparktop (pid ${holder.pid}) is running \`lab ${holder.what}\`; wait for it to finish`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot take the lab lock ${file}`);
}
