/**
 * `sparktop report` of a 1-hour recording at 1 Hz (bench/hourRecording.ts): read the file, replay
 * it through the model deriving once per recorded second, and write the Markdown. Also times the
 * bare replay (model and derive only, no report collectors) to show what the report adds.
 *
 *   node --import tsx bench/report.ts [--scenario resubmit] [--hours 1]
 *
 * Goal (issue #6): < 5 s. Prints one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readRecording } from '../src/record/reader.js';
import { modelOptionsOf } from '../src/record/replaySource.js';
import { reportMarkdown } from '../src/record/report.js';
import { replayRecording } from '../src/record/reportReplay.js';
import { argValue } from './common.js';
import { writeHourRecording } from './hourRecording.js';

process.env.NODE_ENV ??= 'production';
const scenario = argValue('scenario', 'resubmit');
const hours = Number(argValue('hours', '1'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-report-'));
const file = path.join(dir, 'hour.jsonl');
try {
  const samples = await writeHourRecording(file, scenario, hours);
  const readStart = performance.now();
  const recording = await readRecording(file);
  const readMs = performance.now() - readStart;
  // CPU time too: on a shared machine the wall time mostly measures the other processes.
  const cpuMs = (since?: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const reportStart = performance.now();
  const reportCpu = process.cpuUsage();
  const markdown = reportMarkdown(recording, { source: 'hour.jsonl' });
  const reportCpuMs = cpuMs(reportCpu);
  const reportMs = performance.now() - reportStart;
  // After the report (warm): the model's part of it.
  const modelStart = performance.now();
  const modelCpu = process.cpuUsage();
  replayRecording(recording.samples, modelOptionsOf(recording.header.config), recording.header.startedAt, []);
  const replayOnlyCpuMs = cpuMs(modelCpu);
  const replayOnlyMs = performance.now() - modelStart;
  const round = (n: number) => Number(n.toFixed(1));
  console.log(
    JSON.stringify(
      {
        benchmark: 'report',
        at: new Date().toISOString(),
        scenario,
        hours,
        samples,
        sizeMB: round(fs.statSync(file).size / 1e6),
        readMs: round(readMs),
        reportMs: round(reportMs),
        reportCpuMs: round(reportCpuMs),
        replayOnlyMs: round(replayOnlyMs),
        replayOnlyCpuMs: round(replayOnlyCpuMs),
        loadAverage: round(os.loadavg()[0]!),
        totalMs: round(readMs + reportMs),
        goalMs: 5000,
        markdownKB: round(markdown.length / 1024),
        heapUsedMB: round(process.memoryUsage().heapUsed / 1e6),
      },
      null,
      2,
    ),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
