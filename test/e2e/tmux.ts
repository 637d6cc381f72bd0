import { execFileSync } from 'node:child_process';
import { SPARKTOP_NODE_FLAGS } from '../../src/lab/paths.js';
import { BIN } from './helpers.js';

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
    const envArgs = Object.entries({ CI: 'false', TERM: 'xterm-256color', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const argv = ['new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), ...envArgs, process.execPath, ...SPARKTOP_NODE_FLAGS, BIN, ...args];
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
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  lines(): string[] {
    return this.capture().replace(/\n$/, '').split('\n');
  }

  sendKeys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  resize(columns: number, rows: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
  }

  /** The pid of the program in the pane (sparktop itself). */
  pid(): number {
    return Number(execFileSync('tmux', ['display-message', '-p', '-t', this.name, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  }

  alive(): boolean {
    try {
      execFileSync('tmux', ['has-session', '-t', this.name], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}
