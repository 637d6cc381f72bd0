/**
 * Everything the live monitor records, behind one object: `--record` (samples, actions, marks),
 * `--cast` (the terminal bytes and resizes) and `s` snapshots. Never throws into the monitor: a
 * target that cannot be opened or a write that fails becomes a sentence (`error()`, `onError`) and
 * the monitor keeps running without that recording.
 */
import type { WatchConfig } from '../config/watchConfig.js';
import type { Sample } from '../model/samples.js';
import { openCast, type CastWriter } from './cast.js';
import { openRecorder, type Recorder } from './recorder.js';
import { writeSnapshot, type SnapshotPaths } from './screenSnapshot.js';

export interface RecordingSessionOptions {
  /** `--record FILE` (null: no recording). */
  record: string | null;
  /** `--cast FILE` (null: no cast). */
  cast: string | null;
  config: WatchConfig;
  /** The terminal size when the session opens (the cast's width and height). */
  size: { columns: number; rows: number };
  /** The cast's title; default `sparktop`. */
  title?: string;
  /** Told once per failure after opening, with the sentence for the status line. */
  onError?: (message: string) => void;
  /** Wall clock (ms) for marks and the header; tests pass a fake. */
  now?: () => number;
  flushMs?: number;
}

export interface RecordingSession {
  /** True while samples go to a recording file. */
  readonly recording: boolean;
  /** Every sample the model is given (sources, control actions, marks) in the order it is given. */
  onSample(s: Sample): void;
  /** A mark sample at the current time, already recorded: give it to the model. */
  mark(note: string): Sample;
  /** Writes `frame` (the frame sink's `lastFrame()`) as .txt and .ans into `dir` (default: cwd). Throws on a write error. */
  snapshot(frame: string, dir?: string): SnapshotPaths;
  /** For `createFrameSink(stdout, { onWrite: session.sinkTap })`; undefined without `--cast`. */
  readonly sinkTap: ((data: string) => void) | undefined;
  onResize(columns: number, rows: number): void;
  /** The latest problem as a status-line sentence (e.g. `recording stopped: ENOSPC…`), or null. */
  error(): string | null;
  /** Flushes and closes both files; harmless to call twice. */
  close(): Promise<void>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function openRecordingSession(options: RecordingSessionOptions): RecordingSession {
  const now = options.now ?? Date.now;
  let problem: string | null = null;
  const report = (what: string) => (reason: string) => {
    problem = `${what}: ${reason}`;
    options.onError?.(problem);
  };

  let recorder: Recorder | null = null;
  if (options.record !== null) {
    try {
      recorder = openRecorder(options.record, options.config, now(), { flushMs: options.flushMs, onError: report('recording stopped') });
    } catch (err) {
      problem = `not recording: ${message(err)}`;
    }
  }
  let cast: CastWriter | null = null;
  if (options.cast !== null) {
    try {
      cast = openCast(options.cast, { ...options.size, title: options.title ?? 'sparktop', flushMs: options.flushMs, onError: report('cast stopped') });
    } catch (err) {
      problem = `no cast: ${message(err)}`;
    }
  }

  let closing: Promise<void> | null = null;
  const castWriter = cast;
  return {
    get recording() {
      return recorder !== null && recorder.error() === null && closing === null;
    },
    onSample(s) {
      recorder?.record(s);
    },
    mark(note) {
      const s: Sample = { t: now(), kind: 'mark', data: { note } };
      recorder?.record(s);
      return s;
    },
    snapshot: (frame, dir = process.cwd()) => writeSnapshot(frame, dir, new Date(now())),
    sinkTap: castWriter ? (data) => castWriter.output(data) : undefined,
    onResize(columns, rows) {
      cast?.resize(columns, rows);
    },
    error: () => problem,
    close() {
      closing ??= Promise.all([recorder?.close(), cast?.close()]).then(() => undefined);
      return closing;
    },
  };
}
