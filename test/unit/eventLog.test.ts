/**
 * Spark event logs (src/sources/eventLog/): the lab's real logs in test/fixtures/eventlog/<variant>/
 * (scripts/record-eventlog-fixtures.ts) decoded in every codec, cut at several places, converted
 * into samples and replayed through the model and the report; files that are no event log.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applySample, createModel, derive } from '../../src/model/index.js';
import type { QueryProgress, Sample } from '../../src/model/samples.js';
import { eventLogHeader } from '../../src/commands/eventLogInput.js';
import { reportMarkdown } from '../../src/record/report.js';
import { createDecoder, lz4DecodeBlock, snappyDecodeBlock, CodecError } from '../../src/sources/eventLog/codecs.js';
import { listenerJsonOf } from '../../src/sources/eventLog/convert.js';
import { EventLogError, locateEventLog, openEventLog, readEvents, sniffCodec, type LoggedEvent } from '../../src/sources/eventLog/reader.js';
import { removeTempDirs, tempDir } from '../support/recordingFixtures.js';
import { appShower, linesOf } from '../support/screen.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'eventlog');
const PROGRESS = 'org.apache.spark.sql.streaming.StreamingQueryListener$QueryProgressEvent';

/** Variant → the log in it (a rolling folder or a file). */
const VARIANTS = new Map(
  fs
    .readdirSync(FIXTURES)
    .sort()
    .map((v) => [v, path.join(FIXTURES, v, fs.readdirSync(path.join(FIXTURES, v)).find((e) => !e.startsWith('.'))!)] as const),
);
const logOf = (variant: string) => {
  const log = VARIANTS.get(variant);
  assert.ok(log, `no fixture ${variant} in ${FIXTURES}`);
  return log;
};

async function eventsOf(log: string): Promise<{ events: LoggedEvent[]; truncated: boolean }> {
  let truncated = false;
  const events: LoggedEvent[] = [];
  for await (const chunk of readEvents(await locateEventLog(log), () => (truncated = true))) events.push(...chunk);
  return { events, truncated };
}

async function samplesOf(log: string): Promise<{ samples: Sample[]; truncated: boolean; stream: Awaited<ReturnType<typeof openEventLog>> }> {
  const stream = await openEventLog(log);
  const samples: Sample[] = [];
  for await (const s of stream.samples) samples.push(s);
  return { samples, truncated: stream.truncated(), stream };
}

async function failure(log: string): Promise<EventLogError> {
  try {
    await samplesOf(log);
  } catch (err) {
    assert.ok(err instanceof EventLogError, `${log}: ${String(err)}`);
    return err;
  }
  assert.fail(`${log} was read without an error`);
}

/** The last events file of a log (what a run still going is writing). */
function lastFile(log: string): string {
  if (!fs.statSync(log).isDirectory()) return log;
  const files = fs.readdirSync(log).filter((f) => f.startsWith('events_'));
  return path.join(log, files.sort((a, b) => Number(a.split('_')[1]) - Number(b.split('_')[1])).at(-1)!);
}

/** A copy of the log whose last file ends after `bytes` bytes. */
function cutCopy(log: string, bytes: number): string {
  const dir = tempDir();
  const copy = path.join(dir, path.basename(log));
  fs.cpSync(log, copy, { recursive: true });
  const last = path.join(copy, path.relative(log, lastFile(log)) || '');
  const target = fs.statSync(copy).isDirectory() ? last : copy;
  fs.truncateSync(target, bytes);
  return copy;
}

after(removeTempDirs);

