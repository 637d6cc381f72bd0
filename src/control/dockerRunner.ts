import { execFile, execFileSync } from 'node:child_process';
import type { DockerCall } from './dockerCommands.js';

/** Runs one docker invocation and resolves with its stdout. */
export type DockerRunner = (call: DockerCall, timeoutMs: number) => Promise<string>;

function failure(call: DockerCall, stderr: string, err: Error): Error {
  const why = stderr.trim().split('\n').filter(Boolean).at(-1) ?? err.message;
  return new Error(`docker ${call.args.slice(0, 3).join(' ')} … failed: ${why}`);
}

export const runDocker: DockerRunner = (call, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile('docker', call.args, { env: { ...process.env, ...call.env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(failure(call, String(stderr), err));
      else resolve(String(stdout));
    });
  });

/** Synchronous, for the one check at start-up; null when docker is missing, fails or times out. */
export function runDockerSync(call: DockerCall, timeoutMs: number): string | null {
  try {
    return execFileSync('docker', call.args, { env: { ...process.env, ...call.env }, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
  } catch {
    return null;
  }
}
