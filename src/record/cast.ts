/**
 * `--cast FILE`: an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/) of exactly
 * the bytes sparktop wrote to the terminal, playable with `asciinema play`.
 */
import { performance } from 'node:perf_hooks';
import { ENTER_FULL_SCREEN, LEAVE_FULL_SCREEN } from '../text/terminalCodes.js';
import { openLineWriter, type LineWriterOptions } from './lineWriter.js';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp: number;
  env: { TERM: string; SHELL: string };
  title: string;
}

export interface CastWriter {
  /** Bytes written to the terminal. */
  output(data: string): void;
  resize(columns: number, rows: number): void;
  /** Writes the screen restore sequence, flushes and closes. */
  close(): Promise<void>;
  error(): string | null;
}

export interface CastOptions extends LineWriterOptions {
  columns: number;
  rows: number;
  title: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds since an origin; monotonic (tests pass a fake). */
  clock?: () => number;
}

/**
 * Opens the cast and writes its header, plus the alternate-screen entry sparktop wrote before the
 * frame sink existed (so the cast starts as the terminal did). Throws TargetNotWritable.
 */
export function openCast(file: string, options: CastOptions): CastWriter {
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => performance.now() / 1000);
  const header: CastHeader = {
    version: 2,
    width: options.columns,
    height: options.rows,
    timestamp: Math.floor(Date.now() / 1000),
    env: { TERM: env.TERM ?? 'xterm-256color', SHELL: env.SHELL ?? '/bin/sh' },
    title: options.title,
  };
  const writer = openLineWriter(file, `${JSON.stringify(header)}\n`, options);
  const origin = clock();
  let last = 0;
  const event = (code: 'o' | 'r', data: string) => {
    // Never backwards, even if the clock were adjusted.
    last = Math.max(last, clock() - origin);
    writer.append(`${JSON.stringify([Number(last.toFixed(6)), code, data])}\n`);
  };
  event('o', ENTER_FULL_SCREEN);
  let closed = false;
  return {
    output: (data) => {
      if (!closed && data !== '') event('o', data);
    },
    resize: (columns, rows) => {
      if (!closed) event('r', `${columns}x${rows}`);
    },
    close() {
      if (!closed) event('o', LEAVE_FULL_SCREEN);
      closed = true;
      return writer.close();
    },
    error: writer.error,
  };
}
