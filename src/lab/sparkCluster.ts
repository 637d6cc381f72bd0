import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import type { LabConfig, LabEndpoints } from './labConfig.js';
import { masterUi, masterUrl } from './labConfig.js';
import type { LabPaths } from './paths.js';
import type { DetachedSpec } from './processes.js';
import { UI_GUARD_CLASS } from './provision/uiGuardJar.js';
import { labUiToken, writeLabSparkDefaults } from './sparkAuth.js';

export interface MasterApp {
  id: string;
  name: string;
  cores: number;
  state: string;
  memoryperslave?: number;
  starttime?: number;
}

export interface MasterWorker {
  id: string;
  host: string;
  state: string;
  cores: number;
  coresused: number;
  memory: number;
  memoryused: number;
}

export interface MasterJson {
  status: string;
  workers: MasterWorker[];
  aliveworkers?: number;
  cores: number;
  coresused: number;
  memory: number;
  memoryused: number;
  activeapps: MasterApp[];
  completedapps: MasterApp[];
}

/** The environment every Spark process of the lab runs with: loopback only, modest daemon heaps. */
export function sparkEnv(sparkHome: string, python: string, config: LabConfig, paths: LabPaths): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SPARK_HOME: sparkHome,
    SPARK_LOCAL_IP: '127.0.0.1',
    SPARK_LOCAL_HOSTNAME: '127.0.0.1',
    SPARK_DAEMON_MEMORY: config.daemonMemory,
    SPARK_LOG_DIR: paths.logsDir,
    SPARK_WORKER_DIR: paths.sparkWorkDir,
    PYSPARK_PYTHON: python,
    PYSPARK_DRIVER_PYTHON: python,
    // spark-class must not pick up an unrelated Spark installation's configuration.
    SPARK_CONF_DIR: paths.sparkConfDir,
  };
}

/**
 * Spark logs every task at INFO: hundreds of lines per micro-batch. The lab keeps warnings, plus the
 * lines that say what the cluster did (registrations, executors granted and lost, app start/stop).
 */
const SPARK_LOG4J2 = `rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.master.name = org.apache.spark.deploy.master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker
logger.worker.level = info
logger.client.name = org.apache.spark.deploy.client
logger.client.level = info
logger.context.name = org.apache.spark.SparkContext
logger.context.level = info
logger.microbatch.name = org.apache.spark.sql.execution.streaming.MicroBatchExecution
logger.microbatch.level = warn
`;

/** The lab's SPARK_CONF_DIR; `kafka`: the Kafka client options the lab's job reads its input with. */
export function prepareSparkConfDir(paths: LabPaths, kafka: Record<string, string>): void {
  fs.mkdirSync(paths.sparkConfDir, { recursive: true });
  fs.writeFileSync(path.join(paths.sparkConfDir, 'log4j2.properties'), SPARK_LOG4J2);
  writeLabSparkDefaults(paths, kafka);
  fs.mkdirSync(paths.sparkWorkDir, { recursive: true });
}

/**
 * The master's UI with the guard in front (spark-apps/ui-guard): its class path and filter
 * settings. Only the token file's path is on the command line, not the token. The master keeps
 * its kill endpoints (`k` and leftover applications use them, with the token), which the lab's
 * spark-defaults.conf turns off for the jobs' UIs: a -D setting wins over that file.
 */
export function guardedMasterEnv(env: NodeJS.ProcessEnv, uiGuardJar: string, paths: LabPaths): NodeJS.ProcessEnv {
  labUiToken(paths);
  return {
    ...env,
    SPARK_DAEMON_CLASSPATH: uiGuardJar,
    SPARK_MASTER_OPTS: [`-Dspark.ui.filters=${UI_GUARD_CLASS}`, `-Dspark.${UI_GUARD_CLASS}.param.tokenFile=${paths.uiTokenFile}`, '-Dspark.ui.killEnabled=true'].join(' '),
  };
}

export function masterSpec(sparkHome: string, env: NodeJS.ProcessEnv, config: LabConfig, logFile: string): DetachedSpec {
  return {
    command: path.join(sparkHome, 'bin', 'spark-class'),
    args: [
      'org.apache.spark.deploy.master.Master',
      '--host',
      '127.0.0.1',
      '--port',
      String(config.masterPort),
      '--webui-port',
      String(config.masterUiPort),
    ],
    env,
    logFile,
  };
}

export function workerSpec(sparkHome: string, env: NodeJS.ProcessEnv, config: LabConfig, index: number, paths: LabPaths, logFile: string): DetachedSpec {
  const workDir = path.join(paths.sparkWorkDir, `worker-${index}`);
  fs.mkdirSync(workDir, { recursive: true });
  return {
    command: path.join(sparkHome, 'bin', 'spark-class'),
    args: [
      'org.apache.spark.deploy.worker.Worker',
      '--host',
      '127.0.0.1',
      '--cores',
      String(config.workerCores),
      '--memory',
      config.workerMemory,
      '--webui-port',
      String(config.workerUiPort + index - 1),
      '--work-dir',
      workDir,
      masterUrl(config),
    ],
    env,
    logFile,
  };
}

export async function fetchMaster(config: LabEndpoints): Promise<MasterJson> {
  const res = await axios.get<MasterJson>(`${masterUi(config)}/json/`, { timeout: 2000 });
  if (typeof res.data !== 'object' || res.data === null || !Array.isArray(res.data.workers)) {
    throw new Error('the master answered /json with something that is not its status');
  }
  return res.data;
}

export async function masterAlive(config: LabConfig): Promise<MasterJson | undefined> {
  const m = await fetchMaster(config);
  return m.status === 'ALIVE' ? m : undefined;
}

export function aliveWorkers(m: MasterJson): MasterWorker[] {
  return m.workers.filter((w) => w.state === 'ALIVE');
}
