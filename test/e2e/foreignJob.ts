/**
 * Jobs sparktop did not write, submitted to the live lab's master as their owners would: the
 * independent PySpark and Java jobs of test/jobs, with whatever options the test gives (those
 * `sparktop attach --json` prints, or none). Started as process-group leaders and stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labConfigFromFlags } from '../../src/lab/labFlags.js';
import { labPaths } from '../../src/lab/paths.js';
import { run } from '../../src/lab/provision/exec.js';
import { readPythonEnv } from '../../src/lab/provision/pythonEnv.js';
import { sparkEnv } from '../../src/lab/sparkCluster.js';
import { existingLabUiToken } from '../../src/lab/sparkAuth.js';
import { killAppViaMaster } from '../../src/lab/sparkJob.js';
import { eventually, ROOT, runCli } from './helpers.js';

const MIN = 60_000;
export const PY_JOB = path.join(ROOT, 'test', 'jobs', 'crash_counts_job.py');
const JAVA_JOB = path.join(ROOT, 'test', 'jobs', 'CrashCountsJob.java');

/** The Python job's maxOffsetsPerTrigger: a batch at it drains a backlog. */
export const FOREIGN_MAX_OFFSETS = 40_000;

export interface ForeignJob {
  child: ChildProcess;
  checkpoint: string;
  /** Everything the driver printed (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
}

function lab() {
  const config = labConfigFromFlags({});
  const paths = labPaths(config.cacheDir);
  const env = readPythonEnv(paths.venvDir);
  if (!env) throw new Error('pyspark is not provisioned (sparktop lab provision)');
  return { config, paths, env };
}

/** The Kafka connector jars the lab submits its own job with (a foreign job brings its own). */
function connectorJars(): string[] {
  const { paths } = lab();
  const dir = paths.connectorLibDir;
  const jars: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.jar') && !fs.existsSync(path.join(lab().env.sparkHome, 'jars', e.name))) jars.push(full);
    }
  };
  walk(dir);
  return jars;
}

/** The conf prefix test/jobs/* copy into their Kafka source's options (the lines `attach --lab` prints). */
const JOBS_KAFKA_CONF_PREFIX = 'spark.sparktop.kafka.';

