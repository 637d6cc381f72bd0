/**
 * Generator options: environment (the classroom generator image's variables) + overrides from the
 * CLI → validated GeneratorOptions. Overrides win over env; env wins over defaults.
 */

import type { KafkaClientAuth } from '../domain/kafkaClientAuth.js';

export const MAX_TARGET_RPS = 10_000_000;

export type Acks = -1 | 0 | 1;
export type Compression = 'none' | 'gzip';
/** Which client sends the records: kafkajs's producer, or the wire producer (src/generator/wire). */
export type ProducerKind = 'kafkajs' | 'wire';

export interface GeneratorOptions {
  /** Bootstrap brokers, each "host:port". */
  brokers: string[];
  /** How to log in to the brokers (`--kafka-config`, read by the gen command); null: plaintext. */
  kafkaAuth: KafkaClientAuth | null;
  topic: string;
  /** Records per second; 0 = paused. */
  targetRps: number;
  /** Term put into the content of additionalTermRate records per 10,000; null = none. */
  additionalTerm: string | null;
  /** Records per 10,000 carrying additionalTerm (0..10000). */
  additionalTermRate: number;
  /** -1 = all in-sync replicas (default), 1 = leader, 0 = none. */
  acks: Acks;
  compression: Compression;
  /** Write stats JSON here once a second (atomic: temp file + rename); null = none. */
  statsFile: string | null;
  /** Read {"targetRps", "paused"} from here once a second; null = none. */
  controlFile: string | null;
  clientId: string;
  /** Pacing tick (ms, 5..100; default 20). */
  tickMs: number;
  /** Most records per produce call (default 500; each call is one produce request). */
  maxBatch: number;
  /** Most produce calls in flight at once (default 8). */
  maxInFlight: number;
  /** PRNG seed for the record factory; null = random. */
  seed: number | null;
  /** Write every record to this partition (a hot partition, for skew); null = round robin over all. */
  partition: number | null;
  producer: ProducerKind;
  /** Producing threads (worker threads, each its own connections): a number, or 'auto' = as many as the rate needs. */
  threads: number | 'auto';
}

/** Values the CLI may pass; strings are parsed like env values. undefined = not given. */
export interface GeneratorOverrides {
  broker?: string | string[] | undefined;
  topic?: string | undefined;
  targetRps?: number | string | undefined;
  additionalTerm?: string | undefined;
  additionalTermRate?: number | string | undefined;
  acks?: number | string | undefined;
  compression?: string | undefined;
  statsFile?: string | undefined;
  controlFile?: string | undefined;
  clientId?: string | undefined;
  tickMs?: number | string | undefined;
  maxBatch?: number | string | undefined;
  maxInFlight?: number | string | undefined;
  seed?: number | string | undefined;
  partition?: number | string | undefined;
  threads?: number | string | undefined;
  producer?: string | undefined;
}

/** The flag each override corresponds to (used in error messages; the CLI should use these names). */
export const GENERATOR_FLAGS: Record<keyof GeneratorOverrides, string> = {
  broker: '--kafka',
  topic: '--topic',
  targetRps: '--target-rps',
  additionalTerm: '--additional-term',
  additionalTermRate: '--additional-term-rate',
  acks: '--acks',
  compression: '--compression',
  statsFile: '--stats-file',
  controlFile: '--control-file',
  clientId: '--client-id',
  tickMs: '--tick-ms',
  maxBatch: '--max-batch',
  maxInFlight: '--max-in-flight',
  seed: '--seed',
  partition: '--partition',
  producer: '--producer',
  threads: '--threads',
};

/** Env variable per option (only the classroom image's variables). */
export const GENERATOR_ENV = {
  broker: 'KAFKA_BROKER',
  topic: 'KAFKA_TOPIC',
  targetRps: 'TARGET_RPS',
  additionalTerm: 'ADDITIONAL_TERM',
  additionalTermRate: 'ADDITIONAL_TERM_RATE',
} as const;

export const GENERATOR_DEFAULTS = {
  broker: '127.0.0.1:9094',
  topic: 'logs',
  targetRps: 10_000,
  additionalTermRate: 0,
  acks: -1 as Acks,
  compression: 'none' as Compression,
  clientId: 'sparktop-gen',
  tickMs: 20,
  maxBatch: 500,
  maxInFlight: 8,
  producer: 'wire' as ProducerKind,
  threads: 1 as number | 'auto',
};

/** The most producing threads a generator starts. */
export const MAX_THREADS = 64;

/**
 * The wire producer's batch and in-flight defaults: measured best on one core (docs/BENCHMARKS.md);
 * kafkajs's producer gains nothing from them (its encoding is the limit).
 */
