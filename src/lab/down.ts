import fs from 'node:fs';
import { acquireLock } from './lock.js';
import type { LabPaths } from './paths.js';
import { waitPortFree } from './ports.js';
import { stopProcess } from './processes.js';
import { componentOrder, readState, writeState } from './state.js';

export interface DownResult {
  stopped: Array<{ name: string; pid: number; how: string }>;
  purged: string[];
}

/** Stops every component `lab up` recorded, newest first, by pid; then waits until their ports are free. */
export async function labDown(paths: LabPaths, opts: { purge: boolean; log: (line: string) => void }): Promise<DownResult> {
  const release = acquireLock(paths.lockFile, 'down');
  try {
    const state = readState(paths.stateFile);
    const recs = Object.values(state.components).sort((a, b) => componentOrder(b.name) - componentOrder(a.name));
    const stopped: DownResult['stopped'] = [];
    for (const rec of recs) {
      const how = await stopProcess(rec, rec.name === 'kafka' ? 30_000 : 20_000);
      stopped.push({ name: rec.name, pid: rec.pid, how });
      if (how !== 'not-running') opts.log(`stopped ${rec.name} (pid ${rec.pid}${how === 'killed' ? ', forced' : ''})`);
      delete state.components[rec.name];
      writeState(paths.stateFile, state);
    }
    const ports = new Set<number>();
    const c = state.config;
    if (c) {
      for (const p of [c.kafkaPort, c.kafkaControllerPort, c.masterPort, c.masterUiPort, c.driverUiPort, c.listenerPort]) ports.add(p);
      for (let i = 0; i < c.workers; i++) ports.add(c.workerUiPort + i);
    }
    for (const rec of recs) if (rec.port !== null) ports.add(rec.port);
    for (const port of ports) {
      if (!(await waitPortFree(port, 30_000))) opts.log(`warning: port ${port} is still in use after 30 s (something else may be using it)`);
    }
    const purged: string[] = [];
    if (opts.purge) {
      for (const dir of [paths.kafkaDataDir, paths.checkpointsDir, paths.sparkWorkDir, paths.generatorsDir]) {
        if (fs.existsSync(dir)) {
          fs.rmSync(dir, { recursive: true, force: true });
          purged.push(dir);
          opts.log(`deleted ${dir}`);
        }
      }
    }
    if (stopped.length === 0) opts.log('nothing was running');
    return { stopped, purged };
  } finally {
    release();
  }
}
