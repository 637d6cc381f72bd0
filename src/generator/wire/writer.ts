/**
 * Where requests are encoded: one large slab, each message written after the previous one and
 * handed out as a view (no copy). A message that does not fit moves, with what it has so far,
 * to a fresh slab; handed-out views are never written again, so a socket may still hold them.
 *
 * Positions a caller keeps across `ensure` must be relative to `start` (the slab may change).
 */
export class Writer {
  buf: Buffer;
  /** Where the message being written begins in `buf`. */
  start = 0;
  /** The next byte to write in `buf`. */
  pos = 0;

  constructor(private readonly slabBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafeSlow(slabBytes);
  }

  /** Room for n more bytes at `pos`. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(this.slabBytes, 2 * (used + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  /** The message written since the last take() or reset(); the writer will not write over it. */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  /** Starts again at the slab's beginning: only for scratch use, when nothing taken is still in use. */
  reset(): void {
    this.start = 0;
    this.pos = 0;
  }

  int8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  int16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }

  int32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }

  /** A whole number within ±2^53 as a signed 64-bit big-endian integer. */
  int64(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(v - hi * 4294967296, this.pos + 4);
    this.pos += 8;
  }

  /** Kafka STRING / NULLABLE_STRING: int16 byte length (-1 for null), then UTF-8. */
  string(s: string | null): void {
    if (s === null) {
      this.int16(-1);
      return;
    }
    const n = Buffer.byteLength(s);
    this.ensure(2 + n);
    this.buf.writeInt16BE(n, this.pos);
    this.pos += 2 + this.buf.write(s, this.pos + 2);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Overwrites 4 bytes at `rel` (relative to `start`). */
  patchInt32(rel: number, v: number): void {
    this.buf.writeInt32BE(v, this.start + rel);
  }

  patchUInt32(rel: number, v: number): void {
    this.buf.writeUInt32BE(v, this.start + rel);
  }
}
