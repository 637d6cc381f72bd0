/**
 * The resources of one submission of the Spark job, as the user gives them with flags, the
 * resubmit form or a sweep plan. Validation lives here so every entry point says the same thing.
 */
export interface JobResources {
  executorCores?: number;
  executorMemory?: string;
  totalExecutorCores?: number;
  numExecutors?: number;
  driverMemory?: string;
  shufflePartitions?: number;
  maxOffsetsPerTrigger?: number;
  /** Processing-time trigger such as "10 seconds"; undefined = Spark's default (as fast as possible). */
  trigger?: string;
  conf: Record<string, string>;
}

/** The classroom baseline: `--executor-cores 1 --executor-memory 1G`. */
export const BASELINE_RESOURCES: JobResources = { executorCores: 1, executorMemory: '1G', conf: {} };

export class InvalidResource extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`--${flag}: ${message}`);
  }
}

export function parsePositiveInt(flag: string, value: unknown): number {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidResource(flag, `expected a positive integer, got "${String(value)}"`);
  }
  return Number(text);
}

const MEMORY = /^(\d+)([kmgt])b?$/i;

/** Spark memory strings: 512m, 1g, 4G, 2048M (a unit is required, as spark-submit users write it). */
export function parseMemory(flag: string, value: unknown): string {
  const text = String(value).trim();
  const m = MEMORY.exec(text);
  if (!m || Number(m[1]) < 1) throw new InvalidResource(flag, `expected a size like 512m, 1g or 4G, got "${String(value)}"`);
  return `${m[1]}${m[2]!.toLowerCase()}`;
}

export function memoryToMb(memory: string): number {
  const m = MEMORY.exec(memory);
  if (!m) return NaN;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  return unit === 'k' ? n / 1024 : unit === 'm' ? n : unit === 'g' ? n * 1024 : n * 1024 * 1024;
}

const TRIGGER = /^(\d+)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)$/i;

/** A processing-time trigger interval, normalised to Spark's "N seconds" / "N milliseconds" form. */
export function parseTrigger(flag: string, value: unknown): string {
  const text = String(value).trim();
  const m = TRIGGER.exec(text);
  if (!m) throw new InvalidResource(flag, `expected an interval like 10s, 500ms or "10 seconds", got "${String(value)}"`);
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return `${n} milliseconds`;
  if (unit.startsWith('m')) return `${n * 60} seconds`;
  return `${n} seconds`;
}

/** `--conf key=value`: keys must be Spark properties (`spark.*`). */
export function parseConf(values: readonly string[]): Record<string, string> {
  const conf: Record<string, string> = {};
  for (const raw of values) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new InvalidResource('conf', `expected key=value, got "${raw}"`);
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    if (!/^spark\.[A-Za-z0-9_.-]+$/.test(key)) throw new InvalidResource('conf', `keys must be Spark properties (spark.*), got "${key}"`);
    if (value.length === 0) throw new InvalidResource('conf', `"${key}" has an empty value`);
    conf[key] = value;
  }
  return conf;
}

export interface RawResourceFlags {
  executorCores?: unknown;
  executorMemory?: unknown;
  totalExecutorCores?: unknown;
  numExecutors?: unknown;
  driverMemory?: unknown;
  shufflePartitions?: unknown;
  maxOffsetsPerTrigger?: unknown;
  trigger?: unknown;
  conf?: readonly string[];
}

/** Validates resource flags; flags not given keep the values of `base`. */
export function parseResources(raw: RawResourceFlags, base: JobResources = BASELINE_RESOURCES): JobResources {
  const r: JobResources = { ...base, conf: { ...base.conf } };
  if (raw.executorCores !== undefined) r.executorCores = parsePositiveInt('executor-cores', raw.executorCores);
  if (raw.executorMemory !== undefined) r.executorMemory = parseMemory('executor-memory', raw.executorMemory);
  if (raw.totalExecutorCores !== undefined) r.totalExecutorCores = parsePositiveInt('total-executor-cores', raw.totalExecutorCores);
  if (raw.numExecutors !== undefined) r.numExecutors = parsePositiveInt('num-executors', raw.numExecutors);
  if (raw.driverMemory !== undefined) r.driverMemory = parseMemory('driver-memory', raw.driverMemory);
  if (raw.shufflePartitions !== undefined) r.shufflePartitions = parsePositiveInt('shuffle-partitions', raw.shufflePartitions);
  if (raw.maxOffsetsPerTrigger !== undefined) r.maxOffsetsPerTrigger = parsePositiveInt('max-offsets-per-trigger', raw.maxOffsetsPerTrigger);
  if (raw.trigger !== undefined) r.trigger = parseTrigger('trigger', raw.trigger);
  if (raw.conf && raw.conf.length > 0) r.conf = { ...r.conf, ...parseConf(raw.conf) };
  if (r.totalExecutorCores !== undefined && r.executorCores !== undefined && r.totalExecutorCores < r.executorCores) {
    throw new InvalidResource(
      'total-executor-cores',
      `${r.totalExecutorCores} is less than --executor-cores ${r.executorCores}: no executor could be started`,
    );
  }
  return r;
}

/** The flags that give `r` to `sparktop submit` (or `lab up`), in the order of its usage text. */
export function resourceFlags(r: JobResources): string[] {
  const args: string[] = [];
  if (r.executorCores !== undefined) args.push('--executor-cores', String(r.executorCores));
  if (r.executorMemory !== undefined) args.push('--executor-memory', r.executorMemory);
  if (r.totalExecutorCores !== undefined) args.push('--total-executor-cores', String(r.totalExecutorCores));
  if (r.numExecutors !== undefined) args.push('--num-executors', String(r.numExecutors));
  if (r.driverMemory !== undefined) args.push('--driver-memory', r.driverMemory);
  if (r.shufflePartitions !== undefined) args.push('--shuffle-partitions', String(r.shufflePartitions));
  if (r.maxOffsetsPerTrigger !== undefined) args.push('--max-offsets-per-trigger', String(r.maxOffsetsPerTrigger));
  if (r.trigger !== undefined) args.push('--trigger', r.trigger.replace(/ seconds$/, 's').replace(/ milliseconds$/, 'ms'));
  for (const [k, v] of Object.entries(r.conf)) args.push('--conf', `${k}=${v}`);
  return args;
}
