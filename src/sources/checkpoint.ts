/**
 * `--checkpoint DIR`: Spark's committed offsets read from the query's checkpoint folder (read
 * only; a local or mounted filesystem), so lag is known without the progress listener.
 *
 * The layout, as Spark writes it (HDFSMetadataLog, OffsetSeqLog, CommitLog, StreamMetadata):
 * - `metadata`: `{"id":"<query id>"}`, written once when the checkpoint is created;
 * - `offsets/N`: the write-ahead log, written when batch N is planned: line 1 the log version
 *   (`v1`; Spark refuses a higher one), line 2 the batch metadata JSON (`batchTimestampMs`, …), then
 *   one line per source in the query's source order: the source's end offsets as JSON (`-` for a
 *   source without offsets); a Kafka source's are `{"<topic>":{"<partition>":<offset>,…}}`;
 * - `commits/N`: written when batch N completed (`v1`, then `{"nextBatchWatermarkMs":…}`).
 * A batch file's name is its number alone: Spark writes `.N.<uuid>.tmp` and renames it (atomic on
 * a local filesystem, not on every mounted one), and keeps `.N.crc` checksums; both are ignored
 * here. Old batches are purged (the newest 100 are kept by default), so numbers need not start
 * at 0. The newest batch with both files is the one whose end offsets Spark has consumed.
 *
 * Each round lists `offsets/` and `commits/`; the files are read only when that newest number
 * changes. A newest file that cannot be parsed (half-written: copied or still being written on a
 * filesystem without atomic rename) is skipped for the next older complete batch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CheckpointSample } from '../model/samples.js';

/** What the monitor records and replays (endpoint `checkpoint:offsets`): the batch, or why not. */
export type CheckpointAnswer = { status: 0; body: CheckpointSample } | { status: null; body: { error: string } };

/** The offset log version this reader understands (OffsetSeqLog.VERSION, CommitLog.VERSION). */
const VERSION = 1;

class Unusable extends Error {}

/** A file that is there but not whole: half-written, or not Spark's. */
class Incomplete extends Error {}

const batchMetadataSchema = z.looseObject({ batchTimestampMs: z.number().int().nonnegative() });
const queryMetadataSchema = z.looseObject({ id: z.string().min(1).max(200) });
const partitionOffsets = z.record(z.string().regex(/^\d+$/), z.number().int().min(-2));

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The log version of a batch file's first line; throws Unusable for a newer one, Incomplete if malformed. */
function versionOf(line: string | undefined, file: string): number {
  const m = /^v(\d{1,9})$/.exec(line ?? '');
  if (!m || Number(m[1]) < 1) throw new Incomplete(`${file}: no log version line`);
  const v = Number(m[1]);
  if (v > VERSION) throw new Unusable(`${file} has log version v${v}; sparktop reads v${VERSION} (written by a newer Spark?)`);
  return v;
}

/** The Kafka topics a source line names: `{"<topic>":{"<partition>":<offset>}}` (other sources: none). */
function kafkaTopics(source: unknown): Map<string, Record<string, number>> {
  const topics = new Map<string, Record<string, number>>();
  if (!source || typeof source !== 'object' || Array.isArray(source)) return topics;
  for (const [topic, partitions] of Object.entries(source)) {
    const r = partitionOffsets.safeParse(partitions);
    if (r.success) topics.set(topic, r.data);
  }
  return topics;
}

export interface ParsedOffsets {
  plannedAt: number;
  /** The watched topic's end offsets, by partition; null when no source reads the topic. */
  offsets: Array<{ partition: number; offset: number }> | null;
  /** Every Kafka topic the query's sources read. */
  topics: string[];
}

/**
 * An `offsets/N` file's text: its batch start and the watched topic's end offsets. Throws
 * Incomplete when the text is not a whole offset log entry, Unusable for a newer log version.
 */
