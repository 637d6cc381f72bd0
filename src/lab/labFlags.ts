import path from 'node:path';
import { InvalidResource, parseMemory, parsePositiveInt, parseResources, type RawResourceFlags } from '../domain/resources.js';
import { defaultLabConfig, type LabConfig, type QueryName } from './labConfig.js';
import { defaultCacheDir } from './paths.js';
import { kebab } from '../text/kebab.js';

export interface LabFlags extends RawResourceFlags {
  cacheDir?: string;
  python?: string;
  partitions?: unknown;
  workers?: unknown;
  workerCores?: unknown;
  workerMemory?: unknown;
  generators?: unknown;
  rps?: unknown;
  query?: unknown;
  topic?: unknown;
  startingOffsets?: unknown;
  kafkaPort?: unknown;
  kafkaControllerPort?: unknown;
  masterPort?: unknown;
  masterUiPort?: unknown;
  workerUiPort?: unknown;
  driverUiPort?: unknown;
  listenerPort?: unknown;
}

/** Env variables that set lab values when no flag does (flags > env > defaults). */
export const LAB_ENV: Record<string, keyof LabFlags> = {
  SPARKTOP_CACHE_DIR: 'cacheDir',
  SPARKTOP_PYTHON: 'python',
  SPARKTOP_KAFKA_PORT: 'kafkaPort',
  SPARKTOP_KAFKA_CONTROLLER_PORT: 'kafkaControllerPort',
  SPARKTOP_MASTER_PORT: 'masterPort',
  SPARKTOP_MASTER_UI_PORT: 'masterUiPort',
  SPARKTOP_WORKER_UI_PORT: 'workerUiPort',
  SPARKTOP_DRIVER_UI_PORT: 'driverUiPort',
  SPARKTOP_LISTENER_PORT: 'listenerPort',
  SPARKTOP_TOPIC: 'topic',
};

export function port(flag: string, value: unknown): number {
  const n = parsePositiveInt(flag, value);
  if (n > 65535) throw new InvalidResource(flag, `expected a TCP port (1-65535), got ${n}`);
  return n;
}

function intInRange(flag: string, value: unknown, min: number, max: number): number {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InvalidResource(flag, `expected an integer from ${min} to ${max}, got "${String(value)}"`);
  }
  return Number(text);
}

/** Flags and env → a validated LabConfig. Throws InvalidResource naming the flag. */
export function labConfigFromFlags(rawFlags: LabFlags, env: NodeJS.ProcessEnv = process.env): LabConfig {
  const flags: LabFlags = { ...rawFlags };
  for (const [name, key] of Object.entries(LAB_ENV)) {
    if (flags[key] === undefined && env[name] !== undefined && env[name] !== '') (flags as Record<string, unknown>)[key] = env[name];
  }
  const cacheDir = flags.cacheDir ? path.resolve(flags.cacheDir) : defaultCacheDir(env);
  const c = defaultLabConfig(cacheDir);
  if (flags.python) c.python = flags.python;
  if (flags.partitions !== undefined) c.partitions = intInRange('partitions', flags.partitions, 1, 1000);
  if (flags.workers !== undefined) c.workers = intInRange('workers', flags.workers, 1, 16);
  if (flags.workerCores !== undefined) c.workerCores = intInRange('worker-cores', flags.workerCores, 1, 1024);
  if (flags.workerMemory !== undefined) c.workerMemory = parseMemory('worker-memory', flags.workerMemory);
  if (flags.generators !== undefined) c.generators = intInRange('generators', flags.generators, 0, 16);
  if (flags.rps !== undefined) c.rps = intInRange('rps', flags.rps, 0, 10_000_000);
  if (flags.topic !== undefined) {
    const t = String(flags.topic);
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(t)) throw new InvalidResource('topic', `"${t}" is not a valid Kafka topic name`);
    c.topic = t;
  }
  if (flags.query !== undefined) {
    if (flags.query !== 'activity2' && flags.query !== 'activity3') throw new InvalidResource('query', `expected activity2 or activity3, got "${String(flags.query)}"`);
    c.query = flags.query as QueryName;
  }
  if (flags.startingOffsets !== undefined) {
    if (flags.startingOffsets !== 'latest' && flags.startingOffsets !== 'earliest') {
      throw new InvalidResource('starting-offsets', `expected latest or earliest, got "${String(flags.startingOffsets)}"`);
    }
    c.startingOffsets = flags.startingOffsets;
  }
  for (const key of ['kafkaPort', 'kafkaControllerPort', 'masterPort', 'masterUiPort', 'workerUiPort', 'driverUiPort', 'listenerPort'] as const) {
    if (flags[key] !== undefined) c[key] = port(kebab(key), flags[key]);
  }
  c.resources = parseResources(flags, c.resources);
  const ports = [c.kafkaPort, c.kafkaControllerPort, c.masterPort, c.masterUiPort, c.driverUiPort, c.listenerPort];
  for (let i = 0; i < c.workers; i++) ports.push(c.workerUiPort + i);
  const dup = ports.find((p, i) => ports.indexOf(p) !== i);
  if (dup !== undefined) throw new InvalidResource('*-port', `port ${dup} is given to two components`);
  return c;
}
