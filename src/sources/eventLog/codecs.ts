/**
 * Spark's event-log compression codecs as streaming decoders (docs/ARCHITECTURE.md "Event logs"):
 * bytes in, in chunks of any size; decompressed bytes out as soon as a whole block is in. A stream
 * cut mid-block (a run still going, or killed) is not an error: `end()` says how many bytes were
 * left over, and everything before them has been given out.
 *
 * - zstd: standard zstd frames, possibly several (Spark's ZStdCompressionCodec), by `fzstd`.
 * - lz4: lz4-java's LZ4BlockOutputStream: blocks of "LZ4Block", a token (method | level), the
 *   compressed and decompressed lengths and a checksum (little-endian ints), then the LZ4 block or
 *   the bytes stored; an empty block ends a stream, and another may follow.
 * - snappy: snappy-java's SnappyOutputStream: "\x82SNAPPY\0" and two version ints, then chunks of a
 *   big-endian length and a raw snappy block.
 */
import { Decompress } from 'fzstd';

export type Codec = 'none' | 'zstd' | 'lz4' | 'snappy';

export const CODECS: readonly Codec[] = ['none', 'zstd', 'lz4', 'snappy'];

/** The stream is not in the codec's format (damaged, or another file altogether). */
export class CodecError extends Error {}

export interface StreamDecoder {
  /** Decompressed bytes of the whole blocks completed by `chunk` (possibly none). */
  push(chunk: Uint8Array): Uint8Array[];
  /** After the last chunk: the bytes of an unfinished block that were left over (0: a whole stream). */
  end(): { leftover: number };
}

/** Bytes kept between pushes: appended to, consumed from the front. */
class ByteQueue {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const needed = this.length + chunk.length;
      const next = needed <= this.buf.length ? this.buf : new Uint8Array(Math.max(needed, this.buf.length * 2, 1 << 16));
      next.set(this.buf.subarray(this.start, this.end), 0);
      this.buf = next;
      this.end -= this.start;
      this.start = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The first `n` bytes without consuming them (a view: valid until the next append). */
  peek(n: number): Uint8Array {
    return this.buf.subarray(this.start, this.start + n);
  }

  skip(n: number): void {
    this.start += n;
  }
}

const readIntLE = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const readIntBE = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** Decodes one raw LZ4 block (no frame) of `src` into `dst`; returns the bytes written. */
export function lz4DecodeBlock(src: Uint8Array, dst: Uint8Array): number {
  let s = 0;
  let d = 0;
  const fail = (why: string): never => {
    throw new CodecError(`not a valid LZ4 block (${why})`);
  };
  while (s < src.length) {
    const token = src[s++]!;
    // A length of 15 goes on in the bytes that follow, each adding up to 255.
    const extended = (length: number, what: string): number => {
      if (length !== 15) return length;
      let b: number;
      do {
        if (s >= src.length) fail(`${what} length past the end`);
        b = src[s++]!;
        length += b;
      } while (b === 255);
      return length;
    };
    const literals = extended(token >>> 4, 'literal');
    if (s + literals > src.length || d + literals > dst.length) fail('literals past the end');
    dst.set(src.subarray(s, s + literals), d);
    s += literals;
    d += literals;
    if (s >= src.length) break; // the last sequence has literals only
    if (s + 2 > src.length) fail('offset past the end');
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    const length = extended(token & 15, 'match') + 4;
    let m = d - offset;
    if (offset === 0 || m < 0) fail('match offset before the start');
    if (d + length > dst.length) fail('match past the decompressed length');
    if (offset >= length) {
      dst.copyWithin(d, m, m + length);
      d += length;
    } else for (let i = 0; i < length; i++) dst[d++] = dst[m++]!;
  }
  return d;
}

const LZ4_MAGIC = [0x4c, 0x5a, 0x34, 0x42, 0x6c, 0x6f, 0x63, 0x6b]; // "LZ4Block"
const LZ4_HEADER = 21;
const LZ4_RAW = 0x10;
const LZ4_COMPRESSED = 0x20;
/** lz4-java's largest block (32 MB); Spark's default is 32 KB. */
const LZ4_MAX_BLOCK = 1 << 25;

function lz4BlockDecoder(): StreamDecoder {
  const q = new ByteQueue();
  return {
    push(chunk) {
      q.append(chunk);
      const out: Uint8Array[] = [];
      while (q.length >= LZ4_HEADER) {
        const h = q.peek(LZ4_HEADER);
        for (let i = 0; i < 8; i++) if (h[i] !== LZ4_MAGIC[i]) throw new CodecError('not an LZ4 block stream (no "LZ4Block" magic where a block should start)');
        const method = h[8]! & 0xf0;
        const compressed = readIntLE(h, 9);
        const original = readIntLE(h, 13);
        if ((method !== LZ4_RAW && method !== LZ4_COMPRESSED) || original > LZ4_MAX_BLOCK || compressed > LZ4_MAX_BLOCK || (method === LZ4_RAW && compressed !== original)) {
          throw new CodecError('not an LZ4 block stream (a block header of impossible lengths or method)');
        }
        if (q.length < LZ4_HEADER + compressed) break;
        const body = q.peek(LZ4_HEADER + compressed).subarray(LZ4_HEADER);
        if (original > 0) {
          if (method === LZ4_RAW) out.push(body.slice());
          else {
            const dst = new Uint8Array(original);
            if (lz4DecodeBlock(body, dst) !== original) throw new CodecError('not a valid LZ4 block (shorter than its header says)');
            out.push(dst);
          }
        }
        q.skip(LZ4_HEADER + compressed);
      }
      return out;
    },
    end: () => ({ leftover: q.length }),
  };
}

