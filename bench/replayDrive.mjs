/**
 * The child of bench/replay-memory.ts: drives a replay headless, as the built CLI would (dist/),
 * and prints one JSON object. Modes:
 *
 *   node bench/replayDrive.mjs replay-index FILE   the file through replay's index (bounded memory)
 *   node bench/replayDrive.mjs replay-array FILE   the whole recording in memory (before issue #19)
 *   node bench/replayDrive.mjs report-array FILE OUT   the report from the whole recording in memory (before), into OUT
 *
 * A replay goes through the file one minute of recorded time at a time, deriving at each (what the
 * screen shows), then jumps backward to 20 spread times and steps back 20 single refreshes, each
 * derived; it reports how long each took.
 */
import { performance } from 'node:perf_hooks';

process.env.NODE_ENV ??= 'production';
const [mode, file, output] = process.argv.slice(2);
const dist = new URL('../dist/', import.meta.url);
const { readRecording } = await import(new URL('record/reader.js', dist).href);
const { modelOptionsOf, ReplayPlayer } = await import(new URL('record/replaySource.js', dist).href);

const round = (n) => Number(n.toFixed(1));
/** p50, p95 and max of durations in ms. */
function summary(durations) {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (f) => round(sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]);
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}
function timed(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const out = { mode };
const openStart = performance.now();
if (mode === 'report-array') {
  const { reportMarkdown } = await import(new URL('record/report.js', dist).href);
  const fs = await import('node:fs');
  const path = await import('node:path');
  const recording = await readRecording(file);
  const markdown = reportMarkdown(recording, { source: path.basename(file), at: Date.now() });
  fs.writeFileSync(output, markdown);
  out.markdownKB = round(Buffer.byteLength(markdown) / 1024);
  out.totalMs = round(performance.now() - openStart);
} else {
  let player;
  let index = null;
  if (mode === 'replay-index') {
    const { indexRecording } = await import(new URL('record/replayIndex.js', dist).href);
    index = await indexRecording(file, { model: (h) => modelOptionsOf(h.config) });
    player = new ReplayPlayer(index, { refreshMs: 1000 });
    out.snapshots = index.snapshots();
    out.samples = index.samples;
  } else {
    const recording = await readRecording(file);
    player = new ReplayPlayer(recording.samples, { model: modelOptionsOf(recording.header.config), refreshMs: 1000 });
    out.samples = recording.samples.length;
  }
  out.openMs = round(performance.now() - openStart);
  const forwardStart = performance.now();
  let frames = 0;
  for (let t = player.start; t < player.end; t += 60_000) {
    player.seek(t);
    player.derive();
    frames++;
  }
  player.seek(player.end);
  player.derive();
  out.forward = { frames, ms: round(performance.now() - forwardStart) };
  const span = player.end - player.start;
  const jumps = [];
  for (let i = 19; i >= 0; i--) {
    // Spread over the run, latest first, 0.37 of a snapshot interval off any grid.
    jumps.push(timed(() => (player.seek(player.start + ((i + 0.37) / 20) * span), player.derive())));
  }
  out.jumpBack = summary(jumps);
  player.seek(player.start + 0.73 * span);
  const steps = [];
  for (let i = 0; i < 20; i++) steps.push(timed(() => (player.step(-1), player.derive())));
  out.stepBack = summary(steps);
  out.totalMs = round(performance.now() - openStart);
  index?.close();
}
out.heapUsedMb = round(process.memoryUsage().heapUsed / 1048576);
console.log(JSON.stringify(out));
