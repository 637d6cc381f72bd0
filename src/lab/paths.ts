import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the sparktop package (where spark-apps/ and bin/ live), from dist/lab or src/lab. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPARK_APPS_DIR = path.join(PACKAGE_ROOT, 'spark-apps');
export const SPARKTOP_BIN = path.join(PACKAGE_ROOT, 'bin', 'sparktop.js');
/**
 * The Node flags of the monitor, also in bin/sparktop.js's shebang and package.json's start script
 * (a unit test keeps them equal). V8's default 16 MB semi-spaces keep up to 32 MB of short-lived
 * garbage (every refresh parses a few JSON answers) in the RSS; 4 MB semi-spaces cost a few more
 * cheap scavenges and keep the RSS about 30 MB lower. The old generation is let grow 30 % past
 * what was live after a full collection: by default V8 lets it reach twice that and more before
 * collecting (the monitor's RSS rose from ~130 to ~195 MB in its first 90 s, then fell back to a
 * live heap of ~37 MB), and the pages it grew stay in the RSS. Flags only work on the command line.
 */
export const SPARKTOP_NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=30'] as const;

/** `SPARKTOP_CACHE_DIR` (the folder itself), else `$XDG_CACHE_HOME/sparktop`, else `~/.cache/sparktop`: the same for every command. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPARKTOP_CACHE_DIR) return path.resolve(env.SPARKTOP_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'sparktop');
}

export interface LabPaths {
  cacheDir: string;
  venvDir: string;
  venvPython: string;
  kafkaLibDir: string;
  connectorLibDir: string;
  mavenWorkDir: string;
  labDir: string;
  stateFile: string;
  logsDir: string;
  kafkaDataDir: string;
  kafkaConfigDir: string;
  sparkWorkDir: string;
  /** SPARK_CONF_DIR of every Spark process of the lab: log4j2.properties and spark-defaults.conf (0600: it holds the secret). */
  sparkConfDir: string;
  sparkDefaultsFile: string;
  /** The Spark authentication secret master, workers and jobs share (0600). */
  sparkSecretFile: string;
  /** The token the master UI asks of requests that change something (0600). */
  uiTokenFile: string;
  /** The lab Kafka user's password (0600). */
  kafkaPasswordFile: string;
  /** Kafka client properties with that user (0600): sparktop's clients, Kafka's tools (--command-config). */
  kafkaClientConfigFile: string;
  checkpointsDir: string;
  eventLogsDir: string;
  generatorsDir: string;
  lockFile: string;
}

export function labPaths(cacheDir: string): LabPaths {
  const venvDir = path.join(cacheDir, 'pyspark-venv');
  const labDir = path.join(cacheDir, 'lab');
  return {
    cacheDir,
    venvDir,
    venvPython: path.join(venvDir, 'bin', 'python'),
    kafkaLibDir: path.join(cacheDir, 'kafka-libs'),
    connectorLibDir: path.join(cacheDir, 'spark-kafka-connector'),
    mavenWorkDir: path.join(cacheDir, 'maven-work'),
    labDir,
    stateFile: path.join(labDir, 'state.json'),
    logsDir: path.join(labDir, 'logs'),
    kafkaDataDir: path.join(labDir, 'kafka-data'),
    kafkaConfigDir: path.join(labDir, 'kafka-config'),
    sparkWorkDir: path.join(labDir, 'spark-work'),
    sparkConfDir: path.join(labDir, 'spark-conf'),
    sparkDefaultsFile: path.join(labDir, 'spark-conf', 'spark-defaults.conf'),
    sparkSecretFile: path.join(labDir, 'spark-auth-secret'),
    uiTokenFile: path.join(labDir, 'ui-guard-token'),
    kafkaPasswordFile: path.join(labDir, 'kafka-password'),
    kafkaClientConfigFile: path.join(labDir, 'kafka-client.properties'),
    checkpointsDir: path.join(labDir, 'checkpoints'),
    eventLogsDir: path.join(labDir, 'event-logs'),
    generatorsDir: path.join(labDir, 'generators'),
    lockFile: path.join(labDir, 'lab.lock'),
  };
}
