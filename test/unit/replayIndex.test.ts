/**
 * Replay from a file in bounded memory (src/record/replayIndex.ts): snapshots of the model and the
 * row decoder at byte offsets, restored on a seek. On recordings written from real lab fixtures, a
 * player reading the file shows at every moment what the in-memory player shows, whatever the
 * order of the seeks, and a backward seek through a snapshot gives what a fresh replay to the
 * same moment gives.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { applySample, createModel, type ModelState } from '../../src/model/index.js';
import type { Sample } from '../../src/model/samples.js';
import { CHUNK_BYTES, LineCursor, readLines } from '../../src/record/lines.js';
import { decodeModel, encodeModel } from '../../src/record/modelSnapshot.js';
import { openRecording, readRecording, SampleCursor } from '../../src/record/reader.js';
import { indexRecording, type IndexOptions, type RecordingReplay } from '../../src/record/replayIndex.js';
import { modelOptionsOf, ReplayPlayer } from '../../src/record/replaySource.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, tempDir, writeRecording } from '../support/recordingFixtures.js';

const opened: RecordingReplay[] = [];
after(() => {
  for (const r of opened.splice(0)) r.close();
  removeTempDirs();
});

const BUDGET = 150_000;

/** Snapshots every 10 s of recorded time, in a budget small enough that the larger states are thinned out. */
async function indexed(file: string, options: Partial<IndexOptions> = {}): Promise<RecordingReplay> {
  const r = await indexRecording(file, { model: (h) => modelOptionsOf(h.config), everyMs: 10_000, budgetBytes: BUDGET, ...options });
  opened.push(r);
  return r;
}

/** The classes of every object reachable from `value`, by path (Rings, Maps, arrays, …). */
function classes(value: unknown, at = '', out = new Map<string, string>(), seen = new Set<object>()): Map<string, string> {
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  out.set(at, (Object.getPrototypeOf(value) as { constructor?: { name: string } } | null)?.constructor?.name ?? 'null');
  const entries: Array<[string, unknown]> = value instanceof Map ? [...value].map(([k, v]) => [String(k), v]) : value instanceof Set ? [...value].map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [k, v] of entries) classes(v, `${at}.${k}`, out, seen);
  return out;
}

/** Times to seek to, forwards and backwards, over a recording's span. */
function moments(samples: readonly Sample[]): number[] {
  const t0 = samples[0]!.t;
  const span = samples.at(-1)!.t - t0;
  const fractions = [0, 0.1, 0.35, 0.3, 0.9, 0.2, 1, 0.55, 0.05, 0.8, 0.81, 0.4];
  return fractions.map((f) => t0 + Math.round(f * span) + 250);
}

const SCENARIOS = ['resubmit', 'steady', 'kafka-down', 'experiments', 'no-listener-sql'];

