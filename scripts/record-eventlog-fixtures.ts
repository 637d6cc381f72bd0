/**
 * Records Spark event logs of the lab's job into test/fixtures/eventlog/<variant>/ for the unit
 * tests of the event-log reader: fixtures are never hand-written. Each variant is one submission
 * of the lab's job with other event-log settings (`sparktop submit --conf …`), run until it has
 * completed `--batches` micro-batches; it is stopped by the next submission (so its log is closed
 * as Spark closes it), except the last one, copied while it still runs (a log in progress).
 *
 *   sparktop lab up
 *   node --import tsx scripts/record-eventlog-fixtures.ts [--batches 4] [--only plain-file,zstd-inprogress]
 *
 * The lab is left running the job as `lab up` submits it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { defaultCacheDir, labPaths, SPARKTOP_BIN } from '../src/lab/paths.js';

interface Variant {
  name: string;
  conf: string[];
}

const VARIANTS: Variant[] = [
  { name: 'zstd-rolling', conf: [] },
  { name: 'lz4-rolling', conf: ['spark.eventLog.compression.codec=lz4'] },
  { name: 'snappy-rolling', conf: ['spark.eventLog.compression.codec=snappy'] },
  { name: 'plain-file', conf: ['spark.eventLog.compress=false', 'spark.eventLog.rolling.enabled=false'] },
  // Copied while the job runs: the reader must stop at the last whole event.
  { name: 'zstd-inprogress', conf: [] },
];

const only = process.argv.indexOf('--only');
const variants = only >= 0 ? VARIANTS.filter((v) => process.argv[only + 1]!.split(',').includes(v.name)) : VARIANTS;
const i = process.argv.indexOf('--batches');
const batches = i >= 0 ? Number(process.argv[i + 1]) : 4;
const out = path.resolve('test', 'fixtures', 'eventlog');
const eventLogs = labPaths(defaultCacheDir()).eventLogsDir;

const sparktop = (args: string[]) => execFileSync(process.execPath, [SPARKTOP_BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
// A single-file log loses `.inprogress` when its application ends: the same log either way.
const entries = () => new Set((fs.existsSync(eventLogs) ? fs.readdirSync(eventLogs) : []).map((e) => e.replace(/\.inprogress$/, '')));

function waitForBatches(appId: string): void {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    // status exits 1 or 2 when it judges the pipeline unhealthy; its JSON is what counts here.
    const r = spawnSync(process.execPath, [SPARKTOP_BIN, 'status', '--json'], { encoding: 'utf8' });
    const s = JSON.parse(r.stdout) as { spark: { appId: string | null; batch: { batchId: number } | null } };
    if (s.spark.appId === appId && s.spark.batch && s.spark.batch.batchId >= batches) return;
    if (Date.now() > deadline) throw new Error(`${appId}: fewer than ${batches} batches after 10 min`);
    execFileSync('sleep', ['2']);
  }
}

function submit(v: Variant): string {
  const before = entries();
  // Few shuffle partitions: short batches and small logs (the classroom's 200 write 200 tasks a batch).
  sparktop(['submit', '--shuffle-partitions', '4', ...v.conf.flatMap((c) => ['--conf', c])]);
  const added = [...entries()].filter((e) => !before.has(e));
  if (added.length !== 1) throw new Error(`expected one new event log in ${eventLogs}, found: ${added.join(', ') || 'none'}`);
  const started = added[0]!;
  return fs.existsSync(path.join(eventLogs, started)) ? started : `${started}.inprogress`;
}

const copy = (started: string, name: string) => {
  // A single-file log is renamed without `.inprogress` when its application ends.
  const entry = fs.existsSync(path.join(eventLogs, started)) ? started : started.replace(/\.inprogress$/, '');
  const dest = path.join(out, name);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(path.join(eventLogs, entry), path.join(dest, entry), { recursive: true, preserveTimestamps: true });
  process.stdout.write(`${name}: ${entry}\n`);
};

let previous: { entry: string; name: string } | null = null;
for (const v of variants) {
  const entry = submit(v);
  if (previous) copy(previous.entry, previous.name);
  const appId = entry.replace(/^eventlog_v2_/, '').replace(/\.inprogress$/, '').replace(/\.(zstd|lz4|snappy|lzf)$/, '');
  waitForBatches(appId);
  previous = { entry, name: v.name };
}
copy(previous!.entry, previous!.name);
sparktop(['submit']);