/** Decodes one raw snappy block (no framing). */
export function snappyDecodeBlock(src: Uint8Array): Uint8Array {
  const fail = (why: string): never => {
    throw new CodecError(`not a valid snappy block (${why})`);
  };
  let s = 0;
  let size = 0;
  for (let shift = 0; ; shift += 7) {
    if (s >= src.length || shift > 28) fail('bad length');
    const b = src[s++]!;
    size += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (size > LZ4_MAX_BLOCK * 4) fail('impossible length');
  const dst = new Uint8Array(size);
  let d = 0;
  while (s < src.length) {
    const tag = src[s++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (s + bytes > src.length) fail('literal length past the end');
        len = 0;
        for (let i = 0; i < bytes; i++) len += src[s + i]! * 2 ** (8 * i);
        s += bytes;
      }
      len += 1;
      if (s + len > src.length || d + len > size) fail('literal past the end');
      dst.set(src.subarray(s, s + len), d);
      s += len;
      d += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (s + 1 > src.length) fail('offset past the end');
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | src[s++]!;
    } else if (type === 2) {
      if (s + 2 > src.length) fail('offset past the end');
      len = 1 + (tag >>> 2);
      offset = src[s]! | (src[s + 1]! << 8);
      s += 2;
    } else {
      if (s + 4 > src.length) fail('offset past the end');
      len = 1 + (tag >>> 2);
      offset = readIntLE(src, s);
      s += 4;
    }
    let m = d - offset;
    if (offset === 0 || m < 0) fail('copy offset before the start');
    if (d + len > size) fail('copy past the end');
    if (offset >= len) {
      dst.copyWithin(d, m, m + len);
      d += len;
    } else for (let i = 0; i < len; i++) dst[d++] = dst[m++]!;
  }
  if (d !== size) fail('shorter than its length says');
  return dst;
}

const SNAPPY_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]; // "\x82SNAPPY\0"
const SNAPPY_HEADER = 16;

function snappyStreamDecoder(): StreamDecoder {
  const q = new ByteQueue();
  let headerSeen = false;
  return {
    push(chunk) {
      q.append(chunk);
      const out: Uint8Array[] = [];
      for (;;) {
        // The header starts the stream, and starts it again where another stream was appended.
        if (q.length >= 1 && q.peek(1)[0] === SNAPPY_MAGIC[0]) {
          if (q.length < SNAPPY_HEADER) break;
          const h = q.peek(8);
          for (let i = 0; i < 8; i++) if (h[i] !== SNAPPY_MAGIC[i]) throw new CodecError('not a snappy-java stream (no "\\x82SNAPPY" header)');
          q.skip(SNAPPY_HEADER);
          headerSeen = true;
          continue;
        }
        if (q.length === 0) break;
        if (!headerSeen) throw new CodecError('not a snappy-java stream (no "\\x82SNAPPY" header)');
        if (q.length < 4) break;
        const size = readIntBE(q.peek(4), 0);
        if (size > LZ4_MAX_BLOCK * 2) throw new CodecError('not a snappy-java stream (a chunk of impossible length)');
        if (q.length < 4 + size) break;
        out.push(snappyDecodeBlock(q.peek(4 + size).subarray(4)));
        q.skip(4 + size);
      }
      return out;
    },
    end: () => ({ leftover: q.length }),
  };
}

function zstdDecoder(): StreamDecoder {
  let out: Uint8Array[] = [];
  const inner = new Decompress((data) => {
    // fzstd reuses its window: keep a copy.
    if (data.length > 0) out.push(data.slice());
  });
  let head: Uint8Array | null = new Uint8Array(0);
  return {
    push(chunk) {
      if (head !== null) {
        // Checked here: fzstd would take any 4 bytes it does not know for a skippable frame's size.
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head, 0);
        joined.set(chunk, head.length);
        if (joined.length < 4) {
          head = joined;
          return [];
        }
        const magic = readIntLE(joined, 0);
        if (magic !== 0xfd2fb528 && (magic & 0xfffffff0) !== 0x184d2a50) throw new CodecError('not a zstd stream (no zstd frame magic at the start)');
        head = null;
        chunk = joined;
      }
      try {
        inner.push(chunk);
      } catch (err) {
        throw new CodecError(`not a valid zstd stream (${(err as Error).message})`);
      }
      const got = out;
      out = [];
      return got;
    },
    end: () => ({ leftover: (head?.length ?? 0) + pending(inner) }),
  };
}

/**
 * Input fzstd holds that no block has used yet: its buffered bytes, plus one for a frame begun and
 * not ended (fzstd tells neither; both are its private fields `l` and `s`).
 */
function pending(inner: Decompress): number {
  const state = inner as unknown as { l?: number; s?: unknown };
  return (state.l ?? 0) + (typeof state.s === 'object' && state.s !== null ? 1 : 0);
}

function identity(): StreamDecoder {
  return { push: (chunk) => [chunk], end: () => ({ leftover: 0 }) };
}

export function createDecoder(codec: Codec): StreamDecoder {
  switch (codec) {
    case 'none':
      return identity();
    case 'zstd':
      return zstdDecoder();
    case 'lz4':
      return lz4BlockDecoder();
    case 'snappy':
      return snappyStreamDecoder();
  }
}
