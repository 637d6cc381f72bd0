import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import { buildSparkSubmit, type SubmitPlan } from '../domain/sparkSubmit.js';
import type { JobResources } from '../domain/resources.js';
import type { LabConfig, LabEndpoints } from './labConfig.js';
import { driverUi, kafkaBootstrap, listenerUrl, masterUrl } from './labConfig.js';
import type { LabPaths } from './paths.js';
import { SPARK_APPS_DIR } from './paths.js';
import { listenerConf } from './provision/listenerJar.js';
import { UI_GUARD_HEADER } from './provision/uiGuardJar.js';
import type { Provisioned } from './provision/provision.js';
import { fetchMaster, sparkEnv } from './sparkCluster.js';
import { waitFor } from './wait.js';

export const APP_NAME = 'LogsProcessor';
export const JOB_FILE = path.join(SPARK_APPS_DIR, 'spark_structured_streaming_logs_processing.py');
const CHECKPOINTS_KEPT = 3;

/** Properties the lab always sets: loopback addresses, fixed UI port, streaming metrics for sparktop. */
export function labSparkConf(config: LabConfig): Record<string, string> {
  return {
    'spark.driver.host': '127.0.0.1',
    'spark.driver.bindAddress': '127.0.0.1',
    'spark.ui.port': String(config.driverUiPort),
    'spark.sql.streaming.metricsEnabled': 'true',
    'spark.ui.prometheus.enabled': 'true',
    'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
    'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
  };
}

const EVENT_LOGS_KEPT = 5;

/**
 * Spark's event log of each submission, into the lab's own folder: rolling (a long run stays in
 * files of 16 MB, the smallest Spark allows is 10 MB) and compressed with Spark's default codec
 * (zstd). `sparktop replay/report --event-log` read it; so does a History Server.
 */
export function eventLogConf(paths: LabPaths): Record<string, string> {
  return {
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.dir': `file://${paths.eventLogsDir}`,
    'spark.eventLog.rolling.enabled': 'true',
    'spark.eventLog.rolling.maxFileSize': '16m',
    'spark.eventLog.compress': 'true',
  };
}

/** Spark needs the event log folder to exist; the oldest applications' logs beyond the last few go. */
export function prepareEventLogDir(paths: LabPaths): void {
  fs.mkdirSync(paths.eventLogsDir, { recursive: true });
  const logs = fs
    .readdirSync(paths.eventLogsDir, { withFileTypes: true })
    .map((d) => ({ name: d.name, at: fs.statSync(path.join(paths.eventLogsDir, d.name)).mtimeMs }))
    .sort((a, b) => a.at - b.at);
  for (const old of logs.slice(0, Math.max(0, logs.length - (EVENT_LOGS_KEPT - 1)))) {
    fs.rmSync(path.join(paths.eventLogsDir, old.name), { recursive: true, force: true });
  }
}

