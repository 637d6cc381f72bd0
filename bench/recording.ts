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
import { readRecording } from '../src/record/reader.js';
import { modelOptionsOf, ReplayPlayer } from '../src/record/replaySource.js';
import { argValue } from './common.js';
import { writeHourRecording } from './hourRecording.js';

process.env.NODE_ENV ??= 'production';
const scenario = argValue('scenario', 'resubmit');
const hours = Number(argValue('hours', '1'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-rec-'));
const file = path.join(dir, 'hour.jsonl');
try {
  const writeStart = performance.now();
  const written = await writeHourRecording(file, scenario, hours);
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
