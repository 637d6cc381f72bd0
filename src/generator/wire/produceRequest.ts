/**
 * Produce (API key 0) version 7, request header v1, response header v0: the last non-flexible
 * version, the one kafkajs uses.
 *
 * Request:  size int32 | apiKey int16 | apiVersion int16 | correlationId int32 | clientId STRING |
 *           transactionalId NULLABLE_STRING | acks int16 | timeoutMs int32 |
 *           [topic STRING | [partition int32 | recordSet (int32 size + RecordBatch)]]
 * Response: correlationId int32 | [topic STRING | [partition int32 | errorCode int16 |
 *           baseOffset int64 | logAppendTime int64 | logStartOffset int64]] | throttleTimeMs int32
 */
import { writeRecordBatch, type Compression, type RecordValue } from './recordBatch.js';
import type { Writer } from './writer.js';

export const PRODUCE_API_KEY = 0;
export const PRODUCE_API_VERSION = 7;

export type Acks = -1 | 0 | 1;

export interface PartitionRecords {
  partition: number;
  values: readonly RecordValue[];
  /** Every record's timestamp (ms since the epoch). */
  timestamp: number;
}

export interface TopicRecords {
  topic: string;
  /** At most one entry per partition. */
  partitions: readonly PartitionRecords[];
}

export interface ProduceRequest {
  correlationId: number;
  clientId: string | null;
  acks: Acks;
  /** How long the broker may wait for the replicas (acks -1). */
  timeoutMs: number;
  compression: Compression;
  topics: readonly TopicRecords[];
}

/** The whole request, size prefix included, as a view the writer will not write over. */
export function encodeProduceRequest(w: Writer, req: ProduceRequest, gzipScratch?: Writer): Buffer {
  w.int32(0); // size, patched below
  w.int16(PRODUCE_API_KEY);
  w.int16(PRODUCE_API_VERSION);
  w.int32(req.correlationId);
  w.string(req.clientId);
  w.string(null); // transactional id
  w.int16(req.acks);
  w.int32(req.timeoutMs);
  w.int32(req.topics.length);
  for (const t of req.topics) {
    w.string(t.topic);
    w.int32(t.partitions.length);
    for (const p of t.partitions) {
      w.int32(p.partition);
      w.int32(0); // record set size, patched below
      const from = w.pos - w.start;
      writeRecordBatch(w, p.values, p.timestamp, req.compression, gzipScratch);
      w.patchInt32(from - 4, w.pos - w.start - from);
    }
  }
  w.patchInt32(0, w.pos - w.start - 4);
  return w.take();
}

export interface PartitionResponse {
  partition: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTime: bigint;
  logStartOffset: bigint;
}

export interface ProduceResponse {
  topics: { topic: string; partitions: PartitionResponse[] }[];
  throttleTimeMs: number;
}

export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

/** `body`: the response after its size and correlation id. */
export function decodeProduceResponse(body: Buffer): ProduceResponse {
  let p = 0;
  const need = (n: number) => {
    if (p + n > body.length) throw new MalformedResponseError(`Produce v${PRODUCE_API_VERSION} response truncated at byte ${p} of ${body.length}`);
  };
  const int32 = () => {
    need(4);
    const v = body.readInt32BE(p);
    p += 4;
    return v;
  };
  const int64 = () => {
    need(8);
    const v = body.readBigInt64BE(p);
    p += 8;
    return v;
  };
  const count = () => {
    const n = int32();
    if (n < 0) throw new MalformedResponseError(`Produce v${PRODUCE_API_VERSION} response: array of ${n} entries`);
    return n;
  };
  const topics: ProduceResponse['topics'] = [];
  for (let nt = count(); nt > 0; nt--) {
    need(2);
    const len = body.readInt16BE(p);
    p += 2;
    if (len < 0) throw new MalformedResponseError(`Produce v${PRODUCE_API_VERSION} response: null topic name`);
    need(len);
    const topic = body.toString('utf8', p, p + len);
    p += len;
    const partitions: PartitionResponse[] = [];
    for (let np = count(); np > 0; np--) {
      const partition = int32();
      need(2);
      const errorCode = body.readInt16BE(p);
      p += 2;
      partitions.push({ partition, errorCode, baseOffset: int64(), logAppendTime: int64(), logStartOffset: int64() });
    }
    topics.push({ topic, partitions });
  }
  const throttleTimeMs = int32();
  return { topics, throttleTimeMs };
}
