import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SPARK_APPS_DIR } from '../paths.js';
import { run } from './exec.js';

/** The JVM StreamingQueryListener that serves /progress (spark-apps/listener/). */
export const LISTENER_CLASS = 'sparktop.listener.SparktopProgressListener';
export const LISTENER_SOURCE_DIR = path.join(SPARK_APPS_DIR, 'listener');
/** Java 8 bytecode against Spark's jars: one jar serves Spark 3.5 and 4.0 clusters. */
export const JAVAC_RELEASE = '8';
const JAR_NAME = 'sparktop-listener.jar';

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

/** javac is missing or failed; `output` is what it printed. */
export class ListenerBuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(output ? `${message}\n${output}` : message);
    this.name = 'ListenerBuildError';
  }
}

function javaSources(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaSources(full, base));
    else if (entry.name.endsWith('.java')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** sha256 over the sorted relative paths and contents of the Java sources, and the javac release. */
export function listenerSourceHash(sourceDir: string = LISTENER_SOURCE_DIR): string {
  const hash = crypto.createHash('sha256');
  hash.update(`javac --release ${JAVAC_RELEASE}\0`);
  for (const rel of javaSources(sourceDir)) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(sourceDir, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The JDK's tool: from $JAVA_HOME when it has one, else from the PATH. */
function jdkTool(name: string): string {
  const home = process.env.JAVA_HOME;
  const inHome = home ? path.join(home, 'bin', name) : '';
  return inHome && fs.existsSync(inHome) ? inHome : name;
}

async function runTool(tool: string, args: string[], what: string): Promise<void> {
  let result;
  try {
    result = await run(jdkTool(tool), args);
  } catch (err) {
    throw new ListenerBuildError(`${tool} is needed to build the sparktop listener jar and could not be run (${(err as Error).message}); install a JDK (8 or newer)`, '');
  }
  if (result.code !== 0) throw new ListenerBuildError(`${what} failed (exit code ${result.code}):`, `${result.stdout}${result.stderr}`.trim());
}

/**
 * The listener jar for the current sources, built once per source hash into
 * `<cacheDir>/listener/<hash16>/`. It is compiled in a temporary folder renamed into place when
 * complete, so a half-built jar is never returned, also when two builds race.
 */
export async function ensureListenerJar(cacheDir: string, sparkHome: string, log: (line: string) => void): Promise<ListenerJar> {
  const sourceHash = listenerSourceHash();
  const finalDir = path.join(cacheDir, 'listener', sourceHash.slice(0, 16));
  const jar = path.join(finalDir, JAR_NAME);
  const found: ListenerJar = { jar, className: LISTENER_CLASS, sourceHash };
  if (fs.existsSync(jar)) return found;

  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  const tmpDir = fs.mkdtempSync(`${finalDir}.partial-`);
  try {
    const classes = path.join(tmpDir, 'classes');
    fs.mkdirSync(classes);
    const started = Date.now();
    log(`  building the sparktop listener jar (javac --release ${JAVAC_RELEASE})`);
    const sources = javaSources(LISTENER_SOURCE_DIR).map((rel) => path.join(LISTENER_SOURCE_DIR, rel));
    const classpath = path.join(sparkHome, 'jars', '*'); // javac expands the wildcard itself
    await runTool('javac', ['--release', JAVAC_RELEASE, '-nowarn', '-encoding', 'UTF-8', '-cp', classpath, '-d', classes, ...sources], 'javac');
    await runTool('jar', ['--create', '--file', path.join(tmpDir, JAR_NAME), '-C', classes, '.'], 'jar');
    fs.rmSync(classes, { recursive: true, force: true });
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (err) {
      // another build of the same sources finished first: use its jar
      if (!fs.existsSync(jar)) throw err;
    }
    log(`  sparktop listener jar built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${jar}`);
    return found;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
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
