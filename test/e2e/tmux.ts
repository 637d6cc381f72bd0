import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SPARKTOP_NODE_FLAGS } from '../../src/lab/paths.js';
import { BIN } from './helpers.js';

/**
 * This process's own tmux server (`tmux -L`): a server keeps the environment it was started with
 * and hands it to every session, so sessions of a server the user (or another test run) started
 * would run sparktop with that environment, not this one's (test/e2e/isolation.ts). Ours starts
 * with this process's environment, and the variables that choose the lab are also given to each
 * session (`-e`). It exits with its last session; at exit it is killed in case one is left.
 */
export const TMUX_SOCKET = `sparktop-test-${process.pid}`;
const tmux = (args: string[]) => ['-L', TMUX_SOCKET, ...args];
/** What chooses the lab and the cache folder (SPARKTOP_*, XDG_CACHE_HOME) and the generator's broker. */
const LAB_ENV_PATTERN = /^(SPARKTOP_\w+|XDG_CACHE_HOME|KAFKA_BROKER)$/;
let serverUsed = false;

process.on('exit', () => {
  if (!serverUsed) return;
  try {
    execFileSync('tmux', tmux(['kill-server']), { stdio: 'ignore' });
  } catch {
    /* no server left */
  }
  // A server that exits with its last session may leave its socket file behind.
  fs.rmSync(path.join(process.env.TMUX_TMPDIR ?? os.tmpdir(), `tmux-${process.getuid?.() ?? 0}`, TMUX_SOCKET), { force: true });
});

/** sparktop in a detached tmux session of a given size, read as a person would see it. */
export class TmuxSession {
  readonly name: string;

  constructor(
    readonly columns: number,
    readonly rows: number,
    args: string[] = [],
    env: Record<string, string> = {},
  ) {
    this.name = `sparktop-test-${process.pid}-${columns}x${rows}-${Date.now()}`;
    const labEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => LAB_ENV_PATTERN.test(e[0]) && e[1] !== undefined));
    const envArgs = Object.entries({ ...labEnv, CI: 'false', TERM: 'xterm-256color', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const argv = tmux(['new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), ...envArgs, process.execPath, ...SPARKTOP_NODE_FLAGS, BIN, ...args]);
    serverUsed = true;
    // When the previous session was the server's last, the server may still be exiting: tmux then
    // says "server exited unexpectedly". A new server starts on the next try.
    for (let attempt = 1; ; attempt++) {
      try {
        execFileSync('tmux', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
        return;
      } catch (err) {
        const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
        if (attempt >= 10 || !/server exited unexpectedly|no server running|lost server/.test(stderr)) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      }
    }
  }

  capture(): string {
    return execFileSync('tmux', tmux(['capture-pane', '-p', '-t', this.name]), { encoding: 'utf8' });
  }

  lines(): string[] {
    return this.capture().replace(/\n$/, '').split('\n');
  }

  sendKeys(...keys: string[]): void {
    execFileSync('tmux', tmux(['send-keys', '-t', this.name, ...keys]));
  }

  resize(columns: number, rows: number): void {
    execFileSync('tmux', tmux(['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]));
  }

  /** The pid of the program in the pane (sparktop itself). */
  pid(): number {
    return Number(execFileSync('tmux', tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']), { encoding: 'utf8' }).trim());
  }

  alive(): boolean {
    try {
      execFileSync('tmux', tmux(['has-session', '-t', this.name]), { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', tmux(['kill-session', '-t', this.name]), { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}
