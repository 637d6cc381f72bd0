/**
 * Memory of `sparktop report` and replay on a very long recording (issue #19): a ~1 GB recording
 * made of a real lab fixture's samples repeated with shifted times, batch, job and stage ids and
 * Kafka offsets (never invented values), written in the recorder's format. Each run is a child
 * process whose peak RSS (maxRSS, /proc VmHWM) is read at its exit (bench/maxRssProbe.mjs):
 *
 * - `report`: the built CLI, `sparktop report big.jsonl -o report.md` (one pass over the file);
 * - `replay`: bench/replayDrive.mjs on replay's index (dist/record/replayIndex.js): through the
 *   whole file a minute of recorded time at a time, then backward jumps and single steps back;
 * - side by side on a smaller file (default 100 MB), the whole recording in memory as before
 *   (`readRecording`, then the report or the player on the array), and the new ways on it too.
 *
 *   npm run build && node --import tsx bench/replay-memory.ts [--scenario kafka-down] [--mb 1000] [--small-mb 100] [--only report]
 *
 * `--only report`: the report of the big file alone, beside the one-pass report of the small one.
 *
 * Goal: the 1 GB recording replays and reports with RSS under 300 MB. Prints one JSON object.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../src/model/samples.js';
import { createSampleEncoder, recordingHeader } from '../src/record/recordingFormat.js';
import { samplesFromFixture } from '../test/support/samplesFromFixture.js';
import { TEST_CONFIG } from '../test/support/recordingFixtures.js';
import { argValue } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scenario = argValue('scenario', 'kafka-down');
const bigMb = Number(argValue('mb', '1000'));
const smallMb = Number(argValue('small-mb', '100'));
const only = argValue('only', 'all');
if (only !== 'all' && only !== 'report') throw new Error(`--only report (or nothing), not ${only}`);
/** The flags bin/sparktop.js runs Node with. */
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=30'];
const GOAL_MB = 300;
const round = (n: number) => Number(n.toFixed(1));

type Row = Record<string, unknown>;

/** Span of a numeric field over the fixture, +1: what one repetition adds to it. */
function spanOf(values: number[]): number {
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values) + 1;
}

/**
 * The fixture's samples for repetition `k`: times shifted by k periods, batch, job and stage ids by
 * k spans, Kafka log-end offsets by k times their growth over the fixture. Row objects are shifted
 * once per repetition (a Map by row), so rows that repeat within it stay the same object, as the
 * sources hand them.
 */
function repeater(base: readonly Sample[]) {
  const first = base[0]!.t;
  const period = base.at(-1)!.t - first + 1000;
  const progress = base.filter((s) => s.kind === 'progress').map((s) => s.data);
  const batchSpan = spanOf(progress.flatMap((p) => [...p.progress.map((q) => q.batchId), ...p.derivedBatches.map((b) => b.batchId)]));
  const jobSpan = spanOf(base.flatMap((s) => (s.kind === 'jobs' ? s.data.jobs.map((j) => j.jobId) : [])));
  const stageSpan = spanOf(base.flatMap((s) => (s.kind === 'stages' ? s.data.stages.map((x) => x.stageId) : [])));
  const offsets = new Map<number, number[]>();
  for (const s of base) if (s.kind === 'kafka') for (const p of s.data.partitions) offsets.set(p.partition, [...(offsets.get(p.partition) ?? []), p.logEndOffset]);
  const growth = new Map([...offsets].map(([p, v]) => [p, Math.max(...v) - Math.min(...v)]));
  return {
    first,
    period,
    samples(k: number): Sample[] {
      const ms = k * period;
      const rows = new Map<object, Row>();
      const shiftRow = <T extends object>(row: T, edit: (r: Row) => void): T => {
        let copy = rows.get(row);
        if (!copy) {
          copy = { ...(row as Row) };
          edit(copy);
          rows.set(row, copy);
        }
        return copy as T;
      };
      return base.map((s): Sample => {
        const t = s.t + ms;
        switch (s.kind) {
          case 'progress':
            return {
              ...s,
              t,
              data: {
                ...s.data,
                progress: s.data.progress.map((q) => ({ ...q, batchId: q.batchId + k * batchSpan, timestamp: new Date(Date.parse(q.timestamp) + ms).toISOString() })),
                derivedBatches: s.data.derivedBatches.map((b) => ({ ...b, batchId: b.batchId + k * batchSpan, startedAt: b.startedAt + ms })),
              },
            };
          case 'jobs':
            return { ...s, t, data: { ...s.data, jobs: s.data.jobs.map((j) => shiftRow(j, (r) => ((r.jobId = j.jobId + k * jobSpan), (r.stageIds = j.stageIds.map((x) => x + k * stageSpan))))) } };
          case 'stages':
            return { ...s, t, data: { ...s.data, stages: s.data.stages.map((x) => shiftRow(x, (r) => (r.stageId = x.stageId + k * stageSpan))) } };
          case 'kafka':
            return {
              ...s,
              t,
              data: { ...s.data, partitions: s.data.partitions.map((p) => ({ ...p, logEndOffset: p.logEndOffset + k * (growth.get(p.partition) ?? 0) })) },
            };
          default:
            return { ...s, t } as Sample;
        }
      });
    },
  };
}

