import fs from 'node:fs';
import { diedReason, logFileFor, startComponent } from './components.js';
import { generatorSpec, generatorFiles, readGeneratorStatsFile } from './generators.js';
import { brokerReady, ensureStorageFormatted, ensureTopic, kafkaSpec, writeKafkaConfig } from './kafkaBroker.js';
import type { LabConfig } from './labConfig.js';
import { kafkaBootstrap, masterUi } from './labConfig.js';
import { acquireLock } from './lock.js';
import { labPaths, type LabPaths } from './paths.js';
import { describePortTaken, isPortFree } from './ports.js';
import { isAlive, stopProcess, tailFile } from './processes.js';
import { provision, type Provisioned } from './provision/provision.js';
import { aliveWorkers, guardedMasterEnv, masterAlive, masterSpec, prepareSparkConfDir, sparkEnv, workerSpec } from './sparkCluster.js';
import { componentOrder, readState, updateState, writeState, type ComponentRecord } from './state.js';
import { checkServing } from './serving.js';
import { stopJob, submitJob } from './submit.js';
import { ComponentDied, waitFor } from './wait.js';
import { ensurePrivateDir } from './privateDir.js';
import { existingLabKafkaAuth, writeLabKafkaClientConfig } from './kafkaAuth.js';
import { kafkaClientProperties, type KafkaClientAuth } from '../domain/kafkaClientAuth.js';

export interface UpOptions {
  config: LabConfig;
  log: (line: string) => void;
  signal: AbortSignal;
}

export interface UpResult {
  started: string[];
  alreadyRunning: string[];
  components: ComponentRecord[];
}

interface PlannedComponent {
  name: string;
  ports: Array<[number, string]>;
}

export function plannedComponents(config: LabConfig): PlannedComponent[] {
  const list: PlannedComponent[] = [
    { name: 'kafka', ports: [[config.kafkaPort, 'Kafka client listener'], [config.kafkaControllerPort, 'Kafka controller']] },
    { name: 'spark-master', ports: [[config.masterPort, 'Spark master RPC'], [config.masterUiPort, 'Spark master UI']] },
  ];
  for (let i = 1; i <= config.workers; i++) list.push({ name: `spark-worker-${i}`, ports: [[config.workerUiPort + i - 1, `Spark worker ${i} UI`]] });
  list.push({ name: 'spark-app', ports: [[config.driverUiPort, 'Spark driver UI'], [config.listenerPort, 'progress listener']] });
  for (let i = 1; i <= config.generators; i++) list.push({ name: `generator-${i}`, ports: [] });
  return list;
}

/** Which components are already up (alive by pid + start time) and which must be started. */
function splitByLiveness(paths: LabPaths, planned: PlannedComponent[]): { running: string[]; missing: PlannedComponent[] } {
  const state = readState(paths.stateFile);
  const running: string[] = [];
  const missing: PlannedComponent[] = [];
  for (const p of planned) {
    const rec = state.components[p.name];
    if (rec && isAlive(rec)) running.push(p.name);
    else missing.push(p);
  }
  return { running, missing };
}

async function checkPorts(missing: PlannedComponent[]): Promise<void> {
  const problems: string[] = [];
  for (const c of missing) {
    for (const [port, what] of c.ports) if (!(await isPortFree(port))) problems.push(describePortTaken(port, what));
  }
  if (problems.length > 0) throw new Error(`cannot start the lab:\n  ${problems.join('\n  ')}\nStop what uses these ports or choose other ports (see \`sparktop lab up --help\`).`);
}

async function startKafka(config: LabConfig, paths: LabPaths, prov: Provisioned, log: UpOptions['log'], signal: AbortSignal, auth: KafkaClientAuth): Promise<void> {
  const files = writeKafkaConfig(config, paths, auth);
  if (await ensureStorageFormatted(prov.kafkaJars, files, paths)) log('  formatted KRaft storage');
  const rec = await startComponent(paths, 'kafka', kafkaSpec(config, prov.kafkaJars, files, logFileFor(paths, 'kafka')), config.kafkaPort, kafkaBootstrap(config));
  await waitFor('Kafka broker', () => brokerReady({ bootstrap: kafkaBootstrap(config), auth }), { timeoutMs: 120_000, failFast: diedReason(rec), signal });
}

