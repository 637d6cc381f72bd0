/** Reading the recording or event log a command was given: a file that is not one is a message, and the command exits 2. */
import { RecordingError } from '../record/reader.js';
import { EventLogError } from '../sources/eventLog/reader.js';

/**
 * What `open` makes of the file (a stream, an index, a whole event log), or null once stderr says
 * why it cannot be `verb`ed (`cannot replay: … is empty`).
 */
export async function recordingFor<T>(verb: string, open: () => Promise<T>): Promise<T | null> {
  try {
    return await open();
  } catch (err) {
    if (!(err instanceof RecordingError) && !(err instanceof EventLogError)) throw err;
    process.stderr.write(`sparktop: cannot ${verb}: ${err.message}\n`);
    return null;
  }
}
