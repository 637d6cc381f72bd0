import type { LabConfig } from './labConfig.js';
import type { LabPaths } from './paths.js';
import { isAlive, tailFile } from './processes.js';
import { checkServing } from './serving.js';
import { componentOrder, readState } from './state.js';

export interface ComponentStatus {
  name: string;
  up: boolean;
  pid: number;
  port: number | null;
  url: string | null;
  log: string;
  startedAt: string;
  /** For a component that is down: the last lines of its log. */
  lastLog?: string;
  /** Whether it does its job (lab/serving.ts), for a component that is up; absent when not asked. */
  serving?: boolean;
  /** What it serves, or why not. */
  detail?: string;
}

export interface LabStatus {
  components: ComponentStatus[];
  lastSubmit?: string;
}

export function labStatus(paths: LabPaths): LabStatus {
  const state = readState(paths.stateFile);
  const components = Object.values(state.components)
    .sort((a, b) => componentOrder(a.name) - componentOrder(b.name))
    .map((rec): ComponentStatus => {
      const up = isAlive(rec);
      const s: ComponentStatus = { name: rec.name, up, pid: rec.pid, port: rec.port, url: rec.url, log: rec.log, startedAt: rec.startedAt };
      if (!up) s.lastLog = tailFile(rec.log, 10);
      return s;
    });
  return { components, ...(state.lastSubmit ? { lastSubmit: state.lastSubmit } : {}) };
}

/** labStatus, and each live component judged by what it serves. */
export async function labStatusServing(paths: LabPaths, fallback: LabConfig): Promise<LabStatus> {
  const status = labStatus(paths);
  const config = readState(paths.stateFile).config ?? fallback;
  const up = status.components.filter((c) => c.up);
  if (up.length === 0) return status;
  const serving = await checkServing(config, paths, up.map((c) => c.name));
  for (const c of up) {
    const s = serving.get(c.name);
    if (s) Object.assign(c, s);
  }
  return status;
}

const stateWord = (c: ComponentStatus) => (!c.up ? 'DOWN' : c.serving === false ? 'NOT SERVING' : 'up');

export function formatLabStatus(status: LabStatus): string {
  if (status.components.length === 0) return 'The local lab is not running (start it with `sparktop lab up`).';
  const rows = status.components.map((c) => [c.name, stateWord(c), String(c.pid), c.port === null ? '–' : String(c.port), c.url ?? '–', c.log]);
  const header = ['component', 'state', 'pid', 'port', 'url', 'log'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const out = [line(header), ...rows.map(line)];
  for (const c of status.components.filter((x) => x.up && x.serving === false)) {
    out.push('', `${c.name} runs (pid ${c.pid}) but does not do its job: ${c.detail}${c.name === 'spark-app' ? ' (`sparktop lab up` resubmits it)' : ''}`);
  }
  for (const c of status.components.filter((x) => !x.up && x.lastLog)) {
    out.push('', `${c.name} is down; last lines of ${c.log}:`, ...c.lastLog!.split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n');
}