export function parseOffsetsFile(text: string, topic: string, file = 'offsets file'): ParsedOffsets {
  const lines = text.split('\n');
  versionOf(lines[0], file);
  const meta = batchMetadataSchema.safeParse(json(lines[1] ?? ''));
  if (!meta.success) throw new Incomplete(`${file}: no batch metadata`);
  const sources = lines.slice(2);
  if (sources.length === 0) throw new Incomplete(`${file}: no source offsets`);
  const topics: string[] = [];
  let offsets: ParsedOffsets['offsets'] = null;
  for (const line of sources) {
    if (line.trim() === '-') continue; // a source without offsets
    const source = json(line);
    if (source === undefined) throw new Incomplete(`${file}: a source's offsets are not JSON`);
    for (const [name, partitions] of kafkaTopics(source)) {
      topics.push(name);
      if (name !== topic) continue;
      offsets = Object.entries(partitions)
        .map(([p, o]) => ({ partition: Number(p), offset: o }))
        // -1/-2 stand for latest/earliest in a starting offsets spec; they are not consumed offsets.
        .filter((x) => x.offset >= 0)
        .sort((a, b) => a.partition - b.partition);
    }
  }
  return { plannedAt: meta.data.batchTimestampMs, offsets, topics };
}

function errorText(err: unknown, what: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `${what} does not exist`;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `${what} is not readable (${e.code})`;
  if (e.code === 'ENOTDIR') return `${what} is not a folder`;
  return `${what}: ${e.message}`;
}

/** Batch numbers of a log folder: files named by a number alone (not `.N.crc`, `.N.<uuid>.tmp`). */
function batchNumbers(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{1,18}$/.test(f))
    .map(Number)
    .filter(Number.isSafeInteger);
}

export class CheckpointReader {
  private readonly dir: string;
  private last: { batchId: number; answer: CheckpointAnswer } | null = null;

  constructor(
    dir: string,
    private readonly topic: string,
  ) {
    this.dir = path.resolve(dir);
  }

  /** The newest complete batch, or why it cannot be known; null while no batch has completed yet. */
  read(): CheckpointAnswer | null {
    try {
      return this.readNewest();
    } catch (err) {
      return { status: null, body: { error: err instanceof Unusable || err instanceof Incomplete ? err.message : errorText(err, `checkpoint folder ${this.dir}`) } };
    }
  }

  private readNewest(): CheckpointAnswer | null {
    const entries = new Set(fs.readdirSync(this.dir));
    if (!entries.has('offsets') || !entries.has('metadata')) {
      throw new Unusable(`${this.dir} is not a Structured Streaming checkpoint (no ${entries.has('offsets') ? 'metadata file' : 'offsets/ folder'})`);
    }
    const offsets = new Set(batchNumbers(path.join(this.dir, 'offsets')));
    const commits = entries.has('commits') ? batchNumbers(path.join(this.dir, 'commits')) : [];
    const complete = commits.filter((n) => offsets.has(n)).sort((a, b) => b - a);
    if (complete.length === 0) return null;
    if (this.last && this.last.batchId === complete[0]) return this.last.answer;
    const queryId = this.queryId();
    const skipped: string[] = [];
    for (const n of complete) {
      try {
        const answer = this.batch(n, queryId);
        // A skipped newest batch is tried again next round (its file may be whole by then).
        if (n === complete[0]) this.last = { batchId: n, answer };
        return answer;
      } catch (err) {
        if (!(err instanceof Incomplete)) throw err;
        skipped.push(err.message);
      }
    }
    throw new Unusable(`no complete batch in ${this.dir}: ${skipped[0]}${skipped.length > 1 ? ` (and ${skipped.length - 1} older)` : ''}`);
  }

  private queryId(): string {
    const file = path.join(this.dir, 'metadata');
    const r = queryMetadataSchema.safeParse(json(fs.readFileSync(file, 'utf8')));
    if (!r.success) throw new Unusable(`${file} is not a checkpoint's metadata (expected {"id":"<query id>"})`);
    return r.data.id;
  }

  private batch(n: number, queryId: string): CheckpointAnswer {
    const offsetsFile = path.join(this.dir, 'offsets', String(n));
    const commitFile = path.join(this.dir, 'commits', String(n));
    const parsed = parseOffsetsFile(fs.readFileSync(offsetsFile, 'utf8'), this.topic, offsetsFile);
    if (parsed.offsets === null) {
      const has = parsed.topics.length > 0 ? `its Kafka source reads ${parsed.topics.join(', ')}` : 'it has no Kafka source';
      throw new Unusable(`${this.dir} is the checkpoint of another query: ${has}, not ${this.topic}`);
    }
    versionOf(fs.readFileSync(commitFile, 'utf8').split('\n')[0], commitFile);
    const committedAt = Math.round(fs.statSync(commitFile).mtimeMs);
    return {
      status: 0,
      body: { dir: this.dir, queryId, topic: this.topic, batchId: n, plannedAt: parsed.plannedAt, committedAt, offsets: parsed.offsets },
    };
  }
}
