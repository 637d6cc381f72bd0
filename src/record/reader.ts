/**
 * Reads a recording line by line (a 1-hour recording is tens of MB). The header must be sparktop's,
 * of a format this version reads. A torn last line (the recorder was killed mid-write) is skipped
 * and counted; a bad line anywhere else means the file was damaged or edited: that is an error
 * naming the line, because replaying around a hole would show numbers that were never seen live.
 */
import fs from 'node:fs/promises';
import type { Sample } from '../model/samples.js';
import { createRowDecoder } from './repeatRows.js';
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

export async function openRecording(file: string): Promise<RecordingStream> {
  const handle = await openFile(file);
  const lines = handle.readLines({ encoding: 'utf8' })[Symbol.asyncIterator]();
  let lineNo = 0;
  const nextLine = async (): Promise<string | null> => {
    for (;;) {
      const r = await lines.next();
      if (r.done) return null;
      lineNo++;
      if (r.value.trim() !== '') return r.value;
    }
  };
  let header: RecordingHeader;
  let pending: string | null;
  try {
    const first = await nextLine();
    if (first === null) throw new RecordingError('empty', `${file} is empty (the recording never started)`);
    pending = await nextLine();
    header = parseHeader(file, first, pending === null);
  } catch (err) {
    await handle.close();
    throw err;
  }
  let torn = false;
  const decodeRows = createRowDecoder();
  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    try {
      let line = pending;
      let at = lineNo;
      while (line !== null) {
        const parsed = parseSample(line);
        const next = await nextLine();
        if (parsed === undefined) {
          // Unparseable: fine as the last line (torn by a kill), damage anywhere else.
          if (next === null) torn = true;
          else throw new RecordingError('corrupt', `${file}: line ${at} is not valid JSON (the file is damaged)`);
        } else {
          const sample = typeof parsed === 'string' ? parsed : decodeRows(parsed);
          if (typeof sample === 'string') throw new RecordingError('corrupt', `${file}: line ${at}: ${sample}`);
          yield sample;
        }
        line = next;
        at = lineNo;
      }
    } finally {
      // The line reader may have closed the handle already at the end of the file.
      await handle.close().catch(() => undefined);
    }
  }
  return { header, samples: samples(), tornLastLine: () => torn };
}

/** The whole recording in memory (what replay needs to step backwards). */
export async function readRecording(file: string): Promise<Recording> {
  const stream = await openRecording(file);
  const samples: Sample[] = [];
  for await (const s of stream.samples) samples.push(s);
  return { header: stream.header, samples, tornLastLine: stream.tornLastLine() };
}
