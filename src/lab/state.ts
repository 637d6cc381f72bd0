import fs from 'node:fs';
import { writeJsonFileAtomic } from '../files/jsonFile.js';
import type { ProcessRecord } from './processes.js';
import type { LabConfig } from './labConfig.js';

export interface ComponentRecord extends ProcessRecord {
  name: string;
  port: number | null;
  url: string | null;
  log: string;
  startedAt: string;
  command: string[];
}

export interface LabState {
  config: LabConfig | null;
  components: Record<string, ComponentRecord>;
  /** The command line of the last submission of the job, as it was run. */
  lastSubmit?: string;
}

export function readState(file: string): LabState {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LabState;
    return { config: parsed.config ?? null, components: parsed.components ?? {}, lastSubmit: parsed.lastSubmit };
  } catch {
    return { config: null, components: {} };
  }
}

export function writeState(file: string, state: LabState): void {
  writeJsonFileAtomic(file, state, 2);
}

export function updateState(file: string, fn: (s: LabState) => void): LabState {
  const s = readState(file);
  fn(s);
  writeState(file, s);
  return s;
}

/** Start order; `lab down` stops in reverse. */
export function componentOrder(name: string): number {
  if (name === 'kafka') return 0;
  if (name === 'spark-master') return 1;
  if (name.startsWith('spark-worker-')) return 2 + Number(name.slice('spark-worker-'.length)) / 1000;
  if (name === 'spark-app') return 3;
  if (name.startsWith('generator-')) return 4 + Number(name.slice('generator-'.length)) / 1000;
  return 5;
}
