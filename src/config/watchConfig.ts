/**
 * Where sparktop looks and how often: flags > env > sparktop.config.json > the local lab's actual
 * ports > the defaults of docs/ARCHITECTURE.md "Lab state, ports and cache". Validated once; a bad value names the flag and what is expected.
 * The lab's ports come in as a parameter (`LabWatchDefaults`, read by src/lab/watchDefaults.ts and
 * passed by src/commands/watchConfig.ts): this folder reads no lab state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { advisorFileSchema, resolveAdvisorSettings } from './advisorConfig.js';
import { readKafkaClientConfig } from './kafkaClientFile.js';
import { InvalidResource } from '../domain/resources.js';
import type { AdvisorOptions, AdvisorOptionsInput } from '../model/advisor/options.js';

export interface WatchConfig {
  kafka: string;
  /**
   * Kafka client properties (security.protocol, sasl.mechanism, sasl.jaas.config) for --kafka:
   * --kafka-config, else the local lab's own when --kafka is the lab's Kafka; null: plaintext.
   */
  kafkaConfig: string | null;
  /**
   * The local lab's client properties when --kafka is the lab's broker and no --kafka-config was
   * given, whether or not its Kafka ran at the start: the other way in, should Kafka be started
   * (or stopped) meanwhile. Null otherwise.
   */
  labKafkaConfig: string | null;
  topic: string;
  group: string | null;
  sparkUi: string;
  sparkMaster: string;
  progressUrl: string;
  refreshMs: number;
  targetBatchMs: number;
  /** The local lab's generator stats folder when the local lab is what is watched. */
  generatorsDir: string | null;
  /** The query's checkpoint folder (--checkpoint, absolute): committed offsets without the listener. */
  checkpoint: string | null;
  /** The application to watch, by id or name (--app); null: the one --spark-ui serves. */
  app: string | null;
  /** The streaming query to show, by name or id (--query-name); null: the first. */
  queryName: string | null;
  color: boolean;
  ascii: boolean;
  record: string | null;
  cast: string | null;
  /** The advisor's thresholds and hysteresis: --threshold > the config file's `advisor` > defaults. */
  advisor: AdvisorOptions;
}

/**
 * What the local lab says to watch: the ports and topic of the running lab (each undefined when
 * there is no lab state, or it does not say), and the lab's generator stats folder.
 */
export interface LabWatchDefaults {
  kafkaPort?: number;
  /** The lab's Kafka client properties, while its Kafka runs with them (src/lab/kafkaAuth.ts). */
  kafkaClientConfig?: string;
  /** The lab's Kafka client properties when they exist, its Kafka running or not. */
  kafkaClientConfigKept?: string;
  topic?: string;
  driverUiPort?: number;
  masterUiPort?: number;
  listenerPort?: number;
  /** Watched when neither --kafka nor --spark-ui (nor their env or file settings) is given: the local lab. */
  generatorsDir: string;
}

export interface WatchFlags {
  kafka?: string;
  kafkaConfig?: string;
  topic?: string;
  group?: string;
  sparkUi?: string;
  sparkMaster?: string;
  progressUrl?: string;
  refresh?: string;
  targetBatch?: string;
  checkpoint?: string;
  app?: string;
  queryName?: string;
  config?: string;
  /** Where the local lab's state is (src/lab/watchDefaults.ts); not read here. */
  cacheDir?: string;
  color?: boolean;
  ascii?: boolean;
  record?: string;
  cast?: string;
  /** `name=value`, repeatable (advisorConfig.ts). */
  threshold?: string[];
}

const ENV: Record<string, keyof WatchFlags> = {
  SPARKTOP_KAFKA: 'kafka',
  SPARKTOP_KAFKA_CONFIG: 'kafkaConfig',
  SPARKTOP_TOPIC: 'topic',
  SPARKTOP_GROUP: 'group',
  SPARKTOP_SPARK_UI: 'sparkUi',
  SPARKTOP_SPARK_MASTER: 'sparkMaster',
  SPARKTOP_PROGRESS_URL: 'progressUrl',
  SPARKTOP_REFRESH: 'refresh',
  SPARKTOP_TARGET_BATCH: 'targetBatch',
  SPARKTOP_CHECKPOINT: 'checkpoint',
  SPARKTOP_APP: 'app',
  SPARKTOP_QUERY_NAME: 'queryName',
};

const fileSchema = z
  .object({
    kafka: z.string(),
    kafkaConfig: z.string().min(1),
    topic: z.string(),
    group: z.string(),
    sparkUi: z.string(),
    sparkMaster: z.string(),
    progressUrl: z.string(),
    refresh: z.union([z.string(), z.number()]).transform(String),
    targetBatch: z.union([z.string(), z.number()]).transform(String),
    checkpoint: z.string().min(1),
    app: z.string().min(1).max(200),
    queryName: z.string().min(1).max(200),
    advisor: advisorFileSchema,
  })
  .partial()
  .strict();

export class InvalidConfigFile extends Error {}

interface ConfigFile {
  watch: Partial<Record<keyof WatchFlags, string>>;
  advisor: AdvisorOptionsInput | undefined;
}

