/**
 * Replay of a recording file in bounded memory, whatever its size. One pass reads the file
 * (src/record/reader.ts: the same checks and messages as always) through the model and, every
 * `everyMs` of recorded time, keeps a snapshot: the model's state as bytes
 * (src/record/modelSnapshot.ts), the byte offset of the next line and the row decoder's memory of
 * the previous lines (src/record/repeatRows.ts). When the snapshots outgrow `budgetBytes`, every
 * other one goes and the interval doubles, so the memory they take is bounded and their spacing
 * adapts to the file. A seek restores the latest snapshot whose samples are all delivered by the
 * time sought and reads forward from its offset (`ReplayPlayer`, src/record/replaySource.ts): the
 * model then holds exactly what it holds after feeding the samples from the start, as the
 * in-memory replay does.
 */
import fs from 'node:fs';
import { applySample, createModel, type ModelOptions } from '../model/index.js';
import type { Sample } from '../model/samples.js';
import { decodeModel, encodeModel } from './modelSnapshot.js';
import { openRecording, SampleCursor, type Recording, type SamplePosition } from './reader.js';
import type { RecordingHeader } from './recordingFormat.js';
import { samplesInMemory, type ReplaySamples } from './replaySource.js';

export const SNAPSHOT_BUDGET_BYTES = 48 * 1024 * 1024;
/** The first interval between snapshots, in recorded ms (doubled each time the budget is hit). */
export const SNAPSHOT_EVERY_MS = 60_000;
/** At most this many snapshots, however small the states. */
export const MAX_SNAPSHOTS = 2048;
const PROGRESS_EVERY = 4096;

interface Snapshot {
  /** How many samples (file order) the state holds, and the newest time among them. */
  applied: number;
  lastT: number;
  /** null: the fresh model before the first sample. */
  state: Buffer | null;
  position: SamplePosition;
}

export interface IndexOptions {
  /** The model's options, given the recording's header (modelOptionsOf its config, the advisor's settings). */
  model?: (header: RecordingHeader) => ModelOptions;
  budgetBytes?: number;
  everyMs?: number;
  /** Called every few thousand samples of the pass with the bytes read so far (for a progress line). */
  onProgress?: (bytesRead: number) => void;
}

export interface RecordingReplay extends ReplaySamples {
  header: RecordingHeader;
  tornLastLine: boolean;
  samples: number;
  /** The snapshots kept: how many, their bytes, their interval in recorded ms. */
  snapshots(): { count: number; bytes: number; everyMs: number };
  close(): void;
}

/** A recording already in memory (an event log converted whole) as what ReplayPlayer steps through. */
export function recordingInMemory(recording: Recording, model?: ModelOptions): RecordingReplay {
  return {
    ...samplesInMemory(recording.samples, model),
    header: recording.header,
    tornLastLine: recording.tornLastLine,
    samples: recording.samples.length,
    snapshots: () => ({ count: 0, bytes: 0, everyMs: 0 }),
    close: () => undefined,
  };
}

/** The latest snapshot whose samples are all stamped ≤ t (snapshots are in file order, so in `lastT` order). */
function latestAtOrBefore(snapshots: readonly Snapshot[], t: number): Snapshot {
  let lo = 0;
  let hi = snapshots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (snapshots[mid]!.lastT <= t) lo = mid;
    else hi = mid - 1;
  }
  return snapshots[lo]!;
}

/** Reads `file` once (RecordingError as readRecording) and returns what ReplayPlayer steps through. */
export async function indexRecording(file: string, options: IndexOptions = {}): Promise<RecordingReplay> {
  const budget = options.budgetBytes ?? SNAPSHOT_BUDGET_BYTES;
  let everyMs = options.everyMs ?? SNAPSHOT_EVERY_MS;
  const stream = await openRecording(file);
  const modelOptions = options.model?.(stream.header);
  const model = createModel(modelOptions);
  const snapshots: Snapshot[] = [{ applied: 0, lastT: -Infinity, state: null, position: stream.position() }];
  let bytes = 0;
  let count = 0;
  let first: number | null = null;
  let last: number | null = null;
  for await (const s of stream.samples) {
    applySample(model, s);
    count++;
    if (count % PROGRESS_EVERY === 0) options.onProgress?.(stream.position().offset);
    first ??= s.t;
    last = Math.max(last ?? s.t, s.t);
    if (last - Math.max(snapshots.at(-1)!.lastT, first) < everyMs) continue;
    const state = encodeModel(model);
    const position = stream.position();
    snapshots.push({ applied: count, lastT: model.lastT!, state, position });
    bytes += state.length;
    while ((bytes > budget || snapshots.length > MAX_SNAPSHOTS) && snapshots.length > 2) {
      // Keep the fresh model and every other one after it.
      const kept = snapshots.filter((_, i) => i % 2 === 0);
      bytes = kept.reduce((sum, k) => sum + (k.state?.length ?? 0), 0);
      snapshots.splice(0, snapshots.length, ...kept);
      everyMs *= 2;
    }
  }
  const until = stream.position().offset;
  const fd = fs.openSync(file, 'r');
  return {
    header: stream.header,
    tornLastLine: stream.tornLastLine(),
    samples: count,
    first,
    last,
    pointFor: (t) => latestAtOrBefore(snapshots, t).applied,
    restore: (point) => {
      const snapshot = snapshots.find((k) => k.applied === point);
      if (!snapshot) throw new RangeError(`no snapshot holds ${point} samples`);
      const cursor = new SampleCursor(file, fd, snapshot.position, until);
      const state = snapshot.state === null ? createModel(modelOptions) : decodeModel(snapshot.state);
      return { model: state, next: (): Sample | null => cursor.next() };
    },
    snapshots: () => ({ count: snapshots.length, bytes, everyMs }),
    close: () => fs.closeSync(fd),
  };
}