describe('replay from a file: snapshots', () => {
  it('a decoded snapshot is the state it was taken of, with the same classes everywhere', () => {
    for (const scenario of SCENARIOS) {
      const model = createModel({ targetBatchMs: 20_000, topic: 'logs' });
      for (const s of samplesFromFixture(scenario)) applySample(model, s);
      const back = decodeModel(encodeModel(model));
      const plain = (m: ModelState) => ({ ...m, memo: null });
      assert.deepEqual(plain(back), plain(model), scenario);
      assert.deepEqual(classes(plain(back)), classes(plain(model)), scenario);
      assert.ok([...classes(model).values()].includes('Ring'), 'the state has Rings to give back');
    }
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario}: shows what the in-memory replay shows, seek by seek, and the snapshots stay in their budget`, async () => {
      const file = await writeRecording(samplesFromFixture(scenario));
      const recording = await readRecording(file);
      const index = await indexed(file);
      assert.equal(index.samples, recording.samples.length);
      const snapshots = index.snapshots();
      assert.ok(snapshots.bytes <= BUDGET, `${snapshots.bytes} bytes of snapshots`);
      if (scenario === 'kafka-down') assert.ok(snapshots.everyMs >= 20_000, `thinned out: one every ${snapshots.everyMs} ms`);
      assert.ok(snapshots.count >= 3, `${snapshots.count} snapshots`);
      const options = { model: modelOptionsOf(recording.header.config), refreshMs: 1000 };
      const inMemory = new ReplayPlayer(recording.samples, options);
      const fromFile = new ReplayPlayer(index, options);
      assert.deepEqual([fromFile.start, fromFile.end], [inMemory.start, inMemory.end]);
      for (const t of moments(recording.samples)) {
        for (const player of [inMemory, fromFile]) {
          player.seek(t);
          player.step(-1);
          player.step(1);
        }
        assert.deepEqual(fromFile.derive(), inMemory.derive(), `at +${t - inMemory.start} ms`);
        inMemory.advance(3000);
        fromFile.advance(3000);
        assert.deepEqual(fromFile.derive(), inMemory.derive(), `3 s later`);
      }
    });
  }

  it('a backward seek through a snapshot gives what a fresh replay to the same moment gives', async () => {
    const samples = samplesFromFixture('resubmit');
    const file = await writeRecording(samples);
    const { header } = await readRecording(file);
    const index = await indexed(file, { everyMs: 5_000, budgetBytes: 64_000_000 });
    const player = new ReplayPlayer(index, { refreshMs: 1000 });
    player.seek(player.end);
    player.derive();
    for (const t of moments(samples).sort((a, b) => b - a)) {
      player.seek(t);
      const fresh = new ReplayPlayer(samples, { model: modelOptionsOf(header.config), refreshMs: 1000 });
      fresh.seek(t);
      assert.deepEqual(player.derive(), fresh.derive(), `back at +${t - player.start} ms`);
    }
  });

  it('--at far into the file starts from a snapshot, not from the first sample', async () => {
    const samples = samplesFromFixture('experiments');
    const file = await writeRecording(samples);
    const index = await indexed(file, { budgetBytes: 64_000_000 });
    const restores: number[] = [];
    const counting = { ...index, restore: (point: number) => (restores.push(point), index.restore(point)) };
    const player = new ReplayPlayer(counting, { refreshMs: 1000 });
    player.seek(player.end - 1000);
    assert.equal(restores.length, 2);
    assert.ok(restores[1]! > samples.length / 2, `restored at sample ${restores[1]}`);
    const fresh = new ReplayPlayer(samples, { model: { targetBatchMs: 20_000, topic: 'logs' } });
    fresh.seek(player.end - 1000);
    assert.deepEqual(player.derive(), fresh.derive());
  });

  it('a file without samples replays from the header time; a torn last line is skipped and said', async () => {
    const empty = await indexed(await writeRecording([]));
    assert.equal(empty.samples, 0);
    const player = new ReplayPlayer(empty, { startedAt: empty.header.startedAt });
    assert.deepEqual([player.start, player.end], [0, 0]);
    player.derive();

    const file = await writeRecording(samplesFromFixture('steady'));
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length - 40));
    const torn = await indexed(file, { everyMs: 1000 });
    const read = await readRecording(file);
    assert.equal(torn.tornLastLine, true);
    assert.equal(torn.samples, read.samples.length);
    const fromFile = new ReplayPlayer(torn, { refreshMs: 1000 });
    const inMemory = new ReplayPlayer(read.samples, { model: modelOptionsOf(read.header.config), refreshMs: 1000 });
    fromFile.seek(fromFile.end);
    inMemory.seek(inMemory.end);
    assert.deepEqual(fromFile.derive(), inMemory.derive());
  });
});

describe('replay from a file: reading from a byte offset', () => {
  it('a cursor at any sample position reads the same samples as the whole file, rows repeated across the seam included', async () => {
    const file = await writeRecording(samplesFromFixture('resubmit'));
    const all = (await readRecording(file)).samples;
    const stream = await openRecording(file);
    const positions = [stream.position()];
    for await (const _ of stream.samples) positions.push(stream.position());
    assert.equal(positions.length, all.length + 1);
    const fd = fs.openSync(file, 'r');
    try {
      for (const i of [0, 1, 7, 150, 401, all.length - 1, all.length]) {
        const cursor = new SampleCursor(file, fd, positions[i]!, positions.at(-1)!.offset);
        const rest: Sample[] = [];
        for (let s = cursor.next(); s !== null; s = cursor.next()) rest.push(s);
        assert.deepEqual(rest, all.slice(i), `from sample ${i}`);
      }
    } finally {
      fs.closeSync(fd);
    }
  });

  it('splits lines on bytes: characters cut by a chunk boundary, offsets and numbers of every line', async () => {
    const long = `${'é'.repeat(CHUNK_BYTES / 2 - 3)}€x`;
    const lines = ['first', '', long, 'ünïcode', long, 'no newline at the end'];
    const file = path.join(tempDir(), 'lines.txt');
    fs.writeFileSync(file, lines.join('\n'));
    const bytes = fs.readFileSync(file);
    const handle = await fs.promises.open(file, 'r');
    const read = [];
    for await (const line of readLines(handle)) read.push(line);
    await handle.close();
    assert.deepEqual(
      read.map((l) => l.text),
      lines,
    );
    for (const l of read) assert.equal(bytes.toString('utf8', l.offset, l.end).replace(/\n$/, ''), l.text, `line ${l.lineNo}`);
    assert.deepEqual(
      read.map((l) => l.lineNo),
      [1, 2, 3, 4, 5, 6],
    );
    const fd = fs.openSync(file, 'r');
    try {
      const cursor = new LineCursor(fd, { offset: read[3]!.offset, lineNo: 3 }, read[4]!.end);
      assert.deepEqual([cursor.next(), cursor.next(), cursor.next()], [read[3], read[4], null]);
    } finally {
      fs.closeSync(fd);
    }
  });
});