function readConfigFile(file: string, explicit: boolean): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return { watch: {}, advisor: undefined };
    throw new InvalidConfigFile(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidConfigFile(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const r = fileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InvalidConfigFile(`config file ${file}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  const { advisor, ...watch } = r.data;
  return { watch, advisor };
}

function configFileOf(flags: Pick<WatchFlags, 'config'>, cwd: string): ConfigFile {
  const configPath = flags.config ? path.resolve(cwd, flags.config) : path.join(cwd, 'sparktop.config.json');
  return readConfigFile(configPath, Boolean(flags.config));
}

/**
 * The advisor's options alone, for commands that watch nothing (replay, report): --threshold over
 * the config file's `advisor` section over the defaults.
 */
export function resolveAdvisorConfig(flags: Pick<WatchFlags, 'config' | 'threshold'>, cwd = process.cwd()): AdvisorOptions {
  return resolveAdvisorSettings(configFileOf(flags, cwd).advisor, flags.threshold);
}

/** "1s", "500ms", "2" (seconds) → ms. */
export function parseDurationMs(flag: string, value: string, min: number, max: number): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new InvalidResource(flag, `expected a duration like 1s, 500ms or 2, got "${value}"`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (n < min || n > max) throw new InvalidResource(flag, `expected between ${min / 1000} s and ${max / 1000} s, got "${value}"`);
  return Math.round(n);
}

function hostPort(flag: string, value: string): string {
  for (const part of value.split(',')) {
    const m = /^([A-Za-z0-9._-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(part.trim());
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new InvalidResource(flag, `expected host:port[,host:port…], got "${value}"`);
  }
  return value;
}

function httpUrl(flag: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidResource(flag, `expected an http(s) URL, got "${value}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidResource(flag, `expected an http(s) URL, got "${value}"`);
  return value.replace(/\/$/, '');
}

/** A checkpoint folder: any path (its problems are reported while watching, as a source error). */
function checkpointDir(value: string | undefined, cwd: string): string | null {
  if (value === undefined || value.trim() === '') return null;
  // Spark's own form for a local checkpoint; other schemes (hdfs://, s3a://) are not a mounted folder.
  const local = value.startsWith('file://') ? value.slice('file://'.length) : value;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(local)) throw new InvalidResource('checkpoint', `expected a local or mounted folder, got "${value}"`);
  return path.resolve(cwd, local);
}

/** An application or query name or id: null when not given; blank or multi-line is a usage error. */
function nonEmpty(flag: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (v === '' || /[\r\n]/.test(v) || v.length > 200) throw new InvalidResource(flag, `expected an application id or name, got "${value}"`);
  return v;
}

/**
 * The Kafka client properties for `kafka`: the given file (checked now, so a bad one stops the
 * start with its reason), else the lab's when `kafka` is the running lab's broker. Also `gen`'s rule.
 */
export function kafkaClientConfigFor(kafka: string, given: string | undefined, lab: LabWatchDefaults, cwd = process.cwd()): string | null {
  if (given !== undefined && given.trim() !== '') {
    const file = path.resolve(cwd, given);
    readKafkaClientConfig(file);
    return file;
  }
  return isLabBroker(kafka, lab) && lab.kafkaClientConfig ? lab.kafkaClientConfig : null;
}

/** Whether `kafka` names the local lab's broker (by the port its state gives). */
function isLabBroker(kafka: string, lab: Pick<LabWatchDefaults, 'kafkaPort'>): boolean {
  return lab.kafkaPort !== undefined && [`127.0.0.1:${lab.kafkaPort}`, `localhost:${lab.kafkaPort}`].includes(kafka);
}

/** Colour unless --no-color, NO_COLOR (non-empty) or TERM=dumb. */
export function wantsColor(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag !== false && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

/** The watch config of `flags` over `env` over the config file (in `cwd`) over the lab's defaults `lab` over the fixed defaults. */
export function resolveWatchConfig(flags: WatchFlags, lab: LabWatchDefaults, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): WatchConfig {
  const { watch: file, advisor } = configFileOf(flags, cwd);
  const pick = (key: keyof WatchFlags): string | undefined => {
    const flag = flags[key];
    if (typeof flag === 'string') return flag;
    const envName = Object.keys(ENV).find((k) => ENV[k] === key);
    const fromEnv = envName ? env[envName] : undefined;
    if (fromEnv) return fromEnv;
    return file[key];
  };
  const kafka = hostPort('kafka', pick('kafka') ?? `127.0.0.1:${lab.kafkaPort ?? 9094}`);
  const kafkaConfig = kafkaClientConfigFor(kafka, pick('kafkaConfig'), lab, cwd);
  const labKafkaConfig = !pick('kafkaConfig') && isLabBroker(kafka, lab) ? (lab.kafkaClientConfigKept ?? null) : null;
  const topic = pick('topic') ?? lab.topic ?? 'logs';
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new InvalidResource('topic', `"${topic}" is not a valid Kafka topic name`);
  const localLab = !pick('kafka') && !pick('sparkUi');
  return {
    kafka,
    kafkaConfig,
    labKafkaConfig,
    topic,
    group: pick('group') ?? null,
    sparkUi: httpUrl('spark-ui', pick('sparkUi') ?? `http://127.0.0.1:${lab.driverUiPort ?? 4040}`),
    sparkMaster: httpUrl('spark-master', pick('sparkMaster') ?? `http://127.0.0.1:${lab.masterUiPort ?? 8080}`),
    progressUrl: httpUrl('progress-url', pick('progressUrl') ?? `http://127.0.0.1:${lab.listenerPort ?? 4090}`),
    refreshMs: parseDurationMs('refresh', pick('refresh') ?? '1s', 200, 60_000),
    targetBatchMs: parseDurationMs('target-batch', pick('targetBatch') ?? '20s', 100, 3_600_000),
    generatorsDir: localLab ? lab.generatorsDir : null,
    checkpoint: checkpointDir(pick('checkpoint'), cwd),
    app: nonEmpty('app', pick('app')),
    queryName: nonEmpty('query-name', pick('queryName')),
    color: wantsColor(flags.color, env),
    ascii: flags.ascii === true,
    record: flags.record ?? null,
    cast: flags.cast ?? null,
    advisor: resolveAdvisorSettings(advisor, flags.threshold),
  };
}
