/**
 * Reads a recording line by line, as a stream (a 1-hour recording is tens of MB, a long one GBs). The header must be sparktop's,
 * of a format this version reads. A torn last line (the recorder was killed mid-write) is skipped
 * and counted; a bad line anywhere else means the file was damaged or edited: that is an error
 * naming the line, because replaying around a hole would show numbers that were never seen live.
 */
import fs from 'node:fs/promises';
import type { Sample } from '../model/samples.js';
import { LineCursor, readLines, type Line, type LinePosition } from './lines.js';
import { createRowDecoder, type RowDecoder, type RowDecoderState } from './repeatRows.js';
import { RECORDING_FORMAT, SAMPLE_KINDS, type RecordingHeader } from './recordingFormat.js';

export type RecordingProblem = 'missing' | 'unreadable' | 'empty' | 'foreign' | 'truncated' | 'newer' | 'corrupt';

export class RecordingError extends Error {
  constructor(
    readonly problem: RecordingProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordingStream {
  header: RecordingHeader;
  /** The samples in file order; iterate once. Throws RecordingError('corrupt') at a bad line. */
  samples: AsyncGenerator<Sample, void, undefined>;
  /** After `samples` is exhausted: whether a torn last line was skipped. */
  tornLastLine(): boolean;
  /** Where the samples after the last one `samples` gave start (after the header before the first). */
  position(): SamplePosition;
}

export interface Recording {
  header: RecordingHeader;
  samples: Sample[];
  tornLastLine: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function parseHeader(file: string, line: string, onlyLine: boolean): RecordingHeader {
  const json = parseJson(line);
  if (json === undefined) {
    if (onlyLine && line.startsWith('{"sparktop"')) throw new RecordingError('truncated', `${file}: the recording was cut off inside its header line`);
    throw new RecordingError('foreign', `${file} is not a sparktop recording (its first line is not a sparktop header)`);
  }
  if (!isObject(json) || typeof json.sparktop !== 'number') throw new RecordingError('foreign', `${file} is not a sparktop recording (its first line is not a sparktop header)`);
  if (json.sparktop > RECORDING_FORMAT) {
    const by = typeof json.version === 'string' ? ` (sparktop ${json.version})` : '';
    throw new RecordingError('newer', `${file} was written by a newer sparktop${by} in recording format ${json.sparktop}; this one reads format ${RECORDING_FORMAT}: upgrade sparktop`);
  }
  if (!Number.isInteger(json.sparktop) || json.sparktop < 1 || typeof json.startedAt !== 'number' || !isObject(json.config)) {
    throw new RecordingError('foreign', `${file}: the header line is malformed (needs sparktop, startedAt and config)`);
  }
  return json as unknown as RecordingHeader;
}

/** The sample on a line, or a sentence saying what is wrong with it. */
function parseSample(line: string): Sample | string | undefined {
  const json = parseJson(line);
  if (json === undefined) return undefined;
  if (!isObject(json)) return 'not a JSON object';
  if (typeof json.t !== 'number' || !Number.isFinite(json.t)) return 'no numeric "t"';
  if (typeof json.kind !== 'string' || !SAMPLE_KINDS.has(json.kind as Sample['kind'])) return `unknown kind ${JSON.stringify(json.kind)}`;
  if (!isObject(json.data)) return 'no "data" object';
  return json as unknown as Sample;
}

async function openFile(file: string): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RecordingError('missing', `${file}: no such file`);
    throw new RecordingError('unreadable', `cannot read ${file}: ${(err as Error).message}`);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new RecordingError('unreadable', `${file} is not a file`);
  }
  if (stat.size === 0) {
    await handle.close();
    throw new RecordingError('empty', `${file} is empty (the recording never started)`);
  }
  return handle;
}

/** Where the samples after a given one start: its line's end, and the row decoder as it was after it. */
export interface SamplePosition extends LinePosition {
  decoder: RowDecoderState;
}

export async function openRecording(file: string): Promise<RecordingStream> {
  const handle = await openFile(file);
  const lines = readLines(handle);
  const nextLine = async (): Promise<Line | null> => {
    for (;;) {
      const r = await lines.next();
      if (r.done) return null;
      if (r.value.text.trim() !== '') return r.value;
    }
  };
  let header: RecordingHeader;
  let pending: Line | null;
  let position: LinePosition;
  try {
    const first = await nextLine();
    if (first === null) throw new RecordingError('empty', `${file} is empty (the recording never started)`);
    pending = await nextLine();
    header = parseHeader(file, first.text, pending === null);
    position = { offset: first.end, lineNo: first.lineNo };
  } catch (err) {
    await handle.close();
    throw err;
  }
  let torn = false;
  const decodeRows = createRowDecoder();
  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    try {
      let line = pending;
      while (line !== null) {
        const sample = readSample(file, line, decodeRows);
        const next = await nextLine();
        if (sample === undefined) {
          // Unparseable: fine as the last line (torn by a kill), damage anywhere else.
          if (next === null) torn = true;
          else throw new RecordingError('corrupt', `${file}: line ${line.lineNo} is not valid JSON (the file is damaged)`);
        } else {
          position = { offset: line.end, lineNo: line.lineNo };
          yield sample;
        }
        line = next;
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  return { header, samples: samples(), tornLastLine: () => torn, position: () => ({ ...position, decoder: decodeRows.state() }) };
}

/** The sample on a line through the row decoder; undefined when the line is not JSON; a RecordingError when it is not a sample. */
function readSample(file: string, line: Line, decodeRows: RowDecoder): Sample | undefined {
  const parsed = parseSample(line.text);
  if (parsed === undefined) return undefined;
  const sample = typeof parsed === 'string' ? parsed : decodeRows(parsed);
  if (typeof sample === 'string') throw new RecordingError('corrupt', `${file}: line ${line.lineNo}: ${sample}`);
  return sample;
}

/**
 * The samples after `from`, read synchronously up to byte `until` (the end of the last sample
 * line the reader's pass found), for replay to read forward from a snapshot. Those lines were
 * read once already: one that does not parse now means the file changed since.
 */
export class SampleCursor {
  private readonly lines: LineCursor;
  private readonly decodeRows: RowDecoder;

  constructor(
    private readonly file: string,
    fd: number,
    from: SamplePosition,
    until: number,
  ) {
    this.lines = new LineCursor(fd, from, until);
    this.decodeRows = createRowDecoder(from.decoder);
  }

  next(): Sample | null {
    for (let line = this.lines.next(); line !== null; line = this.lines.next()) {
      if (line.text.trim() === '') continue;
      const sample = readSample(this.file, line, this.decodeRows);
      if (sample === undefined) throw new RecordingError('corrupt', `${this.file}: line ${line.lineNo} is not valid JSON any more (the file changed while it was replayed)`);
      return sample;
    }
    return null;
  }
}

/** The whole recording in memory (what replay needs to step backwards). */
export async function readRecording(file: string): Promise<Recording> {
  const stream = await openRecording(file);
  const samples: Sample[] = [];
  for await (const s of stream.samples) samples.push(s);
  return { header: stream.header, samples, tornLastLine: stream.tornLastLine() };
}
