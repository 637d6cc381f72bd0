/**
 * Keeps the e2e suite off a lab the user has running: imported first by every e2e test file, so
 * that before any other module is evaluated it
 *
 * - chooses the suite's own cache folder, `<os.tmpdir()>/sparktop-e2e-XXXX/sparktop` (deleted when
 *   the process exits), or `$SPARKTOP_E2E_CACHE_HOME/sparktop` (kept: for CI, to keep the
 *   provisioned artifacts between runs);
 * - chooses free ports for every lab port, a block of consecutive ones in 20000-32000
 *   (test/e2e/freePorts.ts; the driver UI's is followed by 15 free ones, the ports Spark moves the
 *   next drivers' UIs to);
 * - sets them in process.env (`XDG_CACHE_HOME`, `SPARKTOP_CACHE_DIR`, `SPARKTOP_<NAME>_PORT`; and
 *   `KAFKA_BROKER`, the generator's broker), so every child inherits them: the CLI (runCli), the
 *   tmux sessions (their own tmux server, test/e2e/tmux.ts), spark-submit of the foreign jobs; and
 *   removes the watch variables (`SPARKTOP_KAFKA`, `SPARKTOP_SPARK_UI`, …) a user's shell may set;
 * - links the provisioned artifacts (pyspark's virtual environment, the Kafka and connector jars,
 *   the listener jars) of the default cache folder into the suite's, when provisioning would accept
 *   them there (the same checks `lab provision` makes), so they are not downloaded again; the lab's
 *   state (lab/: state file, logs, Kafka data, checkpoints, generators, lock) is the suite's own.
 *
 * What the tests expect of that lab (its URLs, cores, memory) is in test/e2e/labUnderTest.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAB_ENV } from '../../src/lab/labFlags.js';
import { defaultCacheDir, labPaths, SPARKTOP_BIN, type LabPaths } from '../../src/lab/paths.js';
import { readArtifactSet } from '../../src/lab/provision/maven.js';
import { readPythonEnv } from '../../src/lab/provision/pythonEnv.js';
import { readState } from '../../src/lab/state.js';
import type { LabPortName } from './labUnderTest.js';

/** Where each lab port sits in the block; the driver UI last, with the 15 after it (Spark's 16 tries). */
const LAYOUT: Record<LabPortName, number> = {
  kafkaPort: 0,
  kafkaControllerPort: 1,
  masterPort: 2,
  masterUiPort: 3,
  listenerPort: 4,
  workerUiPort: 5, // and 6, 7 for a second and third worker
  driverUiPort: 8,
};
const BLOCK = 8 + 16;

/** Watch settings a user's shell may hold: they would point the monitor at the user's pipeline. */
const WATCH_ENV = ['SPARKTOP_KAFKA', 'SPARKTOP_TOPIC', 'SPARKTOP_GROUP', 'SPARKTOP_SPARK_UI', 'SPARKTOP_SPARK_MASTER', 'SPARKTOP_PROGRESS_URL', 'SPARKTOP_REFRESH', 'SPARKTOP_TARGET_BATCH', 'SPARKTOP_CHECKPOINT', 'SPARKTOP_APP', 'SPARKTOP_QUERY_NAME'];

export interface Isolation {
  /** The default cache folder of the environment the suite was started in: the user's. */
  userCacheDir: string;
  /** The suite's XDG_CACHE_HOME and its sparktop cache folder. */
  cacheHome: string;
  cacheDir: string;
  /** Deleted at exit (false with SPARKTOP_E2E_CACHE_HOME). */
  temporary: boolean;
  ports: Record<LabPortName, number>;
  /** The artifact folders linked from the user's cache. */
  linked: string[];
}

function envName(key: LabPortName): string {
  const name = Object.entries(LAB_ENV).find(([, k]) => k === key)?.[0];
  if (!name) throw new Error(`no SPARKTOP_ variable for ${key}`);
  return name;
}

