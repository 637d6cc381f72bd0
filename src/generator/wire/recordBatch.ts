/**
 * Kafka RecordBatch, magic 2, for values without keys or headers that share one timestamp:
 *
 *   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 *   attributes int16 | lastOffsetDelta int32 | firstTimestamp int64 | maxTimestamp int64 |
 *   producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records
 *
 *   record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *           key varint bytes (-1: null) | value varint bytes | headerCount varint
 *
 * The CRC covers attributes to the end. With gzip the records (not their count) are compressed.
 */
import { gzipSync } from 'node:zlib';
import { crc32c } from './crc32c.js';
import { Writer } from './writer.js';

export type Compression = 'none' | 'gzip';
export type RecordValue = Buffer | string;

const MAGIC = 2;
const ATTRIBUTES: Record<Compression, number> = { none: 0, gzip: 1 };
/** Bytes from the batch's start to its attributes, where the CRC begins. */
const CRC_FROM = 21;
const HEADER_BYTES = 61;

function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** v: an already zig-zagged value below 2^32. Returns the position after it. */
function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/**
 * Appends the records of `values` (offset deltas 0.., timestamp delta 0) at w.pos. Strings are
 * written as UTF-8 straight into the buffer where their length would put them if they were ASCII;
 * a string that turns out longer is moved only when its length fields need more bytes.
 */
export function writeRecords(w: Writer, values: readonly RecordValue[]): void {
  let buf = w.buf;
  let pos = w.pos;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const od = i * 2; // zig-zag of a non-negative int
    const odSize = varintSize(od);
    let len: number;
    let lenSize: number;
    let body: number;
    if (typeof v === 'string') {
      len = v.length;
      lenSize = varintSize(len * 2);
      body = 4 + odSize + lenSize + len;
      let head = varintSize(body * 2) + 3 + odSize + lenSize;
      const room = head + 3 * len + 16; // UTF-8 needs at most 3 bytes per UTF-16 unit
      if (pos + room > buf.length) {
        w.pos = pos;
        w.ensure(room);
        buf = w.buf;
        pos = w.pos;
      }
      const written = buf.write(v, pos + head);
      if (written !== len) {
        len = written;
        lenSize = varintSize(len * 2);
        body = 4 + odSize + lenSize + len;
        const head2 = varintSize(body * 2) + 3 + odSize + lenSize;
        if (head2 !== head) buf.copyWithin(pos + head2, pos + head, pos + head + len);
        head = head2;
      }
    } else {
      len = v.length;
      lenSize = varintSize(len * 2);
      body = 4 + odSize + lenSize + len;
      const room = body + 5;
      if (pos + room > buf.length) {
        w.pos = pos;
        w.ensure(room);
        buf = w.buf;
        pos = w.pos;
      }
      buf.set(v, pos + varintSize(body * 2) + 3 + odSize + lenSize);
    }
    pos = writeVarint(buf, pos, body * 2);
    buf[pos] = 0; // attributes
    buf[pos + 1] = 0; // timestamp delta
    pos = writeVarint(buf, pos + 2, od);
    buf[pos] = 1; // key: null (zig-zag -1)
    pos = writeVarint(buf, pos + 1, len * 2) + len;
    buf[pos++] = 0; // no headers
  }
  w.pos = pos;
}

/** Compresses record sections for gzip batches; its buffer is reused (gzipSync copies out). */
let gzipScratch: Writer | null = null;

/**
 * Appends one RecordBatch (producer id, epoch and base sequence -1: not idempotent) at w.pos.
 * `scratch` is only used with gzip; the module keeps one if none is given.
 */
export function writeRecordBatch(
  w: Writer,
  values: readonly RecordValue[],
  timestamp: number,
  compression: Compression = 'none',
  scratch?: Writer,
): void {
  w.ensure(HEADER_BYTES);
  const at = w.pos - w.start;
  const buf = w.buf;
  let p = w.pos;
  buf.fill(0, p, p + 8); // base offset 0
  buf.writeInt32BE(0, p + 12); // partition leader epoch (the broker sets it)
  buf[p + 16] = MAGIC;
  buf.writeInt16BE(ATTRIBUTES[compression], p + 21);
  buf.writeInt32BE(values.length - 1, p + 23);
  const hi = Math.floor(timestamp / 4294967296);
  const lo = timestamp - hi * 4294967296;
  buf.writeInt32BE(hi, p + 27);
  buf.writeUInt32BE(lo, p + 31);
  buf.writeInt32BE(hi, p + 35);
  buf.writeUInt32BE(lo, p + 39);
  buf.fill(0xff, p + 43, p + 57); // producer id, epoch, base sequence: -1
  buf.writeInt32BE(values.length, p + 57);
  w.pos = p + HEADER_BYTES;

  if (compression === 'gzip') {
    const s = scratch ?? (gzipScratch ??= new Writer(256 * 1024));
    s.reset();
    writeRecords(s, values);
    w.bytes(gzipSync(s.buf.subarray(0, s.pos)));
  } else {
    writeRecords(w, values);
  }

  p = w.start + at;
  const end = w.pos;
  w.buf.writeInt32BE(end - p - 12, p + 8);
  w.buf.writeUInt32BE(crc32c(w.buf, p + CRC_FROM, end), p + 17);
}
