/**
 * What a sweep runs: the configurations (the cartesian product of the resource lists, or a plan
 * file) and how each rate step is judged. Pure: flags in, a validated plan out; a bad value names
 * its flag (InvalidResource, exit 2 like every usage error).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { kebab } from '../text/kebab.js';
import { parseDurationMs } from '../config/watchConfig.js';
import { InvalidResource, parseMemory, parsePositiveInt, parseResources, type JobResources, type RawResourceFlags } from '../domain/resources.js';

export interface SweepConfiguration {
  /** Stable identity for --resume: the resources and partitions that make the configuration. */
  key: string;
  resources: JobResources;
  /** Partitions of the input topic (the topic is recreated when it differs); null: leave the topic as it is. */
  partitions: number | null;
}

export interface SweepSettings {
  targetBatchMs: number;
  /** First rate tried (records/s, all generators together). */
  startRps: number;
  /** The search never asks for more. */
  maxRps: number;
  /** Below this the search gives up going down. */
  minRps: number;
  settleMs: number;
  measureMs: number;
  /**
   * A window with too few batches to judge is measured longer, up to this in all (default
   * MAX_MEASURE_FACTOR × measureMs; equal to measureMs: never longer). Absent in results files
   * written before it: settingsWithDefaults fills it in.
   */
  maxMeasureMs: number;
  /** Rate steps per configuration at most. */
  maxSteps: number;
  /** Bisection stops when the highest unsustainable rate is within this fraction of the highest sustainable one. */
  resolution: number;
  /** What one generator is asked for at most; more records/s use more generators. */
  rpsPerGenerator: number;
  maxGenerators: number;
  /** After an unsustainable step, generators pause until the backlog drains, for at most this long. */
  drainMs: number;
}

export interface SweepPlan {
  configurations: SweepConfiguration[];
  /** Combinations of the lists that cannot run (e.g. more cores per executor than in total), with why. */
  skipped: Array<{ key: string; reason: string }>;
  settings: SweepSettings;
}

export interface SweepFlags extends RawResourceFlags {
  partitions?: string;
  plan?: string;
  targetBatch?: string;
  startRps?: string;
  maxRps?: string;
  settle?: string;
  measure?: string;
  maxMeasure?: string;
  steps?: string;
  rpsPerGenerator?: string;
  maxGenerators?: string;
}

/** The default --max-measure is this many times --measure. */
export const MAX_MEASURE_FACTOR = 4;

export const DEFAULT_SETTINGS: SweepSettings = {
  targetBatchMs: 20_000,
  startRps: 5000,
  maxRps: 500_000,
  minRps: 500,
  settleMs: 60_000,
  measureMs: 120_000,
  maxMeasureMs: MAX_MEASURE_FACTOR * 120_000,
  maxSteps: 10,
  resolution: 0.1,
  rpsPerGenerator: 40_000,
  maxGenerators: 4,
  drainMs: 180_000,
};