function choosePorts(): Record<LabPortName, number> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'freePorts.ts');
  const base = Number(execFileSync(process.execPath, ['--import', 'tsx', script, String(BLOCK)], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(base)) throw new Error(`freePorts.ts printed no port: ${base}`);
  return Object.fromEntries(Object.entries(LAYOUT).map(([k, offset]) => [k, base + offset])) as Record<LabPortName, number>;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Links what `lab provision` would accept from `from` into `to` (nothing already there is replaced). */
function linkArtifacts(from: LabPaths, to: LabPaths): string[] {
  const linked: string[] = [];
  const link = (target: string, at: string) => {
    if (exists(at)) return;
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at, 'dir');
    linked.push(at);
  };
  if (readPythonEnv(from.venvDir)) link(from.venvDir, to.venvDir);
  if (readArtifactSet(from.kafkaLibDir)) link(from.kafkaLibDir, to.kafkaLibDir);
  if (readArtifactSet(from.connectorLibDir)) link(from.connectorLibDir, to.connectorLibDir);
  // One folder per listener source hash (src/lab/provision/listenerJar.ts); a new one is built in the suite's folder.
  const listeners = path.join(from.cacheDir, 'listener');
  for (const hash of fs.existsSync(listeners) ? fs.readdirSync(listeners) : []) {
    if (/^[0-9a-f]{16}$/.test(hash) && fs.existsSync(path.join(listeners, hash, 'sparktop-listener.jar'))) link(path.join(listeners, hash), path.join(to.cacheDir, 'listener', hash));
  }
  return linked;
}

function isolate(): Isolation {
  const userCacheDir = defaultCacheDir(process.env);
  const fixed = process.env.SPARKTOP_E2E_CACHE_HOME;
  const cacheHome = fixed ? path.resolve(fixed) : fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'sparktop-e2e-'));
  const cacheDir = path.join(cacheHome, 'sparktop');
  if (path.resolve(cacheDir) === path.resolve(userCacheDir)) {
    throw new Error(`SPARKTOP_E2E_CACHE_HOME=${fixed} is the default cache's home (${userCacheDir}): the e2e suite needs a folder of its own`);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const ports = choosePorts();

  for (const name of WATCH_ENV) delete process.env[name];
  process.env.XDG_CACHE_HOME = cacheHome;
  process.env.SPARKTOP_CACHE_DIR = cacheDir;
  for (const [key, port] of Object.entries(ports)) process.env[envName(key as LabPortName)] = String(port);
  process.env.KAFKA_BROKER = `127.0.0.1:${ports.kafkaPort}`;

  const linked = linkArtifacts(labPaths(userCacheDir), labPaths(cacheDir));
  return { userCacheDir, cacheHome, cacheDir, temporary: !fixed, ports, linked };
}

export const ISOLATION: Isolation = isolate();

process.stderr.write(
  `# e2e isolation: cache ${ISOLATION.cacheDir}${ISOLATION.temporary ? ' (deleted at exit)' : ''}, ` +
    `ports ${Object.entries(ISOLATION.ports).map(([k, p]) => `${k.replace(/Port$/, '')} ${p}`).join(', ')}` +
    `${ISOLATION.linked.length ? `; linked from ${ISOLATION.userCacheDir}: ${ISOLATION.linked.map((l) => path.relative(ISOLATION.cacheDir, l)).join(', ')}` : ''}\n`,
);

let cleanedUp = false;
/** At exit: stops a lab the tests left running in the suite's cache (a failed `after`), then deletes a temporary cache. */
function cleanUp(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  const paths = labPaths(ISOLATION.cacheDir);
  if (Object.keys(readState(paths.stateFile).components).length > 0) {
    process.stderr.write('# e2e isolation: stopping the lab the tests left running\n');
    try {
      execFileSync(process.execPath, [SPARKTOP_BIN, 'lab', 'down'], { env: process.env, stdio: ['ignore', 2, 2], timeout: 180_000 });
    } catch (err) {
      process.stderr.write(`# e2e isolation: lab down failed: ${(err as Error).message}\n`);
    }
  }
  if (ISOLATION.temporary) fs.rmSync(ISOLATION.cacheHome, { recursive: true, force: true, maxRetries: 3 });
}

process.on('exit', cleanUp);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(code);
  });
}
