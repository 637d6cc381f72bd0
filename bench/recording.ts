/**
 * A 1-hour recording at 1 Hz: the real lab samples of a fixture repeated with shifted times until
 * an hour is covered, written through the recorder, then read back and replayed to the end (and one
 * step back, which rebuilds the model from the start).
 *
 *   node --import tsx bench/recording.ts [--scenario resubmit] [--hours 1]
 *
 * Goal (issue #6): < 50 MB on disk. Prints one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Sample } from '../src/model/samples.js';
import { readRecording } from '../src/record/reader.js';
import { openRecorder } from '../src/record/recorder.js';
import { modelOptionsOf, ReplayPlayer } from '../src/record/replaySource.js';
import { samplesFromFixture } from '../test/support/samplesFromFixture.js';
import { TEST_CONFIG } from '../test/support/recordingFixtures.js';
import { argValue } from './common.js';

process.env.NODE_ENV ??= 'production';
const scenario = argValue('scenario', 'resubmit');
const hours = Number(argValue('hours', '1'));

const base = samplesFromFixture(scenario);
const first = base[0]!.t;
// One refresh after the fixture's last sample, the fixture starts again.
const period = base.at(-1)!.t - first + 1000;
const span = hours * 3_600_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-rec-'));
const file = path.join(dir, 'hour.jsonl');
try {
  let written = 0;
  const writeStart = performance.now();
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
  const writeMs = performance.now() - writeStart;
  const sizeMB = fs.statSync(file).size / 1e6;

  const readStart = performance.now();
  const recording = await readRecording(file);
  const readMs = performance.now() - readStart;
  const replayStart = performance.now();
  const player = new ReplayPlayer(recording.samples, { model: modelOptionsOf(recording.header.config), refreshMs: 1000 });
  player.seek(player.end);
  player.derive();
  const replayToEndMs = performance.now() - replayStart;
  const backStart = performance.now();
  player.step(-1);
  player.derive();
  const stepBackMs = performance.now() - backStart;

  const round = (n: number) => Number(n.toFixed(1));
  console.log(
    JSON.stringify(
      {
        benchmark: 'recording',
        at: new Date().toISOString(),
        scenario,
        hours,
        samples: written,
        sizeMB: round(sizeMB),
        goalMB: 50,
        writeMs: round(writeMs),
        readMs: round(readMs),
        replayToEndMs: round(replayToEndMs),
        readAndReplayMs: round(readMs + replayToEndMs),
        stepBackMs: round(stepBackMs),
        heapUsedMB: round(process.memoryUsage().heapUsed / 1e6),
      },
      null,
      2,
    ),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
