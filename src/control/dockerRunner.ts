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
    const remedy = dockerRemedy(kind, why);
    super(`docker ${call.args.slice(0, 3).join(' ')} … failed: ${why}${remedy ? `: ${remedy}` : ''}`);
    this.name = 'DockerFailure';
  }
}

/** What the user can do about a docker failure, when it is one of the usual set-up problems; null otherwise. */
export function dockerRemedy(kind: DockerFailureKind, why: string): string | null {
  if (kind === 'no-cli') return 'install Docker Engine with Compose v2 (docker/README.md), or watch without --target docker';
  if (/cannot connect to the docker daemon|error during connect|is the docker daemon running/i.test(why)) {
    return `start the Docker engine, or point DOCKER_HOST at one (now ${process.env.DOCKER_HOST ?? 'the default socket'})`;
  }
  if (/permission denied.*docker\.sock|docker\.sock.*permission denied/i.test(why)) return 'run sparktop as a user of the docker group, or point DOCKER_HOST at an engine you may use';
  if (/'compose' is not a docker command|unknown command:? "?docker compose|unknown shorthand flag: 'f' in -f/i.test(why)) return 'install Compose v2 (Docker\'s compose plugin): the Docker lab is driven with `docker compose`';
  if (kind === 'timeout') return 'the Docker engine is slow or stuck: `docker info` tells whether it answers';
  return null;
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
      else resolve(call.mergeStderr ? `${String(stdout)}${String(stderr)}` : String(stdout));
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
