/**
 * Reads a Spark event log (docs/ARCHITECTURE.md "Event logs") as a stream of samples: a single
 * file `<appId>[.<codec>][.inprogress]`, or a rolling folder `eventlog_v2_<appId>/` whose
 * `events_<N>_<appId>[.<codec>]` files are read in N order. The codec is told by the file's first
 * bytes (zstd, lz4, snappy, or none), not by its name. One pass, in chunks: memory does not grow
 * with the log.
 *
 * A log still being written, or whose writer was killed, ends mid-block or mid-line: it is read up
 * to its last whole event, and `truncated()` says so. A file that is not an event log, a damaged
 * line before the end, or events of a shape this version does not read (another Spark version)
 * are an EventLogError naming the file and line.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Sample } from '../../model/samples.js';
import { PayloadError } from '../payload.js';
import { CodecError, createDecoder, type Codec } from './codecs.js';
import { EventLogConverter, type EventLogInfo } from './convert.js';

export type EventLogProblem = 'missing' | 'unreadable' | 'empty' | 'foreign' | 'unsupported' | 'corrupt';

export class EventLogError extends Error {
  constructor(
    readonly problem: EventLogProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface EventLogLayout {
  /** The path given. */
  path: string;
  kind: 'rolling' | 'file';
  /** The files in reading order. */
  files: string[];
  /** The log says it is still being written (`.inprogress`). */
  inProgress: boolean;
}

export interface EventLogStream {
  layout: EventLogLayout;
  /** What the log says of the run, from its first events up to its first batch (the header). */
  info: EventLogInfo;
  /** The samples in time order; iterate once. Throws EventLogError at a bad event. */
  samples: AsyncGenerator<Sample, void, undefined>;
  /** After `samples` is exhausted: whether the log ended mid-event (read up to its last whole event). */
  truncated(): boolean;
  /** After `samples` is exhausted: the events read. */
  events(): number;
}

const ROLLING_FILE = /^events_(\d+)_.+$/;
const CHUNK = 1 << 20;
/** Compressed bytes decoded at a time (Spark's logs compress ~25×: ~1.6 MB of events). */
const COMPRESSED_SLICE = 1 << 16;
/** Samples held while looking for the first batch (the header's topic); beyond, the header goes without. */
const LOOKAHEAD_SAMPLES = 10_000;

/** Where the events are: the files of a rolling folder in order, or the one file. */
export async function locateEventLog(given: string): Promise<EventLogLayout> {
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(given);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EventLogError('missing', `${given}: no such file or folder`);
    throw new EventLogError('unreadable', `cannot read ${given}: ${(err as Error).message}`);
  }
  if (stat.isDirectory()) {
    let names: string[];
    try {
      names = await fsp.readdir(given);
    } catch (err) {
      throw new EventLogError('unreadable', `cannot read ${given}: ${(err as Error).message}`);
    }
    const events = names
      .map((n) => ({ n, m: ROLLING_FILE.exec(n) }))
      .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
      .sort((a, b) => Number(a.m[1]) - Number(b.m[1]));
    if (events.length === 0) throw new EventLogError('foreign', `${given} is a folder but not a rolling Spark event log (no events_<N>_<appId> files in it)`);
    const status = names.find((n) => n.startsWith('appstatus_'));
    return { path: given, kind: 'rolling', files: events.map((e) => path.join(given, e.n)), inProgress: status === undefined || status.endsWith('.inprogress') };
  }
  if (!stat.isFile()) throw new EventLogError('unreadable', `${given} is neither a file nor a folder`);
  if (stat.size === 0) throw new EventLogError('empty', `${given} is empty (the run had not logged an event yet)`);
  return { path: given, kind: 'file', files: [given], inProgress: given.endsWith('.inprogress') };
}

/** The codec of a stream, by its first bytes (Spark's names can be changed; the magic cannot). */
export function sniffCodec(head: Uint8Array): Codec {
  const ascii = Buffer.from(head.subarray(0, 8)).toString('latin1');
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (ascii === 'LZ4Block') return 'lz4';
  if (ascii === '\x82SNAPPY\0') return 'snappy';
  return 'none';
}

interface Line {
  file: string;
  lineNo: number;
  text: string;
  /** The last bytes of the file, without a newline after them. */
  tail: boolean;
}