describe('event log: codecs', () => {
  const kinds = new Map<string, Set<string>>();

  for (const variant of VARIANTS.keys()) {
    it(`${variant}: every line is a listener event, from SparkListenerLogStart on`, async () => {
      const { events, truncated } = await eventsOf(logOf(variant));
      assert.equal(events[0]!.event.Event, 'SparkListenerLogStart');
      // Spark writes whole events (and zstd frames) at each flush: even the log copied while its job ran ends at one.
      assert.equal(truncated, false);
      assert.equal((await locateEventLog(logOf(variant))).inProgress, variant.includes('inprogress'));
      const names = new Set(events.map((e) => String(e.event.Event)));
      kinds.set(variant, names);
      for (const needed of ['SparkListenerApplicationStart', 'SparkListenerEnvironmentUpdate', 'SparkListenerExecutorAdded', 'SparkListenerJobStart', 'SparkListenerTaskEnd', PROGRESS]) {
        assert.ok(names.has(needed), `${variant} has ${needed}`);
      }
    });
  }

  it('the codecs are told by their first bytes, and each fixture is in the one its name says', () => {
    for (const [variant, log] of VARIANTS) {
      const head = fs.readFileSync(lastFile(log)).subarray(0, 16);
      const expected = variant.startsWith('plain') ? 'none' : variant.split('-')[0];
      assert.equal(sniffCodec(head), expected, variant);
    }
  });

  it('every codec gives the same kinds of events as the plain log (but for how the job ended)', () => {
    const plain = kinds.get('plain-file');
    assert.ok(plain);
    const ending = new Set(['SparkListenerApplicationEnd', 'SparkListenerExecutorRemoved', 'org.apache.spark.sql.streaming.StreamingQueryListener$QueryTerminatedEvent']);
    const core = (names: Set<string>) => [...names].filter((n) => !ending.has(n)).sort();
    for (const [variant, names] of kinds) assert.deepEqual(core(names), core(plain), variant);
  });

  it('a stream fed in small pieces gives the same bytes as in one piece', () => {
    for (const variant of ['lz4-rolling', 'snappy-rolling', 'zstd-rolling']) {
      const bytes = fs.readFileSync(lastFile(logOf(variant))).subarray(0, 40_000);
      const codec = sniffCodec(bytes);
      const whole = Buffer.concat(createDecoder(codec).push(bytes));
      const dec = createDecoder(codec);
      const parts: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += 997) parts.push(...dec.push(bytes.subarray(i, i + 997)));
      assert.ok(whole.length > 0, variant);
      assert.ok(Buffer.concat(parts).equals(whole), variant);
    }
  });

  it('raw blocks that lie about their lengths are a CodecError, never a crash or a hang', () => {
    assert.throws(() => lz4DecodeBlock(Uint8Array.from([0xf0]), new Uint8Array(10)), CodecError);
    assert.throws(() => lz4DecodeBlock(Uint8Array.from([0x11, 0x61, 0x09, 0x00]), new Uint8Array(10)), CodecError);
    assert.throws(() => snappyDecodeBlock(Uint8Array.from([0x05, 0x01, 0x09])), CodecError);
    assert.throws(() => createDecoder('lz4').push(Buffer.from('LZ4Blocc-and-more-bytes-here')), CodecError);
    assert.throws(() => createDecoder('zstd').push(Buffer.from('not zstd at all')), CodecError);
  });
});

describe('event log: a log cut short (a run still going, or killed)', () => {
  for (const variant of ['zstd-rolling', 'lz4-rolling', 'snappy-rolling', 'plain-file', 'zstd-inprogress']) {
    it(`${variant}: cut anywhere, it reads up to its last whole event, without an error`, async () => {
      const log = logOf(variant);
      const full = await eventsOf(log);
      const size = fs.statSync(lastFile(log)).size;
      let before = 0;
      for (const at of [0.1, 0.35, 0.5, 0.8, 0.97].map((f) => Math.floor(size * f)).concat([size - 1])) {
        const cut = await eventsOf(cutCopy(log, at));
        // Said to be cut whenever an event was lost (a cut that loses only the stream's end mark says so too).
        if (cut.events.length < full.events.length) assert.ok(cut.truncated, `${variant} cut at ${at}: said to be cut`);
        assert.ok(cut.events.length >= before && cut.events.length <= full.events.length, `${variant} cut at ${at}: ${cut.events.length} events`);
        // Whole events only, and exactly the log's first ones.
        for (let i = 0; i < cut.events.length; i++) assert.deepEqual(cut.events[i]!.event, full.events[i]!.event, `${variant} cut at ${at}: event ${i}`);
        before = cut.events.length;
        const { samples } = await samplesOf(cutCopy(log, at));
        for (let i = 1; i < samples.length; i++) assert.ok(samples[i]!.t >= samples[i - 1]!.t, 'samples in time order');
      }
      assert.ok(before > 0.9 * full.events.length, `${variant}: a cut of the last byte loses little (${before} of ${full.events.length})`);
    });
  }

  it('plain-file: a cut inside a line drops exactly that line', async () => {
    const log = logOf('plain-file');
    const text = fs.readFileSync(log, 'utf8');
    const nl = text.indexOf('\n', Math.floor(text.length / 2));
    const cut = await eventsOf(cutCopy(log, Buffer.byteLength(text.slice(0, nl)) - 5));
    assert.equal(cut.events.length, text.slice(0, nl).split('\n').length - 1);
  });

  it('zstd-inprogress: the log copied while its job ran is read, and known to be in progress', async () => {
    const { samples, stream } = await samplesOf(logOf('zstd-inprogress'));
    assert.ok(stream.layout.inProgress);
    assert.ok(samples.some((s) => s.kind === 'progress' && s.data.progress.length > 0));
    const header = eventLogHeader(stream.layout, stream.info, samples[0]!.t);
    assert.equal(header.config.inProgress, true);
  });
});