/** Writes repetitions of the fixture until the file holds `mb` MB, in the recorder's format; returns what it wrote. */
function writeRecording(file: string, mb: number): { samples: number; hours: number; bytes: number } {
  const r = repeater(samplesFromFixture(scenario));
  const encode = createSampleEncoder();
  const fd = fs.openSync(file, 'wx');
  let bytes = fs.writeSync(fd, `${JSON.stringify(recordingHeader(TEST_CONFIG, r.first))}\n`);
  let samples = 0;
  let k = 0;
  try {
    for (; bytes < mb * 1e6; k++) {
      const repetition = r.samples(k);
      bytes += fs.writeSync(fd, repetition.map(encode).join(''));
      samples += repetition.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { samples, hours: round((k * r.period) / 3_600_000), bytes };
}

/** Runs a child Node with the probe; its wall time, peak RSS and stdout. */
function run(args: string[]): Promise<{ wallMs: number; maxRssMb: number; stdout: string }> {
  const probe = path.join(os.tmpdir(), `sparktop-maxrss-${process.pid}-${Date.now()}.json`);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, '--import', path.join(ROOT, 'bench/maxRssProbe.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, SPARKTOP_MAXRSS_FILE: probe, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = round(performance.now() - start);
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}`));
      const { maxRssMb } = JSON.parse(fs.readFileSync(probe, 'utf8')) as { maxRssMb: number };
      fs.rmSync(probe, { force: true });
      resolve({ wallMs, maxRssMb, stdout });
    });
  });
}

/** `sparktop report` of a file into the file name plus `.md`, left there for `sameMarkdown`. */
async function reportCli(file: string) {
  const r = await run([path.join(ROOT, 'bin/sparktop.js'), 'report', file, '-o', `${file}.md`, '--force']);
  return { wallMs: r.wallMs, maxRssMb: r.maxRssMb, markdownKB: round(fs.statSync(`${file}.md`).size / 1024) };
}

/** Whether two reports say the same but for the time they were written. */
function sameMarkdown(a: string, b: string): boolean {
  const text = (f: string) => fs.readFileSync(f, 'utf8').replace(/^Written [^.]*\. /m, '');
  return text(a) === text(b);
}

async function drive(mode: string, file: string, ...rest: string[]) {
  const r = await run([path.join(ROOT, 'bench/replayDrive.mjs'), mode, file, ...rest]);
  return { wallMs: r.wallMs, maxRssMb: r.maxRssMb, ...(JSON.parse(r.stdout) as Record<string, unknown>) };
}

if (!fs.existsSync(path.join(ROOT, 'dist/record/replayIndex.js'))) throw new Error('build first: npm run build');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-bench-replay-memory-'));
try {
  const big = path.join(dir, 'big.jsonl');
  const small = path.join(dir, 'small.jsonl');
  const writeStart = performance.now();
  const bigFile = writeRecording(big, bigMb);
  const smallFile = writeRecording(small, smallMb);
  const writeMs = round(performance.now() - writeStart);
  const describe = (f: { samples: number; hours: number; bytes: number }) => ({ sizeMB: round(f.bytes / 1e6), samples: f.samples, recordedHours: f.hours });
  if (only === 'report') {
    console.log(JSON.stringify({ benchmark: 'replay-memory', only, at: new Date().toISOString(), scenario, node: process.version, loadAverage: round(os.loadavg()[0]!), goalMaxRssMb: GOAL_MB, writeMs, big: { ...describe(bigFile), report: await reportCli(big) }, small: { ...describe(smallFile), report: await reportCli(small) } }, null, 2));
  } else {
    const result = {
      benchmark: 'replay-memory',
      at: new Date().toISOString(),
      scenario,
      node: process.version,
      loadAverage: round(os.loadavg()[0]!),
      goalMaxRssMb: GOAL_MB,
      writeMs,
      big: { ...describe(bigFile), report: await reportCli(big), replay: await drive('replay-index', big) },
      small: {
        ...describe(smallFile),
        before: { report: await drive('report-array', small, `${small}.before.md`), replay: await drive('replay-array', small) },
        after: { report: await reportCli(small), replay: await drive('replay-index', small) },
      },
    };
    Object.assign(result.small, { sameMarkdown: sameMarkdown(`${small}.md`, `${small}.before.md`) });
    console.log(JSON.stringify(result, null, 2));
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
