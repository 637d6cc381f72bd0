import type { LabPaths } from './paths.js';
import { isAlive, tailFile } from './processes.js';
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

export function formatLabStatus(status: LabStatus): string {
  if (status.components.length === 0) return 'The local lab is not running (start it with `sparktop lab up`).';
  const rows = status.components.map((c) => [c.name, c.up ? 'up' : 'DOWN', String(c.pid), c.port === null ? '–' : String(c.port), c.url ?? '–', c.log]);
  const header = ['component', 'state', 'pid', 'port', 'url', 'log'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const out = [line(header), ...rows.map(line)];
  for (const c of status.components.filter((x) => !x.up && x.lastLog)) {
    out.push('', `${c.name} is down; last lines of ${c.log}:`, ...c.lastLog!.split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n');
}
