/** `--record FILE`: every sample the sources deliver, every action and every mark, as JSON Lines. */
import type { WatchConfig } from '../config/watchConfig.js';
import type { Sample } from '../model/samples.js';
import { openLineWriter, type LineWriterOptions } from './lineWriter.js';
import { createSampleEncoder, recordingHeader } from './recordingFormat.js';

export interface Recorder {
  record(s: Sample): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Why recording stopped (a write failed), or null. */
  error(): string | null;
}

/** Throws TargetNotWritable when the file cannot be created or is not empty. */
export function openRecorder(file: string, config: WatchConfig, startedAt: number, options: LineWriterOptions = {}): Recorder {
  const writer = openLineWriter(file, `${JSON.stringify(recordingHeader(config, startedAt))}\n`, options);
  const line = createSampleEncoder();
  return {
    record: (s) => writer.append(line(s)),
    flush: writer.flush,
    close: writer.close,
    error: writer.error,
  };
}
