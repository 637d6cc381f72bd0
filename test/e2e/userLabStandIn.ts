/**
 * A stand-in for a lab the user has running while the e2e suite runs (test/e2e/isolation.ts): a
 * process of its own, named after the user's cache folder as the lab's processes are, listening on
 * the lab's default ports on 127.0.0.1, so a `lab up` that took the default ports would fail and a
 * `lab down` that stopped more than its own lab would stop it. It reports every connection made to
 * it. A port already taken (a real lab of the user, another program) is left to its owner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isAlive } from '../../src/lab/processes.js';

export interface UserLabStandIn {
  pid: number;
  /** The ports it listens on. */
  held: number[];
  /** The ports something else already listened on. */
  taken: number[];
  /** Connections made to each held port so far. */
  connections: () => Map<number, number>;
  alive: () => boolean;
  stop: () => Promise<void>;
}

const SCRIPT = `
const net = require('node:net');
const ports = process.argv.slice(2).map(Number);
const held = [], taken = [];
let pending = ports.length;
for (const port of ports) {
  const server = net.createServer((socket) => { process.stdout.write('connection ' + port + '\\n'); socket.destroy(); });
  const done = () => { if (--pending === 0) process.stdout.write('ready ' + JSON.stringify({ held, taken }) + '\\n'); };
  server.once('error', () => { taken.push(port); done(); });
  server.listen({ port, host: '127.0.0.1', exclusive: true }, () => { held.push(port); done(); });
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

export function startUserLabStandIn(userCacheDir: string, ports: number[]): Promise<UserLabStandIn> {
  // Its command line names the user's lab folder, as the lab's components' do (for the script,
  // process.argv of `node -e SCRIPT folder p1 p2` is [node, folder, p1, p2]).
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT, path.join(userCacheDir, 'lab'), ...ports.map(String)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connections = new Map<number, number>();
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}) before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const conn = /^connection (\d+)$/.exec(line);
        if (conn) connections.set(Number(conn[1]), (connections.get(Number(conn[1])) ?? 0) + 1);
        if (line.startsWith('ready ')) {
          const { held, taken } = JSON.parse(line.slice(6)) as { held: number[]; taken: number[] };
          child.removeAllListeners('exit');
          resolve({
            pid: child.pid!,
            held: held.sort((a, b) => a - b),
            taken: taken.sort((a, b) => a - b),
            connections: () => new Map(connections),
            alive: () => child.exitCode === null && child.signalCode === null && isAlive({ pid: child.pid!, startTime: null }),
            stop: async () => {
              if (child.exitCode !== null || child.signalCode !== null) return;
              const exited = new Promise((r) => child.once('exit', r));
              child.stdin!.end();
              await exited;
            },
          });
        }
      }
    });
  });
}
