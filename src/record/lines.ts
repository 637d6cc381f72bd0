/**
 * A recording's lines with their byte offsets, read in chunks: from the start (the reader's one
 * pass, asynchronously) or from any line's offset (replay's seeks, synchronously, so stepping
 * stays a plain function call). Lines end at `\n`; the text excludes it. Bytes are split before
 * they are decoded, so a character cut by a chunk boundary is never mangled.
 */
import fs from 'node:fs';

export interface Line {
  text: string;
  /** 1-based, counting every line of the file, blank ones included. */
  lineNo: number;
  /** Byte offset where the line starts, and just past its newline (or the end of the file). */
  offset: number;
  end: number;
}

/** Where reading starts: a line's byte offset and the number of the line before it. */
export interface LinePosition {
  offset: number;
  lineNo: number;
}

export const CHUNK_BYTES = 256 * 1024;

const NEWLINE = 0x0a;

/** Cuts chunks into lines; `finish` gives the last line when the file does not end with a newline. */
class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);
  private restOffset: number;
  private lineNo: number;

  constructor(from: LinePosition) {
    this.restOffset = from.offset;
    this.lineNo = from.lineNo;
  }

  push(chunk: Buffer, out: Line[]): void {
    const buf = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      out.push(this.line(buf, start, nl, nl + 1));
      start = nl + 1;
    }
    // A copy, so the chunk's buffer can be reused for the next read.
    this.rest = Buffer.from(buf.subarray(start));
    this.restOffset += start;
  }

  finish(out: Line[]): void {
    if (this.rest.length > 0) out.push(this.line(this.rest, 0, this.rest.length, this.rest.length));
    this.rest = Buffer.alloc(0);
  }

  private line(buf: Buffer, start: number, stop: number, next: number): Line {
    return { text: buf.toString('utf8', start, stop), lineNo: ++this.lineNo, offset: this.restOffset + start, end: this.restOffset + next };
  }
}

/** The lines of an open file from `from` up to byte `until` (default: its end). */
export async function* readLines(handle: fs.promises.FileHandle, from: LinePosition = { offset: 0, lineNo: 0 }, until = Infinity): AsyncGenerator<Line, void, undefined> {
  const splitter = new LineSplitter(from);
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let at = from.offset;
  for (;;) {
    const want = Math.min(chunk.length, until - at);
    const { bytesRead } = want > 0 ? await handle.read(chunk, 0, want, at) : { bytesRead: 0 };
    const out: Line[] = [];
    if (bytesRead === 0) splitter.finish(out);
    else splitter.push(chunk.subarray(0, bytesRead), out);
    yield* out;
    if (bytesRead === 0) return;
    at += bytesRead;
  }
}

/** The same, synchronously, one line per `next()`; null at `until` or the end of the file. */
export class LineCursor {
  private readonly splitter: LineSplitter;
  private readonly chunk = Buffer.alloc(CHUNK_BYTES);
  private queue: Line[] = [];
  private head = 0;
  private at: number;
  private done = false;

  constructor(
    private readonly fd: number,
    from: LinePosition,
    private readonly until = Infinity,
  ) {
    this.splitter = new LineSplitter(from);
    this.at = from.offset;
  }

  next(): Line | null {
    while (this.head === this.queue.length && !this.done) {
      this.queue = [];
      this.head = 0;
      const want = Math.min(this.chunk.length, this.until - this.at);
      const bytesRead = want > 0 ? fs.readSync(this.fd, this.chunk, 0, want, this.at) : 0;
      this.at += bytesRead;
      if (bytesRead > 0) this.splitter.push(this.chunk.subarray(0, bytesRead), this.queue);
      else {
        this.done = true;
        this.splitter.finish(this.queue);
      }
    }
    return this.queue[this.head++] ?? null;
  }
}
