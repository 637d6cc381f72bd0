/** The lab's process helpers against real processes: detached groups stopped by pid, port owners, a lock held by a live process. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describePortTaken, findPortOwner, isPortFree } from '../../src/lab/ports.js';
import { isAlive, processStartTime, spawnDetached, stopProcess, tailFile } from '../../src/lab/processes.js';
import { acquireLock } from '../../src/lab/lock.js';
import { readState, writeState } from '../../src/lab/state.js';
import { tempDir } from '../support/tempDir.js';

const tmp = () => tempDir('sparktop-unit-');

describe('processes and ports', () => {
  it('starts a detached process group, knows it is alive, and stops it by pid', async () => {
    const dir = tmp();
    const log = path.join(dir, 'p.log');
    const rec = await spawnDetached({ command: process.execPath, args: ['-e', 'console.log("hello"); setInterval(() => {}, 1000)'], logFile: log });
    assert.ok(rec.startTime);
    for (let i = 0; i < 50 && tailFile(log) !== 'hello'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(isAlive(rec), true);
    assert.equal(isAlive({ pid: rec.pid, startTime: String(Number(rec.startTime) + 1) }), false, 'a reused pid is not our process');
    assert.equal(await stopProcess(rec, 5000), 'stopped');
    assert.equal(isAlive(rec), false);
    assert.equal(tailFile(log), 'hello');
  });

  it('forces a process that ignores SIGTERM', async () => {
    const dir = tmp();
    const rec = await spawnDetached({
      command: process.execPath,
      args: ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'],
      logFile: path.join(dir, 'p.log'),
    });
    for (let i = 0; i < 50 && tailFile(path.join(dir, 'p.log')) !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await stopProcess(rec, 500), 'killed');
  });

  it('names the process that holds a port', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      assert.equal(await isPortFree(port), false);
      const owner = findPortOwner(port);
      assert.equal(owner?.pid, process.pid);
      assert.match(describePortTaken(port, 'Kafka'), new RegExp(`port ${port} \\(Kafka\\) is already in use by pid ${process.pid}`));
    } finally {
      server.close();
    }
    assert.equal(await isPortFree(port), true);
    assert.equal(processStartTime(process.pid) !== null, true);
  });

  it('takes over a lock left by a dead process but not one held by a live one', async () => {
    const dir = tmp();
    const file = path.join(dir, 'lab.lock');
    fs.writeFileSync(file, JSON.stringify({ pid: 999_999_999, startTime: '1', what: 'up' }));
    acquireLock(file, 'up')();
    const other = await spawnDetached({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], logFile: path.join(dir, 'o.log') });
    try {
      fs.writeFileSync(file, JSON.stringify({ ...other, what: 'up' }));
      assert.throws(() => acquireLock(file, 'down'), new RegExp(`another sparktop \\(pid ${other.pid}\\) is running \`lab up\``));
    } finally {
      await stopProcess(other, 2000);
    }
    acquireLock(file, 'down')();
  });

  it('writes state atomically and reads a missing or torn file as empty', () => {
    const dir = tmp();
    const file = path.join(dir, 'state.json');
    assert.deepEqual(readState(file), { config: null, components: {} });
    writeState(file, { config: null, components: {} });
    fs.writeFileSync(file, '{"components": {"kaf');
    assert.deepEqual(readState(file), { config: null, components: {} });
  });
});

