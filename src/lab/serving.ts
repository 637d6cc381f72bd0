/**
 * Whether each component of the lab does its job, judged by what it serves rather than by its pid:
 * Kafka answers metadata for the topic, the master answers and lists its workers alive, each worker
 * is registered with the master, the job's driver is an application the master runs, with
 * executors, and its listener answers, each generator's stats are fresh. A process can be alive and
 * useless: after a `kill -9` of the master and `lab up`, the job's driver lives on with no master
 * and no executors.
 */
import axios from 'axios';
import fs from 'node:fs';
import { generatorFiles } from './generators.js';
import { kafkaAnswersTopic } from './kafkaBroker.js';
import { labKafkaAccess } from './kafkaAuth.js';
import { driverUi, kafkaBootstrap, listenerUrl, masterUi, type LabConfig } from './labConfig.js';
import type { LabPaths } from './paths.js';
import type { MasterJson } from './sparkCluster.js';

export interface Serving {
  serving: boolean;
  /** What it serves, or why it does not, in a few words. */
  detail: string;
  /** The job's driver runs an application its master does not (the master was restarted): resubmit. */
  lostMaster?: boolean;
}

/** A generator whose stats file is older than this is not producing (it writes them every second). */
const STATS_FRESH_MS = 10_000;
const TIMEOUT_MS = 3000;

async function getJson<T>(url: string): Promise<T | string> {
  try {
    const res = await axios.get<T>(url, { timeout: TIMEOUT_MS, signal: AbortSignal.timeout(TIMEOUT_MS), validateStatus: () => true });
    return res.status === 200 ? res.data : `HTTP ${res.status}`;
  } catch (err) {
    return (err as { code?: string }).code === 'ECONNREFUSED' ? 'connection refused' : `no answer (${(err as Error).message})`;
  }
}

type MasterWorkerUi = MasterJson['workers'][number] & { webuiaddress?: string };

/** The pure judgement, from what each endpoint answered (a string: why it did not). */
export interface ServingAnswers {
  kafka: true | string;
  master: MasterJson | string;
  driverApps: Array<{ id: string; name: string }> | string;
  executors: Array<{ id: string; isActive: boolean }> | string;
  listener: true | string;
  /** Age of each generator's stats file in ms (null: none). */
  generatorStatsAgeMs: Record<string, number | null>;
}

export function judgeServing(config: LabConfig, names: string[], a: ServingAnswers): Map<string, Serving> {
  const out = new Map<string, Serving>();
  const master = typeof a.master === 'string' ? null : a.master;
  for (const name of names) {
    if (name === 'kafka') {
      out.set(name, a.kafka === true ? { serving: true, detail: `answers metadata for ${config.topic}` } : { serving: false, detail: `no metadata for ${config.topic}: ${a.kafka}` });
    } else if (name === 'spark-master') {
      if (!master) out.set(name, { serving: false, detail: `its UI does not answer: ${a.master as string}` });
      else {
        const alive = master.workers.filter((w) => w.state === 'ALIVE').length;
        out.set(name, { serving: alive > 0, detail: `${alive} worker${alive === 1 ? '' : 's'} alive` });
      }
    } else if (name.startsWith('spark-worker-')) {
      const uiPort = config.workerUiPort + Number(name.slice('spark-worker-'.length)) - 1;
      const registered = master?.workers.some((w: MasterWorkerUi) => w.state === 'ALIVE' && (w.webuiaddress ?? '').endsWith(`:${uiPort}`));
      out.set(name, master === null ? { serving: false, detail: 'the master does not answer' } : registered ? { serving: true, detail: 'registered with the master' } : { serving: false, detail: 'not registered with the master' });
    } else if (name === 'spark-app') {
      out.set(name, judgeJob(a, master));
    } else if (name.startsWith('generator-')) {
      const age = a.generatorStatsAgeMs[name] ?? null;
      out.set(name, age !== null && age <= STATS_FRESH_MS ? { serving: true, detail: `stats ${Math.round(age / 1000)} s old` } : { serving: false, detail: age === null ? 'no stats file' : `stats ${Math.round(age / 1000)} s old: not producing` });
    }
  }
  return out;
}

function judgeJob(a: ServingAnswers, master: MasterJson | null): Serving {
  if (typeof a.driverApps === 'string') return { serving: false, detail: `its driver does not answer: ${a.driverApps}` };
  const app = a.driverApps[0];
  if (!app) return { serving: false, detail: 'its driver runs no application' };
  if (typeof a.master === 'string') return { serving: false, detail: `${app.id}: its master does not answer (${a.master})` };
  if (master && !master.activeapps.some((x) => x.id === app.id)) return { serving: false, lostMaster: true, detail: `lost its master: the master does not run ${app.id}` };
  const executors = typeof a.executors === 'string' ? null : a.executors.filter((e) => e.id !== 'driver' && e.isActive).length;
  if (executors === 0) return { serving: false, detail: `${app.id} has no executors` };
  const listener = a.listener === true ? 'listener answers' : `listener: ${a.listener}`;
  return { serving: a.listener === true && executors !== null, detail: `${app.id}, ${executors ?? '?'} executor${executors === 1 ? '' : 's'}, ${listener}` };
}

/** Asks every endpoint of the lab once, concurrently. */
export async function checkServing(config: LabConfig, paths: LabPaths, names: string[], now = Date.now()): Promise<Map<string, Serving>> {
  const has = (n: string) => names.includes(n);
  const [kafka, master, driverApps, listener] = await Promise.all([
    has('kafka') ? kafkaAnswersTopic(labKafkaAccess(config, paths), config.topic).catch((e: Error) => e.message) : Promise.resolve('not asked'),
    getJson<MasterJson>(`${masterUi(config)}/json/`),
    has('spark-app') ? getJson<Array<{ id: string; name: string }>>(`${driverUi(config)}/api/v1/applications`) : Promise.resolve('not asked'),
    has('spark-app') ? getJson<{ ok?: boolean }>(`${listenerUrl(config)}/health`).then((r) => (typeof r === 'string' ? r : true as const)) : Promise.resolve('not asked'),
  ]);
  const app = Array.isArray(driverApps) ? driverApps[0] : undefined;
  const executors = app ? await getJson<Array<{ id: string; isActive: boolean }>>(`${driverUi(config)}/api/v1/applications/${encodeURIComponent(app.id)}/allexecutors`) : 'no application';
  const generatorStatsAgeMs: Record<string, number | null> = {};
  for (const n of names.filter((x) => x.startsWith('generator-'))) {
    try {
      generatorStatsAgeMs[n] = now - fs.statSync(generatorFiles(paths, Number(n.slice('generator-'.length))).statsFile).mtimeMs;
    } catch {
      generatorStatsAgeMs[n] = null;
    }
  }
  return judgeServing(config, names, { kafka, master, driverApps, executors, listener, generatorStatsAgeMs });
}