async function attachJson(extra: string[]): Promise<{ args: string[]; labArgs?: string[] }> {
  const r = await runCli(['attach', '--json', ...extra], { timeoutMs: 10 * MIN });
  if (r.code !== 0) throw new Error(`sparktop attach failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { args: string[]; labArgs?: string[]; kafkaConfPrefix?: string; kafkaOptions?: string[] };
  if (extra.includes('--lab') && (out.kafkaConfPrefix !== JOBS_KAFKA_CONF_PREFIX || out.kafkaOptions?.join() !== 'kafka.security.protocol,kafka.sasl.mechanism,kafka.sasl.jaas.config')) {
    throw new Error(`sparktop attach --lab --json names other Kafka options than the test jobs copy: ${r.stdout}`);
  }
  return out;
}

/** `sparktop attach --lab --json` → its spark-submit arguments: the listener's and the lab's secret. */
export async function attachArgs(extra: string[] = []): Promise<string[]> {
  return (await attachJson(['--lab', ...extra])).args;
}

/** Only what a job needs to run on the lab (`labArgs` of `sparktop attach --lab --json`): the job without the listener. */
export async function labAccessArgs(): Promise<string[]> {
  const { labArgs } = await attachJson(['--lab']);
  if (!labArgs) throw new Error('sparktop attach --lab --json printed no labArgs');
  return labArgs;
}

/** The attach options with the connector jars added to its --jars list (spark-submit keeps only the last --jars). */
function withConnector(options: string[]): string[] {
  const jars = connectorJars();
  const i = options.indexOf('--jars');
  if (i < 0) return ['--jars', jars.join(','), ...options];
  const out = [...options];
  out[i + 1] = [...jars, out[i + 1]!].join(',');
  return out;
}

export async function compileJavaJob(): Promise<string> {
  const { env, paths } = lab();
  // In the suite's cache folder, deleted with it (test/e2e/isolation.ts).
  const dir = fs.mkdtempSync(path.join(paths.cacheDir, 'java-job-'));
  const classes = path.join(dir, 'classes');
  fs.mkdirSync(classes);
  const javac = await run('javac', ['--release', '17', '-nowarn', '-cp', path.join(env.sparkHome, 'jars', '*'), '-d', classes, JAVA_JOB]);
  if (javac.code !== 0) throw new Error(`javac failed:\n${javac.stderr}`);
  const jar = path.join(dir, 'crash-counts-job.jar');
  const packed = await run('jar', ['--create', '--file', jar, '-C', classes, '.']);
  if (packed.code !== 0) throw new Error(`jar failed:\n${packed.stderr}`);
  return jar;
}

/** Submits a foreign job to the lab's master with `options` (the attach options, or none) and the Kafka connector. */
export function submitForeignJob(kind: 'python' | 'java', options: string[], javaJar?: string, jobArgs: string[] = []): ForeignJob {
  const { config, paths, env } = lab();
  // The lab's broker (its port follows the lab's configuration: SPARKTOP_KAFKA_PORT).
  const KAFKA = `127.0.0.1:${config.kafkaPort}`;
  const checkpoint = fs.mkdtempSync(path.join(os.tmpdir(), `sparktop-foreign-${kind}-`));
  fs.rmSync(checkpoint, { recursive: true });
  // Its owner's own Spark configuration, not the lab's: what lets it in is in `options` (attach --lab).
  const confDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-foreign-conf-'));
  fs.copyFileSync(path.join(paths.sparkConfDir, 'log4j2.properties'), path.join(confDir, 'log4j2.properties'));
  const common = [
    '--master', `spark://127.0.0.1:${config.masterPort}`,
    '--driver-memory', '512m', '--executor-memory', '512m', '--executor-cores', '1', '--total-executor-cores', '1',
    '--conf', 'spark.driver.host=127.0.0.1', '--conf', 'spark.driver.bindAddress=127.0.0.1',
    '--conf', 'spark.sql.shuffle.partitions=2', '--conf', 'spark.ui.showConsoleProgress=false',
    // Its UI from the lab's driver UI port up (Spark takes the next free one), not from Spark's 4040.
    '--conf', `spark.ui.port=${config.driverUiPort}`,
    ...withConnector(options),
  ];
  const app =
    kind === 'python'
      ? [PY_JOB, '--bootstrap-servers', KAFKA, '--topic', config.topic, '--checkpoint', checkpoint, '--trigger', '2 seconds', '--max-offsets-per-trigger', String(FOREIGN_MAX_OFFSETS), ...jobArgs]
      : ['--class', 'CrashCountsJob', javaJar!, KAFKA, config.topic, checkpoint];
  const child = spawn(path.join(env.sparkHome, 'bin', 'spark-submit'), [...common, ...app], {
    env: { ...sparkEnv(env.sparkHome, env.python, config, paths), SPARK_CONF_DIR: confDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      try {
        await eventually('the foreign job to exit', async () => (child.exitCode !== null || child.signalCode !== null ? true : undefined), MIN, 500);
      } catch {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    fs.rmSync(checkpoint, { recursive: true, force: true });
    fs.rmSync(confDir, { recursive: true, force: true });
    fs.rmSync(`${checkpoint}-second`, { recursive: true, force: true });
  };
  return { child, checkpoint, output: () => output, stop };
}

/** Kills every running application in the master (sparktop's own job included) and waits until the master freed them. */
export async function killAllApps(): Promise<void> {
  const { config } = lab();
  const master = async () => (await (await fetch(`http://127.0.0.1:${config.masterUiPort}/json/`)).json()) as { activeapps: Array<{ id: string }> };
  for (const a of (await master()).activeapps) await killAppViaMaster(config, a.id, existingLabUiToken(lab().paths));
  await eventually('no application in the master', async () => ((await master()).activeapps.length === 0 ? true : undefined), 2 * MIN);
}

/** The newest committed batch in a checkpoint (or batch `batchId`): its id and end offsets of `topic` (null: none yet). */
export function checkpointCommitted(checkpoint: string, topic: string, batchId?: number): { batchId: number; offsets: Record<string, number> } | null {
  const commits = path.join(checkpoint, 'commits');
  if (!fs.existsSync(commits)) return null;
  const ids = fs.readdirSync(commits).filter((f) => /^\d+$/.test(f)).map(Number).filter((id) => batchId === undefined || id === batchId).sort((a, b) => b - a);
  for (const id of ids) {
    const file = path.join(checkpoint, 'offsets', String(id));
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(2)) {
      if (!line.trim()) continue;
      const parsed = JSON.parse(line) as Record<string, Record<string, number>>;
      if (parsed[topic]) return { batchId: id, offsets: parsed[topic]! };
    }
  }
  return null;
}

/** Rows of batch `batchId` by its checkpoint: its end offsets minus those of the batch before, over `topic`'s partitions. */
export function checkpointRows(checkpoint: string, topic: string, batchId: number): number | null {
  const end = checkpointCommitted(checkpoint, topic, batchId);
  const start = checkpointCommitted(checkpoint, topic, batchId - 1);
  if (!end || !start) return null;
  return Object.entries(end.offsets).reduce((sum, [p, o]) => sum + o - (start.offsets[p] ?? 0), 0);
}
