/**
 * Jobs sparktop did not write (issue: watch any job as it is). Runs last in the lab suite: it kills
 * the lab's own job and submits the independent jobs of test/jobs to the lab's master.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { Kafka } from 'kafkajs';
import type { StatusJson } from '../../../src/model/status.js';
import { eventually, getJson, ROOT, runCli } from '../helpers.js';
import { LocalLabControl } from '../../../src/control/localLab.js';
import { readGeneratorStats } from '../../../src/sources/generators.js';
import { attachArgs, labAccessArgs, checkpointCommitted, checkpointRows, compileJavaJob, FOREIGN_MAX_OFFSETS, killAllApps, submitForeignJob, type ForeignJob } from '../foreignJob.js';
import { panelText, statusJson } from '../labProbe.js';
import { LAB, labKafkaClient } from '../labUnderTest.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;
/** The lab's listener port: the independent jobs' listener serves there once the lab's job is killed, where the monitor looks. */
const LISTENER = LAB.listener;
const TOPIC = 'logs';

interface Progress {
  runId: string;
  name: string | null;
  batchId: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  sources: Array<{ endOffset: string | Record<string, Record<string, number>> }>;
}

async function logEnds(): Promise<Record<string, number>> {
  const admin = labKafkaClient().admin();
  await admin.connect();
  try {
    return Object.fromEntries((await admin.fetchTopicOffsets(TOPIC)).map((o) => [String(o.partition), Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

async function progress(): Promise<{ queries: Array<{ runId: string; name: string | null }>; progress: Progress[]; settings: Record<string, unknown> }> {
  return getJson(`${LISTENER}/progress`);
}

/** The partition rows of the overview's Partitions panel: [partition, spark offset or null, status]. */
function partitionCells(lines: string[]): Array<[number, number | null, string]> {
  const text = panelText(lines, 'Partitions');
  return text.split('\n').flatMap((l) => {
    const m = /^[│|]\s?(\d{1,4})\s+([\d ]+?|–)\s{2,}([\d ]+?|–)\s{2,}.*\s(OK|WARN|STALL|STOP|UNKN…|UNKNOWN)\s*[│|]$/.exec(l);
    return m ? [[Number(m[1]), m[3] === '–' ? null : Number(m[3]!.replace(/ /g, '')), m[4]!] as [number, number | null, string]] : [];
  });
}

/**
 * Rows per batch are compared by their median over 11 batches at the steady rate: a job starts
 * behind (the generator ran on while it started) and its first batches drain that backlog at the cap
 * (maxOffsetsPerTrigger): those measure the cap, not the rate, and are left out; the median then
 * also passes over a batch that held less than a trigger's worth.
 */
const ROWS_COMPARED = 11;
const steady = (rows: number) => rows > 0 && rows < 0.9 * FOREIGN_MAX_OFFSETS;
/**
 * The generators' rate for the suite: one the independent Python job keeps up with at its 2 s
 * trigger even on a loaded machine (at the lab's 10 000 rec/s it can stay at its cap for minutes),
 * so the listener's and the driver's rows per batch are both taken at the same steady rate.
 */
const STEADY_RPS = 4000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The independent jobs start at the latest offsets: without a running generator they get no batch
 * at all. Said at once, with the generators' logs, instead of after a wait for batches that cannot come.
 */
function assertGeneratorsProduce(): void {
  const running = readGeneratorStats(LAB.paths.generatorsDir)?.generators ?? [];
  if (running.some((g) => !g.paused && g.targetRps > 0)) return;
  const logs = fs.existsSync(LAB.paths.logsDir) ? fs.readdirSync(LAB.paths.logsDir).filter((f) => f.startsWith('generator')) : [];
  const tails = logs.map((f) => `--- ${f}\n${fs.readFileSync(path.join(LAB.paths.logsDir, f), 'utf8').split('\n').slice(-30).join('\n')}`);
  assert.fail(`no generator produces (${JSON.stringify(running)}): the jobs would get no batch\n${tails.join('\n')}`);
}

export function attachSuite(): void {
  let monitor: TmuxSession | null = null;
  let job: ForeignJob | null = null;
  let options: string[] = [];
  /** Rows per batch the listener reported for the independent job at the steady rate. */
  let listenerRows: number[] = [];

  after(async () => {
    monitor?.kill();
    await job?.stop();
  });

  it('attach --json prints spark-submit options: the built jar, the listener class, its port', async () => {
    const rate = await new LocalLabControl(LAB.paths).setRate(STEADY_RPS);
    assert.ok(rate.ok, rate.message);
    options = await attachArgs(['--listener-port', String(LAB.listenerPort)]);
    const jar = options[options.indexOf('--jars') + 1]!;
    assert.ok(jar.endsWith('.jar') && fs.existsSync(jar), jar);
    assert.ok(options.includes('spark.sql.streaming.streamingQueryListeners=sparktop.listener.SparktopProgressListener'), options.join(' '));
    assert.ok(options.includes(`spark.sparktop.listener.port=${LAB.listenerPort}`), options.join(' '));
    // --lab: the lab's Spark secret, from a file only its owner reads (the job's spark-submit runs with a configuration of its own).
    const properties = options[options.indexOf('--properties-file') + 1]!;
    assert.equal(properties, LAB.paths.sparkDefaultsFile);
    assert.equal(fs.statSync(properties).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(properties, 'utf8'), /^spark\.authenticate true$/m);
  });

  it('a monitor running throughout: the lab\'s job killed, an independent job with only those options: its offsets within two refreshes of its first batch, never STOP', async () => {
    monitor = new TmuxSession(120, 40);
    // A freshly started lab's first batch (classroom baseline) can take minutes on a loaded machine.
    await eventually('the monitor showing the lab job\'s offsets', async () => (partitionCells(monitor!.lines()).some(([, o, s]) => o !== null && s === 'OK') ? true : undefined), 10 * MIN, 500);
    await killAllApps();
    assertGeneratorsProduce();
    job = submitForeignJob('python', options);
    const first = await eventually(
      'the independent job\'s first batch through the JVM listener',
      // Its query by name: right after the kill the lab job's driver may still answer on the port.
      async () => (await progress()).progress.find((p) => p.name === 'crash_counts'),
      5 * MIN,
      250,
    );
    const firstAt = Date.now();
    const seen: string[] = [];
    let ownOffsets = false;
    // From two refreshes (1 s each) after the first batch, for 20 s: each partition shows an offset
    // the new job committed, or none (unknown); never the old job's, never STOP.
    await eventually(
      '20 s of screens after the first batch',
      async () => {
        const cells = partitionCells(monitor!.lines());
        const since = Date.now() - firstAt;
        if (since > 2_500) {
          const events = (await progress()).progress;
          const committed = new Set(events.flatMap((e) => Object.values(endOffsets(e)).flatMap((o) => Object.values(o))));
          for (const [p, o, s] of cells) {
            if (s === 'STOP') seen.push(`partition ${p} STOP ${since} ms after the first batch`);
            if (o !== null && !committed.has(o)) seen.push(`partition ${p} at offset ${o}, not one the new job committed, ${since} ms after its first batch`);
          }
          if (cells.length > 0 && cells.every(([, o]) => o !== null && committed.has(o))) ownOffsets = true;
        }
        return since > 22_000 ? true : undefined;
      },
      MIN,
      300,
    );
    assert.deepEqual(seen, [], `first batch #${first.batchId}`);
    assert.ok(ownOffsets, 'the partitions showed the new job\'s committed offsets');
  });

  it('status --json: each partition\'s lag is the log end minus the checkpoint\'s last committed end offsets (within one batch); rates are the listener\'s', async () => {
    assert.ok(job, 'the independent job runs (previous test)');
    // The rows per batch the listener reports at the steady rate (compared with the driver's below).
    listenerRows = await eventually(
      `${ROWS_COMPARED} batches through the listener`,
      async () => {
        const rows = (await progress()).progress.filter((e) => e.batchId >= 2 && steady(e.numInputRows)).map((e) => e.numInputRows);
        return rows.length >= ROWS_COMPARED ? rows.slice(-ROWS_COMPARED) : undefined;
      },
      5 * MIN,
      1000,
    );
    // Both ends are read before and after the status: the lag sparktop printed must lie between.
    const before = { ends: await logEnds(), commit: checkpointCommitted(job!.checkpoint, TOPIC) };
    const s = await statusJson();
    const after = { ends: await logEnds(), commit: checkpointCommitted(job!.checkpoint, TOPIC) };
    assert.ok(before.commit && after.commit, 'the job has committed batches');
    const events = (await progress()).progress;
    const batchRows = Math.max(...events.slice(-5).map((e) => e.numInputRows));
    assert.equal(s.kafka.partitions.length, 2);
    for (const p of s.kafka.partitions) {
      const k = String(p.partition);
      const low = before.ends[k]! - after.commit!.offsets[k]! - batchRows;
      const high = after.ends[k]! - before.commit!.offsets[k]! + batchRows;
      assert.ok(p.lag !== null && p.lag >= low && p.lag <= high, `partition ${k}: lag ${p.lag} within [${low}, ${high}]`);
    }
    const b = s.spark.batch!;
    const same = events.find((e) => e.batchId === b.batchId && (e.inputRowsPerSecond === b.inputRowsPerSecond || e.inputRowsPerSecond === null));
    assert.ok(same, `batch #${b.batchId} is one the listener reported`);
    assert.equal(b.inputRowsPerSecond, same.inputRowsPerSecond);
    assert.equal(b.processedRowsPerSecond, same.processedRowsPerSecond);
    assert.equal(b.numInputRows, same.numInputRows);
  });

  it('the Java job with the same options: the same panels (partitions with its offsets, rates, batches)', async () => {
    await job?.stop();
    const jar = await compileJavaJob();
    await killAllApps();
    assertGeneratorsProduce();
    job = submitForeignJob('java', options, jar);
    await eventually('the Java job\'s batches through the listener', async () => ((await progress()).progress.filter((p) => p.numInputRows > 0).length >= 2 ? true : undefined), 5 * MIN, 500);
    const s = await eventually('status with lag and a batch of the Java job', async () => {
      const st = await statusJson();
      return st.spark.appName === 'CrashCountsJava' && st.kafka.totalLag !== null && st.spark.batch !== null ? st : undefined;
    }, 2 * MIN);
    assert.equal(s.kafka.lagUnknown, null);
    await eventually(
      'the monitor showing the Java job',
      async () => {
        const lines = monitor!.lines();
        const cells = partitionCells(lines);
        const rates = panelText(lines, 'Rates');
        return lines[0]!.includes('CrashCountsJava') && cells.length === 2 && cells.every(([, o, st]) => o !== null && st !== 'STOP') && /in \d/.test(rates) ? true : undefined;
      },
      MIN,
      500,
    );
  });

  it('the same job without the options: rows per batch from the driver within 10 % of the listener\'s, lag unknown with the remedy, and back with --checkpoint', async () => {
    await job?.stop();
    await killAllApps();
    assertGeneratorsProduce();
    job = submitForeignJob('python', await labAccessArgs());
    const rows: number[] = [];
    const fromDriver: Array<{ batchId: number; rows: number }> = [];
    const seen = new Set<number>();
    const stops: string[] = [];
    await eventually(
      `${ROWS_COMPARED} batches with rows from the driver`,
      async () => {
        const st = await statusJson();
        const b = st.spark.batch;
        // The monitor running throughout: the new job (no listener) consumes the topic, so no
        // partition is STOP, whatever the killed job committed last.
        if (st.spark.appName === 'CrashCounts' && b) {
          for (const [p, , status] of partitionCells(monitor!.lines())) if (status === 'STOP') stops.push(`partition ${p} STOP at the new job's batch #${b.batchId}`);
        }
        if (st.spark.appName === 'CrashCounts' && b && b.numInputRows !== null && !seen.has(b.batchId) && b.batchId >= 2) {
          seen.add(b.batchId);
          fromDriver.push({ batchId: b.batchId, rows: b.numInputRows });
          if (steady(b.numInputRows)) rows.push(b.numInputRows);
        }
        return rows.length >= ROWS_COMPARED ? true : undefined;
      },
      8 * MIN,
      500,
    );
    assert.deepEqual(stops, []);
    // Each batch's rows as the driver showed them are the batch's offset ranges in the checkpoint
    // (its commit is written just after the batch's jobs end).
    const newest = Math.max(...fromDriver.map((b) => b.batchId));
    await eventually(`batch #${newest} committed`, async () => ((checkpointCommitted(job!.checkpoint, TOPIC)?.batchId ?? -1) >= newest ? true : undefined), MIN, 200);
    for (const { batchId, rows: shown } of fromDriver) assert.equal(shown, checkpointRows(job.checkpoint, TOPIC, batchId), `batch #${batchId}: rows from the driver vs the checkpoint's offsets`);
    assert.equal(listenerRows.length, ROWS_COMPARED);
    const ratio = median(rows) / median(listenerRows);
    assert.ok(Math.abs(ratio - 1) <= 0.1, `rows per batch (median): driver ${median(rows)} vs listener ${median(listenerRows)} (${rows} / ${listenerRows})`);

    const blind = await statusJson();
    assert.equal(blind.kafka.totalLag, null);
    assert.equal(blind.kafka.lagUnknown, 'no-progress');
    await eventually(
      'the remedy in the monitor\'s partitions panel',
      async () => {
        const lines = monitor!.lines();
        if (/sparktop attach/.test(panelText(lines, 'Partitions'))) return true;
        throw new Error(`the monitor shows:\n${lines.join('\n')}`);
      },
      MIN,
      500,
    );

    const before = { ends: await logEnds(), commit: checkpointCommitted(job.checkpoint, TOPIC) };
    const r = await runCli(['status', '--json', '--checkpoint', job.checkpoint], { timeoutMs: MIN });
    const s = JSON.parse(r.stdout) as StatusJson;
    const after = { ends: await logEnds(), commit: checkpointCommitted(job.checkpoint, TOPIC) };
    assert.equal(s.checkpoint.ok, true, s.checkpoint.error ?? '');
    const batchRows = Math.max(...rows);
    for (const p of s.kafka.partitions) {
      const k = String(p.partition);
      const low = before.ends[k]! - after.commit!.offsets[k]! - batchRows;
      const high = after.ends[k]! - before.commit!.offsets[k]! + batchRows;
      assert.ok(p.lag !== null && p.lag >= low && p.lag <= high, `partition ${k}: lag ${p.lag} from the checkpoint within [${low}, ${high}]`);
    }
  });

  it('a checkpoint folder that is missing, foreign or half-written: a clear message, everything else still read', async () => {
    const missing = await runCli(['status', '--json', '--checkpoint', '/nonexistent/sparktop-checkpoint'], { timeoutMs: MIN });
    const m = JSON.parse(missing.stdout) as StatusJson;
    assert.equal(m.checkpoint.ok, false);
    assert.match(m.checkpoint.error ?? '', /nonexistent\/sparktop-checkpoint/);
    assert.equal(m.kafka.partitions.length, 2, 'Kafka still read');
    assert.equal(m.spark.ok, true, 'the driver still read');
    const foreign = await runCli(['status', '--checkpoint', ROOT], { timeoutMs: MIN });
    assert.match(foreign.stdout, /checkpoint .*not a Structured Streaming checkpoint/);

    // Half-written: a copy of the running job's checkpoint whose newest committed offsets file is
    // cut inside its source line (a copy taken mid-write, or a filesystem without atomic rename).
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-half-checkpoint-'));
    try {
      fs.cpSync(job!.checkpoint, copy, { recursive: true });
      const committed = fs.readdirSync(path.join(copy, 'commits')).filter((f) => /^\d+$/.test(f)).map(Number).sort((a, b) => b - a);
      const [newest, older] = committed.filter((id) => fs.existsSync(path.join(copy, 'offsets', String(id))));
      assert.ok(newest !== undefined && older !== undefined, `two committed batches in ${job!.checkpoint}`);
      fs.rmSync(path.join(copy, 'commits', String(newest + 1)), { force: true });
      fs.rmSync(path.join(copy, 'offsets', String(newest + 1)), { force: true });
      const newestFile = path.join(copy, 'offsets', String(newest));
      const text = fs.readFileSync(newestFile, 'utf8');
      fs.writeFileSync(newestFile, text.slice(0, text.length - 10));
      const olderOffsets = checkpointCommitted(copy, TOPIC, older);
      assert.ok(olderOffsets, `batch ${older}'s offsets in the copy`);
      const endsBefore = await logEnds();
      const half = await runCli(['status', '--json', '--checkpoint', copy], { timeoutMs: MIN });
      const endsAfter = await logEnds();
      const h = JSON.parse(half.stdout) as StatusJson;
      assert.equal(h.checkpoint.ok, true, `the newest complete batch is used: ${h.checkpoint.error}`);
      for (const p of h.kafka.partitions) {
        const k = String(p.partition);
        const low = endsBefore[k]! - olderOffsets!.offsets[k]!;
        const high = endsAfter[k]! - olderOffsets!.offsets[k]!;
        assert.ok(p.lag !== null && p.lag >= low && p.lag <= high, `partition ${k}: lag ${p.lag} against batch ${older} (the newest whole one) within [${low}, ${high}]`);
      }
      // Every offsets file cut inside its metadata line: no complete batch, said as such.
      for (const f of fs.readdirSync(path.join(copy, 'offsets')).filter((n) => /^\d+$/.test(n))) {
        const file = path.join(copy, 'offsets', f);
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 20));
      }
      const none = await runCli(['status', '--json', '--checkpoint', copy], { timeoutMs: MIN });
      const n = JSON.parse(none.stdout) as StatusJson;
      assert.equal(n.checkpoint.ok, false);
      assert.match(n.checkpoint.error ?? '', /no complete batch/);
      assert.equal(n.kafka.partitions.length, 2, 'Kafka still read');
      assert.equal(n.spark.ok, true, 'the driver still read');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a taken listener port: the job runs on, its driver log says why, sparktop says the listener does not answer', async () => {
    await job?.stop();
    await killAllApps();
    const holder = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => holder.listen(LAB.listenerPort, '127.0.0.1', () => resolve()));
    try {
      assertGeneratorsProduce();
      job = submitForeignJob('python', options);
      const committed = await eventually('two committed batches in the checkpoint', async () => {
        const c = checkpointCommitted(job!.checkpoint, TOPIC);
        return c && c.batchId >= 1 ? c : undefined;
      }, 5 * MIN);
      assert.match(job.output(), new RegExp(`sparktop-listener:.*127\\.0\\.0\\.1:${LAB.listenerPort}.*(in use|taken)`, 'i'));
      const s = await statusJson();
      assert.equal(s.progress.ok, false);
      assert.ok(s.progress.error, 'the reason the listener does not answer');
      assert.equal(s.kafka.lagUnknown, 'no-progress');
      await eventually('one more committed batch: the job runs on', async () => ((checkpointCommitted(job!.checkpoint, TOPIC)?.batchId ?? -1) > committed.batchId ? true : undefined), 2 * MIN);
    } finally {
      holder.close();
    }
  });
}

function endOffsets(e: Progress): Record<string, Record<string, number>> {
  const end = e.sources[0]?.endOffset;
  return (typeof end === 'string' ? JSON.parse(end) : end ?? {}) as Record<string, Record<string, number>>;
}
