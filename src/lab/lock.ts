import fs from 'node:fs';
import path from 'node:path';
import { isAlive, processStartTime } from './processes.js';
import { ensurePrivateDir } from './privateDir.js';

interface LockHolder {
  pid: number;
  startTime: string | null;
  what: string;
}

/** The lab is busy with another change (lab up/down/submit, or another hotkey's). */
export class LabBusy extends Error {
  constructor(readonly holder: LockHolder) {
    super(
      holder.pid === process.pid
        ? `this sparktop is still running \`lab ${holder.what}\`; wait for it to finish`
        : `another sparktop (pid ${holder.pid}) is running \`lab ${holder.what}\`; wait for it to finish`,
    );
  }
}

/** Locks this process holds: another action of the same process (a hotkey during a resubmission) must wait too. */
const heldHere = new Set<string>();

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return typeof h?.pid === 'number' ? h : null;
  } catch {
    return null;
  }
}

/**
 * One attempt: the release function, the live holder, or 'stale' when a dead holder's lock was
 * removed (try again). The holder's record is written aside and then linked into place, so the lock
 * file never exists half-written: a reader finds it whole or not at all.
 */
function tryLock(file: string, what: string): (() => void) | LockHolder | 'stale' {
  const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(aside, JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), what }), { mode: 0o600 });
  try {
    fs.linkSync(aside, file);
    heldHere.add(file);
    return () => {
      heldHere.delete(file);
      if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = readHolder(file);
    const live = holder !== null && (holder.pid === process.pid ? heldHere.has(file) : isAlive(holder));
    if (live) return holder;
    // Left by a process that is gone (or unreadable: written by an older sparktop): taken over.
    fs.rmSync(file, { force: true });
    return 'stale';
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function acquireLockOnce(file: string, what: string): (() => void) | LockHolder {
  ensurePrivateDir(path.dirname(file));
  let result = tryLock(file, what);
  if (result === 'stale') result = tryLock(file, what);
  if (result === 'stale') throw new Error(`cannot take the lab lock ${file}`);
  return result;
}

/**
 * One change of the lab at a time (`lab up`/`down`/`submit`, hotkeys acting on generators or the
 * job); a lock left by a dead process is taken over. `waitMs`: how long to wait for a live holder
 * (hotkeys wait out a short change; commands fail at once). Throws LabBusy naming the holder.
 */
export async function acquireLabLock(file: string, what: string, waitMs = 0): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const release = acquireLockOnce(file, what);
    if (typeof release === 'function') return release;
    if (Date.now() >= deadline) throw new LabBusy(release);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Synchronous form for the commands (`lab up`, `down`, `submit`): fails at once when the lab is busy. */
export function acquireLock(file: string, what: string): () => void {
  const release = acquireLockOnce(file, what);
  if (typeof release === 'function') return release;
  throw new LabBusy(release);
}