describe('event log: what is not one', () => {
  const dir = tempDir();
  const write = (name: string, data: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), data);
    return path.join(dir, name);
  };
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251;

  it('a missing path, an empty file, a folder without events, JSON that is no event, garbage: a clear message', async () => {
    const cases: Array<[string, EventLogError['problem'], RegExp]> = [
      [path.join(dir, 'nope'), 'missing', /nope: no such file or folder/],
      [write('empty', ''), 'empty', /empty is empty/],
      [fs.mkdtempSync(path.join(dir, 'folder-')), 'foreign', /is a folder but not a rolling Spark event log/],
      [path.resolve(FIXTURES, '..', '..', '..', 'package.json'), 'foreign', /package\.json is not a Spark event log \(its first line is not JSON\)/],
      [path.resolve(FIXTURES, '..', 'lab', 'steady.jsonl'), 'foreign', /steady\.jsonl is not a Spark event log \(its first line is not a listener event\)/],
      [write('garbage.bin', garbage), 'foreign', /garbage\.bin is not a Spark event log/],
      [write('fake.zstd', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), garbage])), 'foreign', /not a valid zstd stream/],
      [write('fake.lz4', Buffer.concat([Buffer.from('LZ4Block'), garbage])), 'foreign', /not an LZ4 block stream/],
      [write('half-line', '{"Event":"SparkListenerLogStart","Spark Vers'), 'empty', /holds no whole event yet/],
    ];
    for (const [file, problem, message] of cases) {
      const err = await failure(file);
      assert.equal(err.problem, problem, `${file}: ${err.message}`);
      assert.match(err.message, message);
    }
  });

  it('events of a shape this version does not read (another Spark version): the line, the event and the version', async () => {
    const { events } = await eventsOf(logOf('zstd-rolling'));
    const lines = events.map((e) => structuredClone(e.event));
    const progress = lines.find((e) => e.Event === PROGRESS)!;
    // What a Spark version with another progress shape would write: batchId as text.
    (progress.progress as Record<string, unknown>).batchId = 'seven';
    const file = write('other-version', `${lines.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const err = await failure(file);
    assert.equal(err.problem, 'unsupported');
    assert.match(err.message, new RegExp(`other-version: line ${lines.indexOf(progress) + 1}: .*batchId.*the events of Spark 4\\.0\\.0 do not parse`));
  });

  it('a damaged line before the end is an error naming it, not a silent hole', async () => {
    const { events } = await eventsOf(logOf('zstd-rolling'));
    const lines = events.map((e) => JSON.stringify(e.event));
    lines[10] = lines[10]!.slice(0, 30);
    const err = await failure(write('damaged', `${lines.join('\n')}\n`));
    assert.equal(err.problem, 'corrupt');
    assert.match(err.message, /damaged: line 11 is not valid JSON/);
  });
});

describe('event log: samples through the model', () => {
  const show = appShower();
  for (const variant of ['zstd-rolling', 'lz4-rolling', 'snappy-rolling', 'plain-file', 'zstd-inprogress']) {
    it(`${variant}: batches, rows, rates and durations equal the progress events; lag is Spark's offsets behind latest`, async () => {
      const log = logOf(variant);
      const { events } = await eventsOf(log);
      const progress = events.filter((e) => e.event.Event === PROGRESS).map((e) => e.event.progress as Record<string, unknown>);
      const { samples, stream } = await samplesOf(log);
      assert.equal(stream.info.sparkVersion, '4.0.0');
      assert.equal(stream.info.topic, 'logs');
      assert.match(stream.info.appId ?? '', /^app-/);
      for (let i = 1; i < samples.length; i++) assert.ok(samples[i]!.t >= samples[i - 1]!.t, `sample ${i} in time order`);

      const model = createModel({ topic: 'logs' });
      for (const s of samples) applySample(model, s);
      const d = derive(model, samples.at(-1)!.t);
      const rows = [...d.batches.rows].sort((a, b) => a.batchId - b.batchId);
      assert.equal(rows.length, progress.length);
      for (const [i, raw] of progress.entries()) {
        const sources = raw.sources as Array<Record<string, number>>;
        const row = rows[i]!;
        assert.equal(row.batchId, raw.batchId);
        assert.equal(row.numInputRows, sources.reduce((n, s) => n + s.numInputRows!, 0), `batch ${row.batchId} rows`);
        assert.equal(row.inputRps, sources.reduce((n, s) => n + s.inputRowsPerSecond!, 0), `batch ${row.batchId} input rate`);
        assert.equal(row.processedRps, sources.reduce((n, s) => n + s.processedRowsPerSecond!, 0), `batch ${row.batchId} processed rate`);
        assert.equal(row.durationMs, (raw.durationMs as Record<string, number>).triggerExecution, `batch ${row.batchId} duration`);
        assert.equal(row.t, Date.parse(raw.timestamp as string));
        assert.equal(row.appId, stream.info.appId);
      }
      // Lag at the last batch: Spark's latestOffset − endOffset, which Spark reports as offsets behind latest.
      const lastSource = (progress.at(-1)!.sources as Array<{ metrics: Record<string, string>; endOffset: string; latestOffset: string }>)[0]!;
      const end = JSON.parse(lastSource.endOffset).logs as Record<string, number>;
      const latest = JSON.parse(lastSource.latestOffset).logs as Record<string, number>;
      const behind = Object.keys(latest).map((p) => latest[p]! - end[p]!);
      assert.equal(d.partitions.totalLag, behind.reduce((a, b) => a + b, 0));
      assert.equal(Math.max(...behind), Number(lastSource.metrics.maxOffsetsBehindLatest));
      assert.equal(Math.min(...behind), Number(lastSource.metrics.minOffsetsBehindLatest));
      assert.equal(d.partitions.logEndView, 'spark');
      assert.deepEqual(d.partitions.rows.map((r) => r.logEndOffset), Object.keys(latest).sort().map((p) => latest[p]));

      // Executors: cumulative task counts and times built up from TaskEnd.
      const taskEnds = events.filter((e) => e.event.Event === 'SparkListenerTaskEnd');
      const executors = samples.filter((s) => s.kind === 'executors').at(-1)!.data;
      const done = executors.executors.reduce((n, e) => n + e.completedTasks + e.failedTasks, 0);
      assert.equal(done, taskEnds.length);
      assert.ok(executors.executors.some((e) => e.id === 'driver'));
      assert.equal(executors.sparkProperties?.['spark.app.name'], 'LogsProcessor');
    });
  }

  it('the progress JSON is what the listener serves: offsets as objects, the sums Spark computes added', async () => {
    const { events } = await eventsOf(logOf('zstd-rolling'));
    const raw = events.find((e) => e.event.Event === PROGRESS)!.event.progress as Record<string, unknown>;
    assert.equal(raw.numInputRows, undefined, 'the event log has no numInputRows (Jackson writes fields, not methods)');
    const json = listenerJsonOf(raw) as unknown as QueryProgress;
    assert.equal(typeof json.sources[0]!.endOffset, 'object');
    assert.equal(json.numInputRows, json.sources[0]!.numInputRows);
    // The same keys as a progress event the listener served in the lab (test/fixtures/lab/steady.jsonl).
    const served = JSON.parse(
      fs
        .readFileSync(path.resolve(FIXTURES, '..', 'lab', 'steady.jsonl'), 'utf8')
        .split('\n')
        .find((l) => l.includes('"listener:/progress"') && l.includes('"batchId":0'))!,
    ).body.progress[0] as Record<string, unknown>;
    for (const key of Object.keys(served)) assert.ok(key in json, `the listener's ${key}`);
    assert.deepEqual(Object.keys(json.sources[0]!).sort(), Object.keys((served.sources as object[])[0]!).sort());
  });

  it('the report from an event log: its batches, lag as Spark saw it, the app and Spark version', async () => {
    const { samples, truncated, stream } = await samplesOf(logOf('zstd-rolling'));
    const header = eventLogHeader(stream.layout, stream.info, samples[0]!.t);
    const md = reportMarkdown({ header, samples, tornLastLine: truncated }, { source: 'eventlog' });
    const batches = samples.filter((s) => s.kind === 'progress').reduce((n, s) => n + (s.kind === 'progress' ? s.data.progress.length : 0), 0);
    assert.match(md, /\| recorded by \| Spark 4\.0\.0's event log, read by sparktop/);
    assert.match(md, new RegExp(`\\| 1 \\(current\\) \\|.*\\| app-\\S+ \\| 2×1c 1G sp4 \\|.*\\| 3 \\(\\+2 warm-up\\) \\|`));
    assert.match(md, new RegExp(`Over ${batches} batches reported by the listener`));
    assert.match(md, /### Total lag \(records; Spark's view at each batch\)/);
    assert.match(md, /\| topic \| logs \|/);
    assert.match(md, /## Stages/);
  });

  it("the partitions panel says the lag is Spark's view", async () => {
    const { samples } = await samplesOf(logOf('zstd-rolling'));
    const model = createModel();
    for (const s of samples) applySample(model, s);
    const frame = linesOf(show(derive(model, samples.at(-1)!.t), { columns: 120, rows: 40 })).join('\n');
    assert.match(frame, /┌ Partitions logs · Spark's view /);
  });
});
