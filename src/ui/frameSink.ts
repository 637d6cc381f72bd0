/**
 * Writes Ink's frames to a full-screen terminal, rewriting only the lines that changed, each at its
 * absolute row.
 *
 * Why not Ink's own `incrementalRendering`: in Ink 6.8.0 (the last 6.x, the newest that runs on
 * Node 20) its line-diff writer moves the cursor up one line too few whenever the frame is shorter
 * than the terminal (log-update.js: `cursorUp(previousVisible - 1)` after a frame that ended with a
 * newline), so every changed line lands one row low and the picture drifts (seen in tmux). A frame
 * as tall as the terminal avoids that but makes Ink clear the whole screen on every frame (flicker,
 * docs/ARCHITECTURE.md "Ink and the terminal"). In the alternate screen sparktop owns every row, so absolute positioning is simple
 * and exact.
 *
 * Use: `const sink = createFrameSink(process.stdout)` after `enterFullScreen(process.stdout)`,
 * then `render(<App …/>, { stdout: sink.stream, debug: true, patchConsole: false })` — in debug
 * mode Ink hands over each whole frame as one string, unthrottled, and writes nothing else.
 */
import { EventEmitter } from 'node:events';

const SYNC_START = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';
const CLEAR_SCREEN = '\x1b[2J';
const CLEAR_LINE = '\x1b[2K';

export interface TerminalStream {
  columns?: number;
  rows?: number;
  write(chunk: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface FrameSink {
  /** What to give Ink as `stdout`. */
  stream: NodeJS.WriteStream;
  /** Bytes written to the terminal so far. */
  bytesWritten(): number;
  /** Redraw everything with the next frame (e.g. after something else wrote to the screen). */
  invalidate(): void;
  /** The last whole frame Ink rendered (with its colour escapes), '' before the first. */
  lastFrame(): string;
  /** Stops following the terminal's resize events. */
  dispose(): void;
}

export interface FrameSinkOptions {
  /** Sees every chunk written to the terminal, after the write (e.g. a cast recorder). */
  onWrite?: (data: string) => void;
}

/** The escapes that turn the `previous` frame on screen into `next` (empty when nothing changed). */
export function frameDiff(previous: readonly string[] | null, next: readonly string[]): string {
  let out = previous === null ? CLEAR_SCREEN : '';
  const before = previous ?? [];
  const rows = Math.max(before.length, next.length);
  for (let i = 0; i < rows; i++) {
    const line = next[i];
    if (previous !== null && line === before[i]) continue;
    // Erase first, then write: erasing after a line that fills the last column can wipe that
    // column's character on terminals that defer the wrap.
    if (line === undefined) out += `\x1b[${i + 1};1H${CLEAR_LINE}`;
    else if (previous !== null || line !== '') out += `\x1b[${i + 1};1H${CLEAR_LINE}${line}`;
  }
  return out;
}

export function createFrameSink(terminal: TerminalStream, options: FrameSinkOptions = {}): FrameSink {
  let previous: string[] | null = null;
  let last = '';
  let bytes = 0;
  let disposed = false;
  const emitter = new EventEmitter();
  // Getters, not values: Ink and the App read the size again after each resize.
  const stream = Object.defineProperties(emitter, {
    isTTY: { value: true },
    columns: { get: () => terminal.columns || 80 },
    rows: { get: () => terminal.rows || 24 },
    write: {
      value(chunk: string | Uint8Array): boolean {
        if (disposed) return true;
        last = String(chunk);
        const next = last.split('\n');
        const diff = frameDiff(previous, next);
        previous = next;
        if (diff !== '') {
          const out = SYNC_START + diff + SYNC_END;
          bytes += Buffer.byteLength(out);
          terminal.write(out);
          options.onWrite?.(out);
        }
        return true;
      },
    },
  });
  const onResize = () => {
    // The terminal reflows what is on screen when it resizes: start from a clean one.
    previous = null;
    emitter.emit('resize');
  };
  terminal.on('resize', onResize);
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    bytesWritten: () => bytes,
    lastFrame: () => last,
    invalidate: () => {
      previous = null;
    },
    /** Stops writing (Ink's blank frame on unmount is not drawn, nor cast) and listening. */
    dispose: () => {
      disposed = true;
      terminal.off('resize', onResize);
    },
  };
}