/** `1,2,4` → [1, 2, 4], each checked by `parse`; duplicates dropped, order kept. */
export function parseList<T>(flag: string, value: string, parse: (flag: string, item: string) => T): T[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s.length === 0)) throw new InvalidResource(flag, `expected a comma-separated list like 1,2,4, got "${value}"`);
  const out: T[] = [];
  for (const item of items) {
    const v = parse(flag, item);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** "exec-cores 1 · total 2 · mem 1g · shuffle 8 · partitions 4": what varies, in a fixed order. */
export function configurationKey(r: JobResources, partitions: number | null): string {
  const parts = [
    `executor-cores ${r.executorCores ?? 'default'}`,
    `total-executor-cores ${r.totalExecutorCores ?? 'default'}`,
    `executor-memory ${r.executorMemory ?? 'default'}`,
    `shuffle-partitions ${r.shufflePartitions ?? 'default'}`,
  ];
  if (r.maxOffsetsPerTrigger !== undefined) parts.push(`max-offsets-per-trigger ${r.maxOffsetsPerTrigger}`);
  if (r.trigger !== undefined) parts.push(`trigger ${r.trigger}`);
  for (const [k, v] of Object.entries(r.conf).sort()) parts.push(`conf ${k}=${v}`);
  if (partitions !== null) parts.push(`partitions ${partitions}`);
  return parts.join(' · ');
}

/** Why a configuration cannot run on a cluster with `clusterCores` cores, or null. */
function unrunnable(r: JobResources, clusterCores: number | null): string | null {
  if (r.executorCores !== undefined && r.totalExecutorCores !== undefined && r.executorCores > r.totalExecutorCores) {
    return `--executor-cores ${r.executorCores} > --total-executor-cores ${r.totalExecutorCores}: no executor could start`;
  }
  if (clusterCores !== null && r.totalExecutorCores !== undefined && r.totalExecutorCores > clusterCores) {
    return `--total-executor-cores ${r.totalExecutorCores} > the ${clusterCores} cores of the cluster`;
  }
  if (clusterCores !== null && r.executorCores !== undefined && r.executorCores > clusterCores) {
    return `--executor-cores ${r.executorCores} > the ${clusterCores} cores of the cluster`;
  }
  return null;
}

const planFileSchema = z.union([
  z.array(z.record(z.string(), z.unknown())),
  z.object({ configurations: z.array(z.record(z.string(), z.unknown())) }).transform((o) => o.configurations),
]);

const PLAN_KEYS = ['executorCores', 'executorMemory', 'totalExecutorCores', 'numExecutors', 'driverMemory', 'shufflePartitions', 'maxOffsetsPerTrigger', 'trigger', 'conf', 'partitions'];

/** A plan file: `[{"executorCores":1,"totalExecutorCores":2,"shufflePartitions":8,"partitions":4}, …]` (or `{"configurations":[…]}`). */
export function readPlanFile(file: string, base: JobResources): Array<{ resources: JobResources; partitions: number | null }> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidResource('plan', `cannot read ${file}: ${(err as Error).message}`);
  }
  const r = planFileSchema.safeParse(json);
  if (!r.success) throw new InvalidResource('plan', `${file}: expected an array of configurations like [{"executorCores":1,"totalExecutorCores":2}]`);
  if (r.data.length === 0) throw new InvalidResource('plan', `${file} has no configurations`);
  return r.data.map((entry, i) => {
    const unknown = Object.keys(entry).filter((k) => !PLAN_KEYS.includes(k));
    if (unknown.length > 0) throw new InvalidResource('plan', `${file}: configuration ${i + 1}: unknown key ${unknown.join(', ')} (known: ${PLAN_KEYS.join(', ')})`);
    const conf = entry.conf;
    if (conf !== undefined && (typeof conf !== 'object' || conf === null || Array.isArray(conf))) {
      throw new InvalidResource('plan', `${file}: configuration ${i + 1}: conf must be an object of spark.* keys`);
    }
    try {
      const raw: RawResourceFlags = { ...entry, conf: conf ? Object.entries(conf).map(([k, v]) => `${k}=${String(v)}`) : undefined };
      const resources = parseResources(raw, base);
      const partitions = entry.partitions === undefined ? null : parsePositiveInt('partitions', entry.partitions);
      return { resources, partitions };
    } catch (err) {
      throw new InvalidResource('plan', `${file}: configuration ${i + 1}: ${(err as Error).message}`);
    }
  });
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : parsePositiveInt(flag, value);
}

export function resolveSettings(flags: SweepFlags): SweepSettings {
  const d = DEFAULT_SETTINGS;
  const s: SweepSettings = {
    ...d,
    targetBatchMs: flags.targetBatch === undefined ? d.targetBatchMs : parseDurationMs('target-batch', flags.targetBatch, 100, 3_600_000),
    startRps: positive('start-rps', flags.startRps, d.startRps),
    maxRps: positive('max-rps', flags.maxRps, d.maxRps),
    settleMs: flags.settle === undefined ? d.settleMs : parseDurationMs('settle', flags.settle, 0, 3_600_000),
    measureMs: flags.measure === undefined ? d.measureMs : parseDurationMs('measure', flags.measure, 5000, 3_600_000),
    maxSteps: positive('steps', flags.steps, d.maxSteps),
    rpsPerGenerator: positive('rps-per-generator', flags.rpsPerGenerator, d.rpsPerGenerator),
    maxGenerators: positive('max-generators', flags.maxGenerators, d.maxGenerators),
  };
  s.maxMeasureMs = flags.maxMeasure === undefined ? MAX_MEASURE_FACTOR * s.measureMs : parseDurationMs('max-measure', flags.maxMeasure, 5000, 4 * 3_600_000);
  if (s.maxMeasureMs < s.measureMs) throw new InvalidResource('max-measure', `${s.maxMeasureMs / 1000} s is shorter than --measure ${s.measureMs / 1000} s`);
  if (s.startRps > s.maxRps) throw new InvalidResource('start-rps', `${s.startRps} is above --max-rps ${s.maxRps}`);
  s.minRps = Math.min(d.minRps, s.startRps);
  s.drainMs = Math.max(60_000, 2 * s.settleMs);
  return s;
}

