/**
 * A synthetic long recording at 1 Hz: a lab fixture's real samples repeated with shifted times
 * until `hours` are covered, written through the recorder (bench/recording.ts, bench/report.ts).
 */
import type { Sample } from '../src/model/samples.js';
import { openRecorder } from '../src/record/recorder.js';
import { samplesFromFixture } from '../test/support/samplesFromFixture.js';
import { TEST_CONFIG } from '../test/support/recordingFixtures.js';

/** Writes the recording to `file`; returns how many samples it holds. */
export async function writeHourRecording(file: string, scenario: string, hours: number): Promise<number> {
  const base = samplesFromFixture(scenario);
  const first = base[0]!.t;
  // One refresh after the fixture's last sample, the fixture starts again.
  const period = base.at(-1)!.t - first + 1000;
  const span = hours * 3_600_000;
  let written = 0;
  const recorder = openRecorder(file, TEST_CONFIG, first);
  for (let shift = 0; shift < span; shift += period) {
    for (const s of base) {
      if (s.t - first + shift >= span) break;
      recorder.record({ ...s, t: s.t + shift } as Sample);
      written++;
    }
    // Let the timer flush as it would in an hour of real time (keeps the queue small).
    await recorder.flush();
  }
  await recorder.close();
  return written;
}