export const WIRE_DEFAULTS = { maxBatch: 2000, maxInFlight: 32 };

/** Invalid generator setting. `setting` is the env variable or flag that held the bad value. */
export class GeneratorOptionsError extends Error {
  override readonly name = 'GeneratorOptionsError';
  constructor(
    readonly setting: string,
    readonly expected: string,
    readonly value: unknown,
  ) {
    super(`${setting} must be ${expected}, got ${JSON.stringify(value)}`);
  }
}

type Env = Record<string, string | undefined>;

interface Source<T> {
  value: T;
  /** Name used in error messages: the env variable or the flag. */
  setting: string;
}

/** Override if given, else env (if the option has an env variable and it is non-empty), else undefined. */
function source<K extends keyof GeneratorOverrides>(
  key: K,
  env: Env,
  overrides: GeneratorOverrides,
): Source<NonNullable<GeneratorOverrides[K]>> | undefined {
  const o = overrides[key];
  if (o !== undefined && o !== null) return { value: o as NonNullable<GeneratorOverrides[K]>, setting: GENERATOR_FLAGS[key] };
  const envName = (GENERATOR_ENV as Record<string, string | undefined>)[key];
  if (envName !== undefined) {
    const e = env[envName];
    if (e !== undefined && e.trim() !== '') return { value: e as NonNullable<GeneratorOverrides[K]>, setting: envName };
  }
  return undefined;
}

/** Parse an integer in [min, max] from a number or a decimal string ("10000", "10_000" and "10,000" too). */
export function parseIntSetting(value: unknown, setting: string, min: number, max: number, expected: string): number {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const s = value.trim().replace(/[_,]/g, '');
    if (!/^\+?\d+$/.test(s)) throw new GeneratorOptionsError(setting, expected, value);
    n = Number(s);
  } else {
    throw new GeneratorOptionsError(setting, expected, value);
  }
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new GeneratorOptionsError(setting, expected, value);
  return n === 0 ? 0 : n;
}

const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;