async function startSparkMaster(config: LabConfig, paths: LabPaths, prov: Provisioned, signal: AbortSignal): Promise<void> {
  const env = guardedMasterEnv(sparkEnv(prov.pythonEnv.sparkHome, prov.pythonEnv.python, config, paths), prov.uiGuardJar.jar, paths);
  const rec = await startComponent(paths, 'spark-master', masterSpec(prov.pythonEnv.sparkHome, env, config, logFileFor(paths, 'spark-master')), config.masterUiPort, masterUi(config));
  await waitFor('Spark master', () => masterAlive(config), { timeoutMs: 120_000, failFast: diedReason(rec), signal });
}

async function startSparkWorker(config: LabConfig, paths: LabPaths, prov: Provisioned, index: number, signal: AbortSignal): Promise<void> {
  const env = sparkEnv(prov.pythonEnv.sparkHome, prov.pythonEnv.python, config, paths);
  const name = `spark-worker-${index}`;
  const port = config.workerUiPort + index - 1;
  const rec = await startComponent(paths, name, workerSpec(prov.pythonEnv.sparkHome, env, config, index, paths, logFileFor(paths, name)), port, `http://127.0.0.1:${port}`);
  await waitFor(`Spark worker ${index} to register as ALIVE`, async () => {
    const m = await masterAlive(config);
    return m && aliveWorkers(m).some((w) => w.host === '127.0.0.1' && (w as { webuiaddress?: string }).webuiaddress?.endsWith(`:${port}`)) ? true : undefined;
  }, { timeoutMs: 120_000, failFast: diedReason(rec), signal });
}

async function startGenerator(config: LabConfig, paths: LabPaths, index: number, signal: AbortSignal): Promise<void> {
  const name = `generator-${index}`;
  const rec = await startComponent(paths, name, generatorSpec(config, paths, index, logFileFor(paths, name)), null, null);
  const { statsFile } = generatorFiles(paths, index);
  await waitFor(`load generator ${index} to get its first acks`, async () => {
    const s = readGeneratorStatsFile(statsFile);
    return s && s.acked > 0 ? true : undefined;
  }, { timeoutMs: 60_000, failFast: diedReason(rec), signal });
}

/** Stops the components started by a failed or interrupted `up`, newest first. */
async function rollback(paths: LabPaths, names: string[], log: UpOptions['log']): Promise<void> {
  const state = readState(paths.stateFile);
  for (const name of [...names].sort((a, b) => componentOrder(b) - componentOrder(a))) {
    const rec = state.components[name];
    if (!rec) continue;
    await stopProcess(rec, 15_000).catch(() => undefined);
    delete state.components[name];
    log(`  stopped ${name}`);
  }
  writeState(paths.stateFile, state);
}

/**
 * A job whose driver runs but whose master no longer runs its application (the master was killed
 * and started again: a standalone master keeps no record of running applications) has no executors
 * and never will: stopped and submitted again. True when it did.
 */
async function resubmitIfMasterLost(config: LabConfig, paths: LabPaths, prov: Provisioned, log: UpOptions['log'], signal: AbortSignal, started: string[]): Promise<boolean> {
  const job = (await checkServing(config, paths, ['spark-app'])).get('spark-app');
  if (!job?.lostMaster) return false;
  log(`spark-app ${job.detail}: submitting it again…`);
  const t0 = Date.now();
  await stopJob(config, paths, log, signal);
  started.push('spark-app');
  await submitJob({ config, paths, prov, resources: config.resources, log, signal, waitForFirstBatch: false });
  log(`  spark-app ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * Spark daemons started by a sparktop before the lab had authentication have no secret: a worker
 * or job started now with one could not register with them, and would fail after a long wait.
 */
function refuseMixedAuthentication(paths: LabPaths, running: string[]): void {
  const sparkRunning = running.filter((n) => n === 'spark-master' || n.startsWith('spark-worker-'));
  if (sparkRunning.length > 0 && !fs.existsSync(paths.sparkSecretFile)) {
    throw new Error(`${sparkRunning.join(', ')} run without Spark authentication (started by an older sparktop): stop the lab with \`sparktop lab down\`, then \`sparktop lab up\` starts it whole, with it.`);
  }
}