/** Settings read from a results file: what an older file lacks gets its default (--max-measure: 4 × its --measure). */
export function settingsWithDefaults(saved: Partial<SweepSettings> & Pick<SweepSettings, 'measureMs'>): SweepSettings {
  return { ...resolveSettings({}), maxMeasureMs: MAX_MEASURE_FACTOR * saved.measureMs, ...saved };
}

/**
 * The configurations: every combination of the lists (flags not given keep the running job's
 * value, `base`), or the plan file's; combinations that cannot run are listed in `skipped`.
 */
export function resolvePlan(flags: SweepFlags, base: JobResources, clusterCores: number | null): SweepPlan {
  const settings = resolveSettings(flags);
  const lists = {
    executorCores: flags.executorCores === undefined ? [undefined] : parseList('executor-cores', String(flags.executorCores), parsePositiveInt),
    totalExecutorCores: flags.totalExecutorCores === undefined ? [undefined] : parseList('total-executor-cores', String(flags.totalExecutorCores), parsePositiveInt),
    executorMemory: flags.executorMemory === undefined ? [undefined] : parseList('executor-memory', String(flags.executorMemory), parseMemory),
    shufflePartitions: flags.shufflePartitions === undefined ? [undefined] : parseList('shuffle-partitions', String(flags.shufflePartitions), parsePositiveInt),
    partitions: flags.partitions === undefined ? [null] : parseList('partitions', flags.partitions, parsePositiveInt),
  };
  // The rest applies to every configuration, validated once with the job's own parsers.
  const common = parseResources({ ...flags, executorCores: undefined, totalExecutorCores: undefined, executorMemory: undefined, shufflePartitions: undefined }, base);
  let candidates: Array<{ resources: JobResources; partitions: number | null }>;
  if (flags.plan !== undefined) {
    const given = ['executorCores', 'totalExecutorCores', 'executorMemory', 'shufflePartitions', 'partitions'].filter((k) => flags[k as keyof SweepFlags] !== undefined);
    if (given.length > 0) throw new InvalidResource('plan', `a plan file lists the configurations: do not also give ${given.map((k) => `--${kebab(k)}`).join(', ')}`);
    candidates = readPlanFile(flags.plan, common);
  } else {
    candidates = [];
    for (const executorCores of lists.executorCores)
      for (const totalExecutorCores of lists.totalExecutorCores)
        for (const executorMemory of lists.executorMemory)
          for (const shufflePartitions of lists.shufflePartitions)
            for (const partitions of lists.partitions) {
              const resources: JobResources = { ...common, conf: { ...common.conf } };
              if (executorCores !== undefined) resources.executorCores = executorCores;
              if (totalExecutorCores !== undefined) resources.totalExecutorCores = totalExecutorCores;
              if (executorMemory !== undefined) resources.executorMemory = executorMemory;
              if (shufflePartitions !== undefined) resources.shufflePartitions = shufflePartitions;
              candidates.push({ resources, partitions });
            }
  }
  const configurations: SweepConfiguration[] = [];
  const skipped: SweepPlan['skipped'] = [];
  for (const c of candidates) {
    const key = configurationKey(c.resources, c.partitions);
    if (configurations.some((x) => x.key === key)) continue;
    const why = unrunnable(c.resources, clusterCores);
    if (why) skipped.push({ key, reason: why });
    else configurations.push({ key, ...c });
  }
  if (configurations.length === 0) {
    throw new InvalidResource(flags.plan ? 'plan' : 'executor-cores', `no configuration can run: ${skipped.map((s) => s.reason).join('; ')}`);
  }
  return { configurations, skipped, settings };
}
