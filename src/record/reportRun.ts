/**
 * What the run was made of, collected from the samples as they pass: the Spark applications (first
 * and last answer, start), the cluster the master reported, the generators' settings over time,
 * the control actions, marks, and each app's Spark properties.
 */
import type { ControlSample, GeneratorsSample, MasterSample, Sample, SampleKind } from '../model/samples.js';
import type { ReplayObserver } from './reportReplay.js';

export interface AppSpan {
  id: string;
  name: string | null;
  /** As the driver reports it (may be before the recording began). */
  startedAt: number | null;
  firstSeen: number;
  lastSeen: number;
  properties: Record<string, string> | null;
}

export interface RunFacts {
  kinds: Partial<Record<SampleKind, number>>;
  apps: AppSpan[];
  /** The last master answer, and the most workers / cores seen alive at once. */
  master: MasterSample | null;
  peak: { workers: number; cores: number; memoryMb: number };
  /** One entry per change of the generators' settings (name, target, paused): when it began, and the last sample of it. */
  generators: Array<{ t: number; data: GeneratorsSample }>;
  controls: Array<{ t: number; data: ControlSample }>;
  marks: Array<{ t: number; note: string }>;
}

const settingsKey = (g: GeneratorsSample) => JSON.stringify(g.generators.map((x) => [x.name, x.targetRps, x.paused]));

export function createRunCollector(): ReplayObserver & { facts(): RunFacts } {
  const facts: RunFacts = { kinds: {}, apps: [], master: null, peak: { workers: 0, cores: 0, memoryMb: 0 }, generators: [], controls: [], marks: [] };
  const apps = new Map<string, AppSpan>();
  let lastSettings = '';
  const seenApp = (t: number, id: string): AppSpan => {
    let app = apps.get(id);
    if (!app) apps.set(id, (app = { id, name: null, startedAt: null, firstSeen: t, lastSeen: t, properties: null }));
    app.firstSeen = Math.min(app.firstSeen, t);
    app.lastSeen = Math.max(app.lastSeen, t);
    return app;
  };
  return {
    after(s: Sample) {
      facts.kinds[s.kind] = (facts.kinds[s.kind] ?? 0) + 1;
      switch (s.kind) {
        case 'executors': {
          const app = seenApp(s.t, s.data.appId);
          app.name = s.data.appName;
          app.startedAt = s.data.appStartedAt ?? app.startedAt;
          app.properties = s.data.sparkProperties ?? app.properties;
          break;
        }
        case 'stages':
        case 'jobs':
          seenApp(s.t, s.data.appId);
          break;
        case 'master': {
          facts.master = s.data;
          const alive = s.data.workers.filter((w) => w.state === 'ALIVE');
          facts.peak.workers = Math.max(facts.peak.workers, alive.length);
          facts.peak.cores = Math.max(facts.peak.cores, s.data.cores);
          facts.peak.memoryMb = Math.max(facts.peak.memoryMb, s.data.memory);
          break;
        }
        case 'generators': {
          const key = settingsKey(s.data);
          if (key !== lastSettings) facts.generators.push({ t: s.t, data: s.data });
          else facts.generators.at(-1)!.data = s.data;
          lastSettings = key;
          break;
        }
        case 'control':
          facts.controls.push({ t: s.t, data: s.data });
          break;
        case 'mark':
          facts.marks.push({ t: s.t, note: s.data.note });
          break;
      }
    },
    facts: () => ({ ...facts, apps: [...apps.values()].sort((a, b) => a.firstSeen - b.firstSeen) }),
  };
}