/** "host:port[,host:port...]" (or an array of them) → ["host:port", ...]. */
export function parseBrokers(value: string | string[], setting: string): string[] {
  const expected = 'a comma-separated list of host:port (e.g. 127.0.0.1:9094)';
  const parts = (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new GeneratorOptionsError(setting, expected, value);
  for (const p of parts) {
    const i = p.lastIndexOf(':');
    if (i <= 0) throw new GeneratorOptionsError(setting, expected, value);
    const host = p.slice(0, i);
    const port = p.slice(i + 1);
    if (!HOST_RE.test(host) || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      throw new GeneratorOptionsError(setting, expected, value);
    }
  }
  return parts;
}

const TOPIC_RE = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * Build validated options. `env` is usually process.env. Throws GeneratorOptionsError naming the
 * env variable or flag that holds a bad value and what is expected.
 */
export function resolveGeneratorOptions(env: Env = process.env, overrides: GeneratorOverrides = {}): GeneratorOptions {
  const b = source('broker', env, overrides);
  const brokers = b ? parseBrokers(b.value, b.setting) : [GENERATOR_DEFAULTS.broker];

  const t = source('topic', env, overrides);
  let topic: string = GENERATOR_DEFAULTS.topic;
  if (t) {
    const v = String(t.value).trim();
    if (!TOPIC_RE.test(v) || v === '.' || v === '..') {
      throw new GeneratorOptionsError(t.setting, 'a Kafka topic name (1-249 of letters, digits, ".", "_", "-")', t.value);
    }
    topic = v;
  }

  const r = source('targetRps', env, overrides);
  const targetRps = r
    ? parseIntSetting(r.value, r.setting, 0, MAX_TARGET_RPS, `an integer from 0 to ${MAX_TARGET_RPS} records per second (0 = paused)`)
    : GENERATOR_DEFAULTS.targetRps;

  const at = source('additionalTerm', env, overrides);
  let additionalTerm: string | null = null;
  if (at) {
    const v = String(at.value).trim();
    if (v.length > 200 || /[\u0000-\u001f]/.test(v)) {
      throw new GeneratorOptionsError(at.setting, 'a term of at most 200 printable characters', at.value);
    }
    additionalTerm = v === '' ? null : v;
  }

  const ar = source('additionalTermRate', env, overrides);
  const additionalTermRate = ar
    ? parseIntSetting(ar.value, ar.setting, 0, 10000, 'an integer from 0 to 10000 (records per 10,000 carrying ADDITIONAL_TERM)')
    : GENERATOR_DEFAULTS.additionalTermRate;

  let acks: Acks = GENERATOR_DEFAULTS.acks;
  const ac = source('acks', env, overrides);
  if (ac) {
    const v = String(ac.value).trim().toLowerCase();
    if (v === 'all' || v === '-1') acks = -1;
    else if (v === '1') acks = 1;
    else if (v === '0') acks = 0;
    else throw new GeneratorOptionsError(ac.setting, 'one of -1 (all), 1, 0', ac.value);
  }

  /** A setting with a few allowed words (case-insensitive). */
  const oneOf = <T extends string>(key: 'compression' | 'producer', allowed: readonly T[], fallback: T): T => {
    const src = source(key, env, overrides);
    if (!src) return fallback;
    const v = String(src.value).trim().toLowerCase();
    const found = allowed.find((a) => a === v);
    if (found === undefined) throw new GeneratorOptionsError(src.setting, `one of ${allowed.join(', ')}`, src.value);
    return found;
  };
  const compression = oneOf<Compression>('compression', ['none', 'gzip'], GENERATOR_DEFAULTS.compression);

  const path = (key: 'statsFile' | 'controlFile'): string | null => {
    const s = source(key, env, overrides);
    if (!s) return null;
    const v = String(s.value);
    if (v.trim() === '' || v.includes('\0')) throw new GeneratorOptionsError(s.setting, 'a file path', s.value);
    return v;
  };

  const ci = source('clientId', env, overrides);
  const clientId = ci ? String(ci.value) : GENERATOR_DEFAULTS.clientId;
  if (clientId.trim() === '') throw new GeneratorOptionsError(GENERATOR_FLAGS.clientId, 'a non-empty client id', clientId);

  const tk = source('tickMs', env, overrides);
  const tickMs = tk ? parseIntSetting(tk.value, tk.setting, 5, 100, 'an integer from 5 to 100 (ms)') : GENERATOR_DEFAULTS.tickMs;
  const producer = oneOf<ProducerKind>('producer', ['kafkajs', 'wire'], GENERATOR_DEFAULTS.producer);

  const batching = producer === 'wire' ? WIRE_DEFAULTS : GENERATOR_DEFAULTS;
  const mb = source('maxBatch', env, overrides);
  const maxBatch = mb ? parseIntSetting(mb.value, mb.setting, 1, 100_000, 'an integer from 1 to 100000 (records)') : batching.maxBatch;
  const mi = source('maxInFlight', env, overrides);
  const maxInFlight = mi ? parseIntSetting(mi.value, mi.setting, 1, 1000, 'an integer from 1 to 1000') : batching.maxInFlight;
  const sd = source('seed', env, overrides);
  const seed = sd ? parseIntSetting(sd.value, sd.setting, 0, 0xffffffff, 'an integer from 0 to 4294967295') : null;
  const pt = source('partition', env, overrides);
  const partition = pt ? parseIntSetting(pt.value, pt.setting, 0, 100_000, 'a partition number from 0') : null;

  const th = source('threads', env, overrides);
  let threads = GENERATOR_DEFAULTS.threads;
  if (th) {
    const v = String(th.value).trim().toLowerCase();
    threads = v === 'auto' ? 'auto' : parseIntSetting(th.value, th.setting, 1, MAX_THREADS, `auto or an integer from 1 to ${MAX_THREADS}`);
  }

  return {
    brokers,
    kafkaAuth: null,
    topic,
    targetRps,
    additionalTerm,
    additionalTermRate,
    acks,
    compression,
    statsFile: path('statsFile'),
    controlFile: path('controlFile'),
    clientId,
    tickMs,
    maxBatch,
    maxInFlight,
    seed,
    partition,
    producer,
    threads,
  };
}

/** The wire producer speaks plaintext and SASL/PLAIN only; kafkajs's producer also TLS and SCRAM. */
export function checkProducerAuth(producer: ProducerKind, auth: KafkaClientAuth | null): void {
  if (producer !== 'wire' || !auth) return;
  if (auth.protocol === 'SSL' || auth.protocol === 'SASL_SSL') {
    throw new GeneratorOptionsError('--kafka-config', 'PLAINTEXT or SASL_PLAINTEXT with --producer wire (it speaks no TLS; --producer kafkajs does)', auth.protocol);
  }
  if (auth.sasl && auth.sasl.mechanism !== 'PLAIN') {
    throw new GeneratorOptionsError('--kafka-config', 'sasl.mechanism PLAIN with --producer wire (--producer kafkajs speaks SCRAM too)', auth.sasl.mechanism);
  }
}
