/**
 * Appends lines to a file without blocking the caller: lines are buffered and written by a timer
 * (one write in flight at a time), so after a `kill -9` at most the last `flushMs` is lost and the
 * file ends at most in one torn line. A write error stops the writer and is kept as a message;
 * it never throws into the caller.
 */
import fs from 'node:fs';

export interface LineWriter {
  /** Queues text (whole lines); dropped once the writer has stopped. */
  append(text: string): void;
  /** Writes what is queued now. */
  flush(): Promise<void>;
  /** Flushes and closes the file; calling it twice is harmless. */
  close(): Promise<void>;
  /** Why the writer stopped, or null while it works. */
  error(): string | null;
}

export interface LineWriterOptions {
  flushMs?: number;
  /** Called once when a write fails (the writer then stops). */
  onError?: (message: string) => void;
}

export const DEFAULT_FLUSH_MS = 500;

export class TargetNotWritable extends Error {}

/**
 * Opens `file` for a new recording with `first` (the header) queued first. Opening is synchronous,
 * so a path that cannot be created is known at once; write errors (ENOSPC…) come later through
 * `onError`. Refuses a file that exists and is not empty: a recording is one run, and appending a
 * second run would put a header in the middle.
 */
export function openLineWriter(file: string, first: string, options: LineWriterOptions = {}): LineWriter {
  let fd: number;
  try {
    fd = fs.openSync(file, 'a');
    if (fs.fstatSync(fd).size > 0) {
      fs.closeSync(fd);
      throw new TargetNotWritable(`${file} exists and is not empty (choose a new file name)`);
    }
  } catch (err) {
    if (err instanceof TargetNotWritable) throw err;
    throw new TargetNotWritable(`cannot write ${file}: ${(err as Error).message}`);
  }
  let queue: string[] = [first];
  let failure: string | null = null;
  let closed = false;
  let closing: Promise<void> | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  const fail = (err: unknown) => {
    if (failure !== null) return;
    failure = err instanceof Error ? err.message : String(err);
    queue = [];
    clearInterval(timer);
    options.onError?.(failure);
  };
  const writeAll = (data: Buffer) =>
    new Promise<void>((resolve) => {
      const step = (offset: number) => {
        fs.write(fd, data, offset, data.length - offset, null, (err, n) => {
          if (err) {
            fail(err);
            resolve();
          } else if (offset + n < data.length) step(offset + n);
          else resolve();
        });
      };
      step(0);
    });
  const flush = (): Promise<void> => {
    inFlight = inFlight.then(() => {
      if (failure !== null || queue.length === 0) return;
      const data = Buffer.from(queue.join(''));
      queue = [];
      return writeAll(data);
    });
    return inFlight;
  };
  const timer = setInterval(() => void flush(), options.flushMs ?? DEFAULT_FLUSH_MS);
  // The timer alone must not keep the process alive.
  timer.unref();

  return {
    append(text) {
      if (failure === null && !closed) queue.push(text);
    },
    flush,
    close() {
      closed = true;
      clearInterval(timer);
      closing ??= flush().then(() => new Promise<void>((resolve) => fs.close(fd, () => resolve())));
      return closing;
    },
    error: () => failure,
  };
}