export async function labUp(opts: UpOptions): Promise<UpResult> {
  const { config, log, signal } = opts;
  const paths = labPaths(config.cacheDir);
  ensurePrivateDir(paths.labDir);
  const release = acquireLock(paths.lockFile, 'up');
  const started: string[] = [];
  try {
    log('Provisioning (cached after the first run)…');
    const prov = await provision(paths, config.python, log);
    signal.throwIfAborted();
    const planned = plannedComponents(config);
    const { running, missing } = splitByLiveness(paths, planned);
    if (missing.length === 0) {
      if (await resubmitIfMasterLost(config, paths, prov, log, signal, started)) {
        return { started, alreadyRunning: running.filter((n) => n !== 'spark-app'), components: Object.values(readState(paths.stateFile).components) };
      }
      log('The local lab is already up.');
      return { started, alreadyRunning: running, components: Object.values(readState(paths.stateFile).components) };
    }
    if (running.length > 0) log(`Already running: ${running.join(', ')}; starting ${missing.map((m) => m.name).join(', ')}.`);
    refuseMixedAuthentication(paths, running);
    await checkPorts(missing);
    updateState(paths.stateFile, (s) => {
      s.config = config;
    });
    // A Kafka about to start gets the lab's user; one already running keeps how it was started.
    const kafkaAuth = missing.some((c) => c.name === 'kafka') ? writeLabKafkaClientConfig(paths) : existingLabKafkaAuth(paths);
    prepareSparkConfDir(paths, kafkaAuth ? kafkaClientProperties(kafkaAuth) : {});
    for (const c of missing) {
      signal.throwIfAborted();
      const t0 = Date.now();
      log(`Starting ${c.name}…`);
      started.push(c.name);
      if (c.name === 'kafka') {
        await startKafka(config, paths, prov, log, signal, kafkaAuth!);
        const topic = await waitFor(`topic ${config.topic}`, () => ensureTopic({ bootstrap: kafkaBootstrap(config), auth: kafkaAuth }, config.topic, config.partitions), { timeoutMs: 60_000, signal });
        log(`  topic ${config.topic}: ${topic.partitions} partitions${topic.note ? ` (${topic.note})` : ''}`);
      } else if (c.name === 'spark-master') await startSparkMaster(config, paths, prov, signal);
      else if (c.name.startsWith('spark-worker-')) await startSparkWorker(config, paths, prov, Number(c.name.slice(13)), signal);
      else if (c.name === 'spark-app') await submitJob({ config, paths, prov, resources: config.resources, log, signal, waitForFirstBatch: false });
      else await startGenerator(config, paths, Number(c.name.slice(10)), signal);
      log(`  ${c.name} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (running.includes('spark-app')) await resubmitIfMasterLost(config, paths, prov, log, signal, started);
    return { started, alreadyRunning: running.filter((n) => !started.includes(n)), components: Object.values(readState(paths.stateFile).components) };
  } catch (err) {
    const failed = started[started.length - 1];
    if (failed && !(err instanceof ComponentDied) && !signal.aborted) {
      const rec = readState(paths.stateFile).components[failed];
      if (rec) log(`Last lines of ${rec.log}:\n${tailFile(rec.log, 15)}`);
    }
    if (started.length > 0) {
      log(signal.aborted ? 'Interrupted: stopping what was started…' : 'Stopping what was started…');
      await rollback(paths, started, log);
    }
    throw err;
  } finally {
    release();
  }
}
