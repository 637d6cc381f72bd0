/** Reading the recording a command was given: a file that is not one is a message, and the command exits 2. */
import { readRecording, RecordingError, type Recording } from '../record/reader.js';

/** The recording, or null once stderr says why it cannot be `verb`ed (`cannot replay: … is empty`). */
export async function recordingFor(verb: string, file: string): Promise<Recording | null> {
  try {
    return await readRecording(file);
  } catch (err) {
    if (!(err instanceof RecordingError)) throw err;
    process.stderr.write(`sparktop: cannot ${verb}: ${err.message}\n`);
    return null;
  }
}