/** The decompressed lines of one file; `onEnd` learns whether its stream was cut mid-block. */
async function* linesOf(file: string, onCut: () => void): AsyncGenerator<Line[], void, undefined> {
  let stream: fs.ReadStream;
  try {
    await fsp.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { highWaterMark: CHUNK });
  } catch (err) {
    throw new EventLogError('unreadable', `cannot read ${file}: ${(err as Error).message}`);
  }
  let codec: Codec | null = null;
  let decoder: ReturnType<typeof createDecoder> | null = null;
  let rest: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  const split = (bytes: Buffer, out: Line[]) => {
    const buf = rest.length === 0 ? bytes : Buffer.concat([rest, bytes]);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      lineNo++;
      if (nl > start) out.push({ file, lineNo, text: buf.toString('utf8', start, nl), tail: false });
      start = nl + 1;
    }
    rest = buf.subarray(start);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      codec ??= sniffCodec(chunk);
      decoder ??= createDecoder(codec);
      // Compressed input is fed in slices: a read's worth of zstd is ~30 MB of text, and its lines
      // and events would all be alive at once.
      const slice = codec === 'none' ? CHUNK : COMPRESSED_SLICE;
      for (let at = 0; at < chunk.length; at += slice) {
        const out: Line[] = [];
        let parts: Uint8Array[];
        try {
          parts = decoder.push(chunk.subarray(at, at + slice));
        } catch (err) {
          if (!(err instanceof CodecError)) throw err;
          throw new EventLogError(lineNo === 0 ? 'foreign' : 'corrupt', `${file}: ${err.message}`);
        }
        for (const p of parts) split(Buffer.from(p.buffer, p.byteOffset, p.length), out);
        if (out.length > 0) yield out;
      }
    }
  } catch (err) {
    if (err instanceof EventLogError) throw err;
    throw new EventLogError('unreadable', `cannot read ${file}: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
  if (decoder && decoder.end().leftover > 0) onCut();
  if (rest.length > 0) yield [{ file, lineNo: lineNo + 1, text: rest.toString('utf8'), tail: true }];
}

function parseEvent(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One event of the log and where it is (`line 12`, `events_2_… line 12`), for messages. */
export interface LoggedEvent {
  event: Record<string, unknown>;
  where: string;
}

/**
 * The events of a log, in order, a chunk's worth at a time: every whole line parsed, a line cut by
 * the end of the log dropped (`onTruncated`, as for a stream cut mid-block). Throws EventLogError
 * for a first line that is no listener event and for a bad line before the end.
 */
export async function* readEvents(layout: EventLogLayout, onTruncated: () => void): AsyncGenerator<LoggedEvent[], void, undefined> {
  let first = true;
  const given = layout.path;
  const describe = (l: Line) => (layout.kind === 'rolling' ? `${path.basename(l.file)} line ${l.lineNo}` : `line ${l.lineNo}`);
  for (const file of layout.files) {
    for await (const lines of linesOf(file, onTruncated)) {
      const out: LoggedEvent[] = [];
      for (const line of lines) {
        const event = parseEvent(line.text);
        if (event === undefined) {
          // The first line cut: a log just begun (`{"Event":…` so far), or something else.
          if (first && !(line.tail && line.text.startsWith('{"Event":'))) throw new EventLogError('foreign', `${given} is not a Spark event log (its first line is not JSON)`);
          // A line cut by the end of the log (a run still going, or killed) is dropped.
          if (line.tail) {
            onTruncated();
            continue;
          }
          throw new EventLogError('corrupt', `${given}: ${describe(line)} is not valid JSON (the log is damaged)`);
        }
        if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof (event as { Event?: unknown }).Event !== 'string') {
          if (first) throw new EventLogError('foreign', `${given} is not a Spark event log (its first line is not a listener event)`);
          throw new EventLogError('corrupt', `${given}: ${describe(line)} is not a listener event (the log is damaged)`);
        }
        first = false;
        out.push({ event: event as Record<string, unknown>, where: describe(line) });
      }
      if (out.length > 0) yield out;
    }
  }
  if (first) throw new EventLogError('empty', `${given} holds no whole event yet`);
}

export async function openEventLog(given: string, options: { tickMs?: number } = {}): Promise<EventLogStream> {
  const layout = await locateEventLog(given);
  const converter = new EventLogConverter(options);
  let truncated = false;

  /** The samples of each chunk's events, in order. */
  async function* batches(): AsyncGenerator<Sample[], void, undefined> {
    for await (const events of readEvents(layout, () => (truncated = true))) {
      const out: Sample[] = [];
      for (const { event, where } of events) {
        try {
          for (const s of converter.accept(event)) out.push(s);
        } catch (err) {
          if (!(err instanceof PayloadError)) throw err;
          const version = converter.info().sparkVersion;
          throw new EventLogError('unsupported', `${given}: ${where}: ${err.message}; the events of ${version ? `Spark ${version}` : 'this Spark version'} do not parse`);
        }
      }
      if (out.length > 0) yield out;
    }
    const last = converter.finish();
    if (last.length > 0) yield last;
  }

  const source = batches();
  // Read ahead to the first batch, for the header (app, topic); the samples wait in `held`.
  const held: Sample[] = [];
  let done = false;
  while (converter.info().batches === 0 && held.length < LOOKAHEAD_SAMPLES) {
    const r = await source.next();
    if (r.done) {
      done = true;
      break;
    }
    held.push(...r.value);
  }
  const info = converter.info();

  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    try {
      yield* held.splice(0);
      if (done) return;
      for await (const batch of source) yield* batch;
    } finally {
      await source.return(undefined);
    }
  }
  return { layout, info, samples: samples(), truncated: () => truncated, events: () => converter.info().events };
}
