/**
 * The recording file (docs/ARCHITECTURE.md "Recording format"): JSON Lines, a header line then one line per sample
 * `{"t","kind","data"}`, where a stage or job row equal to the previous line's is written as
 * `{"=": key}` (repeatRows.ts). Shared by the recorder, the reader, replay and (later) the report.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { WatchConfig } from '../config/watchConfig.js';
import type { Sample, SampleKind } from '../model/samples.js';
import { createRowEncoder } from './repeatRows.js';

export const RECORDING_FORMAT = 1;

export const SAMPLE_KINDS: ReadonlySet<SampleKind> = new Set<SampleKind>([
  'kafka',
  'executors',
  'stages',
  'jobs',
  'progress',
  'master',
  'generators',
  'checkpoint',
  'source-error',
  'control',
  'mark',
  'select',
]);

/** The effective WatchConfig as recorded: URLs without credentials. */
export type RecordedConfig = Partial<WatchConfig> & Record<string, unknown>;

export interface RecordingHeader {
  sparktop: number;
  startedAt: number;
  version: string;
  config: RecordedConfig;
  host: { hostname: string; platform: string; node: string };
}

const SECRET_PARAM = /pass|secret|token|key|auth|credential/i;

/** A URL without user:password and without secret-looking query parameters; other text as given. */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.protocol.startsWith('http')) return value;
  if (url.username || url.password) {
    url.username = 'redacted';
    url.password = '';
  }
  for (const name of [...url.searchParams.keys()]) if (SECRET_PARAM.test(name)) url.searchParams.set(name, 'redacted');
  return url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
}

export function redactConfig(config: WatchConfig): RecordedConfig {
  const out: RecordedConfig = {};
  for (const [k, v] of Object.entries(config)) out[k] = typeof v === 'string' ? redactUrl(v) : v;
  return out;
}

let packageVersion: string | null = null;

/** sparktop's version from package.json (one level above src/ and dist/). */
export function sparktopVersion(): string {
  if (packageVersion === null) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      packageVersion = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      packageVersion = 'unknown';
    }
  }
  return packageVersion;
}

export function recordingHeader(config: WatchConfig, startedAt: number): RecordingHeader {
  return {
    sparktop: RECORDING_FORMAT,
    startedAt,
    version: sparktopVersion(),
    config: redactConfig(config),
    host: { hostname: os.hostname(), platform: `${process.platform}-${process.arch}`, node: process.version },
  };
}

/**
 * Turns samples into lines (with their newline): only t, kind and data, in that order, with rows
 * repeated from the previous line of the kind written short (repeatRows.ts). One per file.
 */
export function createSampleEncoder(): (s: Sample) => string {
  const encodeRows = createRowEncoder();
  return (s) => `${JSON.stringify({ t: s.t, kind: s.kind, data: encodeRows(s) })}\n`;
}
