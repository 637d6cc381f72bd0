import path from 'node:path';
import { SPARK_APPS_DIR } from '../paths.js';
import { ensureJavaJar, javaSourceHash, type JavaJarSpec } from './javaJar.js';

/** The JVM StreamingQueryListener that serves /progress (spark-apps/listener/). */
export const LISTENER_CLASS = 'sparktop.listener.SparktopProgressListener';
export const LISTENER_SOURCE_DIR = path.join(SPARK_APPS_DIR, 'listener');
/** Java 8 bytecode against Spark's jars: one jar serves Spark 3.5 and 4.0 clusters. */
export const JAVAC_RELEASE = '8';

const LISTENER_JAR: JavaJarSpec = {
  what: 'the sparktop listener jar',
  sourceDir: LISTENER_SOURCE_DIR,
  release: JAVAC_RELEASE,
  jarName: 'sparktop-listener.jar',
  cacheFolder: 'listener',
};

export interface ListenerJar {
  jar: string;
  className: string;
  sourceHash: string;
}

export interface ListenerSubmitOptions {
  host?: string;
  port?: number;
  /** Served back in /progress as `settings`: what the job was told, which Spark's progress does not show. */
  settings?: { trigger?: string; maxOffsetsPerTrigger?: number; minPartitions?: number };
}

/** sha256 over the sorted relative paths and contents of the listener's Java sources, and the javac release. */
export function listenerSourceHash(sourceDir: string = LISTENER_SOURCE_DIR): string {
  return javaSourceHash(sourceDir, JAVAC_RELEASE);
}

/** The listener jar for the current sources, built once per source hash into `<cacheDir>/listener/<hash16>/`. */
export async function ensureListenerJar(cacheDir: string, sparkHome: string, log: (line: string) => void): Promise<ListenerJar> {
  const built = await ensureJavaJar(LISTENER_JAR, cacheDir, sparkHome, log);
  return { ...built, className: LISTENER_CLASS };
}

function checkedInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}

/** The Spark properties that attach the listener (class, bind address, port, the query's settings). */
export function listenerConf(opts: ListenerSubmitOptions = {}): Record<string, string> {
  const conf: Record<string, string> = { 'spark.sql.streaming.streamingQueryListeners': LISTENER_CLASS };
  if (opts.host !== undefined) conf['spark.sparktop.listener.host'] = opts.host;
  if (opts.port !== undefined) conf['spark.sparktop.listener.port'] = String(checkedInteger('port', opts.port, 0, 65535));
  const s = opts.settings ?? {};
  if (s.trigger !== undefined) conf['spark.sparktop.trigger'] = s.trigger;
  if (s.maxOffsetsPerTrigger !== undefined) {
    conf['spark.sparktop.maxOffsetsPerTrigger'] = String(checkedInteger('maxOffsetsPerTrigger', s.maxOffsetsPerTrigger, 1, Number.MAX_SAFE_INTEGER));
  }
  if (s.minPartitions !== undefined) conf['spark.sparktop.minPartitions'] = String(checkedInteger('minPartitions', s.minPartitions, 1, Number.MAX_SAFE_INTEGER));
  return conf;
}

/** spark-submit arguments that load the listener from `jar` and configure it. */
export function listenerSubmitArgs(jar: string, opts: ListenerSubmitOptions = {}): string[] {
  return ['--jars', jar, ...Object.entries(listenerConf(opts)).flatMap(([k, v]) => ['--conf', `${k}=${v}`])];
}
