import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** A process the lab started: identified by pid and its kernel start time, so a reused pid is never mistaken for it. */
export interface ProcessRecord {
  pid: number;
  startTime: string | null;
}

export interface DetachedSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}

/**
 * Starts a long-running lab component in its own process group, detached from sparktop, with
 * stdout and stderr appended to its log file. Arguments are an array: no shell is involved.
 */
export function spawnDetached(spec: DetachedSpec): Promise<ProcessRecord> {
  const fd = fs.openSync(spec.logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    child.once('error', (err) => {
      fs.closeSync(fd);
      reject(new Error(`cannot start ${spec.command}: ${err.message}`));
    });
    child.once('spawn', () => {
      fs.closeSync(fd);
      const pid = child.pid!;
      child.unref();
      resolve({ pid, startTime: processStartTime(pid) });
    });
  });
}

/** The fields of /proc/<pid>/stat after the command name (state first); null when unavailable. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot; null when unavailable. */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

export function isAlive(rec: ProcessRecord): boolean {
  try {
    process.kill(rec.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const fields = statFields(rec.pid);
  // A zombie has exited; its parent (not sparktop, for detached components) has not reaped it yet.
  if (fields?.[0] === 'Z') return false;
  if (rec.startTime === null || !fields) return true;
  return fields[19] === rec.startTime;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** SIGTERM to the whole process group, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(rec: ProcessRecord, graceMs = 15_000): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(rec)) return 'not-running';
  signalGroup(rec.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(rec)) return 'stopped';
    await delay(200);
  }
  signalGroup(rec.pid, 'SIGKILL');
  const hardDeadline = Date.now() + 10_000;
  while (Date.now() < hardDeadline) {
    if (!isAlive(rec)) return 'killed';
    await delay(100);
  }
  throw new Error(`process ${rec.pid} survived SIGKILL`);
}

/** The last `lines` lines of a log file (empty when it does not exist). */
export function tailFile(file: string, lines = 20): string {
  try {
    const stat = fs.statSync(file);
    const size = Math.min(stat.size, 64 * 1024);
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(size);
    fs.readSync(fd, buf, 0, size, stat.size - size);
    fs.closeSync(fd);
    return buf.toString('utf8').split('\n').filter((l) => l.length > 0).slice(-lines).join('\n');
  } catch {
    return '';
  }
}
