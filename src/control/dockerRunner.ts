import { execFile, execFileSync, type ExecFileException } from 'node:child_process';
import type { DockerCall } from './dockerCommands.js';

/** Runs one docker invocation and resolves with its stdout. */
export type DockerRunner = (call: DockerCall, timeoutMs: number) => Promise<string>;

/** Why a docker invocation failed: no `docker` on PATH, no answer in time, or it exited non-zero. */
export type DockerFailureKind = 'no-cli' | 'timeout' | 'exit';

/** A docker invocation that failed; `why` is docker's own last line of stderr, or why it did not run or answer. */
export class DockerFailure extends Error {
  constructor(
    readonly call: DockerCall,
    readonly kind: DockerFailureKind,
    readonly why: string,
  ) {
    super(`docker ${call.args.slice(0, 3).join(' ')} … failed: ${why}`);
    this.name = 'DockerFailure';
  }
}

function failure(call: DockerCall, stderr: string, err: ExecFileException, timeoutMs: number): DockerFailure {
  if (err.code === 'ENOENT') return new DockerFailure(call, 'no-cli', 'the docker CLI is not installed (no `docker` on PATH)');
  const said = stderr.trim().split('\n').filter(Boolean).at(-1);
  if (err.killed) return new DockerFailure(call, 'timeout', `no answer within ${timeoutMs / 1000} s${said ? ` (docker said: ${said})` : ''}`);
  return new DockerFailure(call, 'exit', said ?? err.message);
}

export const runDocker: DockerRunner = (call, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile('docker', call.args, { env: { ...process.env, ...call.env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(failure(call, String(stderr), err, timeoutMs));
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