/** `<query>-<UTC stamp>`: the name of one submission's checkpoint folder. */
export function checkpointName(query: string, now = new Date()): string {
  return `${query}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/**
 * A new checkpoint folder per submission: Spark keeps the shuffle partition count and the state
 * layout in the checkpoint, so reusing one would silently ignore a changed --shuffle-partitions.
 */
export function newCheckpointDir(paths: LabPaths, query: string, now = new Date()): string {
  fs.mkdirSync(paths.checkpointsDir, { recursive: true });
  const dir = path.join(paths.checkpointsDir, checkpointName(query, now));
  const old = fs
    .readdirSync(paths.checkpointsDir)
    .filter((d) => d.startsWith(`${query}-`))
    .sort();
  for (const d of old.slice(0, Math.max(0, old.length - (CHECKPOINTS_KEPT - 1)))) {
    fs.rmSync(path.join(paths.checkpointsDir, d), { recursive: true, force: true });
  }
  return dir;
}

/** What the listener serves as the query's settings: Spark shows the trigger and the batch cap nowhere. */
export function querySettings(r: JobResources): { trigger: string; maxOffsetsPerTrigger?: number } {
  return { trigger: r.trigger ?? 'default', ...(r.maxOffsetsPerTrigger !== undefined ? { maxOffsetsPerTrigger: r.maxOffsetsPerTrigger } : {}) };
}

export function planSubmission(config: LabConfig, paths: LabPaths, prov: Provisioned, resources: JobResources, checkpoint: string): SubmitPlan {
  return buildSparkSubmit({
    sparkSubmit: path.join(prov.pythonEnv.sparkHome, 'bin', 'spark-submit'),
    master: masterUrl(config),
    appFile: JOB_FILE,
    pyFiles: [],
    jars: [...prov.connectorJars, prov.listenerJar.jar],
    resources,
    appName: APP_NAME,
    jobArgs: {
      'bootstrap-servers': kafkaBootstrap(config),
      topic: config.topic,
      'checkpoint-location': checkpoint,
      'starting-offsets': config.startingOffsets,
      query: config.query,
      // The JVM listener is attached by configuration, as to any job (sparktop attach).
      listener: 'off',
    },
    labConf: { ...labSparkConf(config), ...eventLogConf(paths), ...listenerConf({ host: '127.0.0.1', port: config.listenerPort, settings: querySettings(resources) }) },
  });
}

export function submissionEnv(plan: SubmitPlan, config: LabConfig, paths: LabPaths, prov: Provisioned): NodeJS.ProcessEnv {
  return { ...sparkEnv(prov.pythonEnv.sparkHome, prov.pythonEnv.python, config, paths), ...plan.env };
}

/** The running app of ours in the master, newer than any id in `exclude`. */
export async function findRunningApp(config: LabEndpoints, exclude: ReadonlySet<string>): Promise<string | undefined> {
  const m = await fetchMaster(config);
  const app = m.activeapps.find((a) => a.name === APP_NAME && a.state === 'RUNNING' && !exclude.has(a.id));
  return app?.id;
}

export async function driverListsApp(config: LabEndpoints, appId: string): Promise<true | undefined> {
  const res = await axios.get<Array<{ id: string }>>(`${driverUi(config)}/api/v1/applications`, { timeout: 2000 });
  return Array.isArray(res.data) && res.data.some((a) => a.id === appId) ? true : undefined;
}

export async function listenerHealthy(config: LabEndpoints): Promise<true | undefined> {
  const res = await axios.get<{ ok?: boolean }>(`${listenerUrl(config)}/health`, { timeout: 2000 });
  return res.data?.ok === true ? true : undefined;
}

export interface ProgressEvent {
  batchId: number;
  numInputRows: number;
  sources?: Array<{ endOffset?: unknown }>;
  [key: string]: unknown;
}

export async function fetchProgress(config: LabEndpoints): Promise<ProgressEvent[]> {
  const res = await axios.get<{ progress?: ProgressEvent[] }>(`${listenerUrl(config)}/progress`, { timeout: 2000 });
  return Array.isArray(res.data?.progress) ? res.data.progress : [];
}

/** Resolves once the listener has reported a micro-batch that read rows. */
export async function firstBatch(config: LabEndpoints): Promise<ProgressEvent | undefined> {
  const events = await fetchProgress(config);
  return events.find((e) => e.numInputRows > 0);
}

/** Apps of ours still holding cores in the master. */
export async function activeAppsOfOurs(config: LabEndpoints): Promise<string[]> {
  const m = await fetchMaster(config);
  return m.activeapps.filter((a) => a.name === APP_NAME).map((a) => a.id);
}

/**
 * Kills an application through the master (for an app sparktop did not start, e.g. after a crash
 * of sparktop). The local lab's master UI asks for its owner's token (`uiToken`).
 */
export async function killAppViaMaster(config: LabEndpoints, appId: string, uiToken?: string): Promise<void> {
  await axios.post(`http://127.0.0.1:${config.masterUiPort}/app/kill/`, new URLSearchParams({ id: appId, terminate: 'true' }), {
    timeout: 5000,
    maxRedirects: 0,
    headers: uiToken ? { [UI_GUARD_HEADER]: uiToken } : {},
    validateStatus: (s) => s < 400,
  });
}

/** Kills every app of ours through the master and waits until the master has freed their cores. */
export async function killOurAppsViaMaster(config: LabEndpoints, log: (line: string) => void, opts: { signal?: AbortSignal; uiToken?: string } = {}): Promise<string[]> {
  const killed = await activeAppsOfOurs(config);
  for (const appId of killed) {
    log(`  killing leftover application ${appId} through the master`);
    await killAppViaMaster(config, appId, opts.uiToken);
  }
  await waitFor('the master to free the old application\'s resources', async () => ((await activeAppsOfOurs(config)).length === 0 ? true : undefined), {
    timeoutMs: 60_000,
    signal: opts.signal,
  });
  return killed;
}

export interface AwaitAppOptions {
  /** Apps of ours that were there before the submission. */
  exclude: ReadonlySet<string>;
  mark: (step: string) => void;
  waitForFirstBatch: boolean;
  registerTimeoutMs?: number;
  failFast?: () => string | null;
  signal?: AbortSignal;
}

/** After a spark-submit: the app registers with the master, driver and listener answer, first batch. Returns the app id. */
export async function awaitSubmittedApp(config: LabEndpoints, opts: AwaitAppOptions): Promise<string> {
  const { failFast, signal } = opts;
  const appId = await waitFor('the application to register with the master', () => findRunningApp(config, opts.exclude), {
    timeoutMs: opts.registerTimeoutMs ?? 180_000,
    failFast,
    signal,
  });
  opts.mark(`submitted ${appId}`);
  await waitFor('the driver REST API', () => driverListsApp(config, appId), { timeoutMs: 120_000, failFast, signal });
  await waitFor(`the progress listener on ${listenerUrl(config)}`, () => listenerHealthy(config), { timeoutMs: 120_000, failFast, signal });
  opts.mark('driver and listener answering');
  if (opts.waitForFirstBatch) {
    const batch = await waitFor('the first micro-batch with input rows', () => firstBatch(config), { timeoutMs: 240_000, failFast, signal, intervalMs: 1000 });
    opts.mark(`first batch #${batch.batchId} (${batch.numInputRows} rows)`);
  }
  return appId;
}
