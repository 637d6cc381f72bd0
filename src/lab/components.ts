import fs from 'node:fs';
import path from 'node:path';
import type { LabPaths } from './paths.js';
import { isAlive, spawnDetached, tailFile, type DetachedSpec } from './processes.js';
import { updateState, type ComponentRecord } from './state.js';

export function logFileFor(paths: LabPaths, name: string): string {
  fs.mkdirSync(paths.logsDir, { recursive: true });
  return path.join(paths.logsDir, `${name}.log`);
}

/** Keeps the previous run's log as <name>.prev.log so a restart does not erase the evidence of a crash. */
export function rotateLog(file: string): void {
  if (fs.existsSync(file) && fs.statSync(file).size > 0) fs.renameSync(file, file.replace(/\.log$/, '.prev.log'));
}

/** Starts a component and records it in the lab state at once, so `lab down` can stop it even if sparktop dies next. */
export async function startComponent(
  paths: LabPaths,
  name: string,
  spec: DetachedSpec,
  port: number | null,
  url: string | null,
): Promise<ComponentRecord> {
  rotateLog(spec.logFile);
  const proc = await spawnDetached(spec);
  const record: ComponentRecord = {
    name,
    ...proc,
    port,
    url,
    log: spec.logFile,
    startedAt: new Date().toISOString(),
    command: [spec.command, ...spec.args],
  };
  updateState(paths.stateFile, (s) => {
    s.components[name] = record;
  });
  return record;
}

/** For waitFor's failFast: a reason when the component's process is gone. */
export function diedReason(rec: ComponentRecord): () => string | null {
  return () => (isAlive(rec) ? null : `process ${rec.pid} exited. Last lines of ${rec.log}:\n${tailFile(rec.log, 15)}`);
}
