/** --record and the reader: round trip on real lab samples, flushing, and bad files (kill -9: test/cli/recordingKill.test.ts). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TargetNotWritable } from '../../src/record/lineWriter.js';
import { openRecorder } from '../../src/record/recorder.js';
import { openRecording, readRecording, RecordingError, type RecordingProblem } from '../../src/record/reader.js';
import { indexRecording } from '../../src/record/replayIndex.js';
import { reportMarkdownOfStream } from '../../src/record/report.js';
import { RECORDING_FORMAT, sparktopVersion } from '../../src/record/recordingFormat.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, tempDir, TEST_CONFIG, viaJson, writeRecording } from '../support/recordingFixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

after(removeTempDirs);

/** The readers of a file: the whole recording (tests), replay's index, the report's one pass. */
const READERS: Array<[string, (file: string) => Promise<unknown>]> = [
  ['readRecording', readRecording],
  ['replay index', async (file) => (await indexRecording(file)).close()],
  ['report stream', async (file) => reportMarkdownOfStream(await openRecording(file))],
];

async function rejectsWith(file: string, problem: RecordingProblem, message: RegExp): Promise<void> {
  for (const [name, read] of READERS) {
    await assert.rejects(read(file), (err: unknown) => {
      assert.ok(err instanceof RecordingError, `${name}: a RecordingError, got ${String(err)}`);
      assert.equal(err.problem, problem, name);
      assert.match(err.message, message, name);
      return true;
    });
  }
}

function writeFile(text: string): string {
  const file = path.join(tempDir(), 'x.jsonl');
  fs.writeFileSync(file, text);
  return file;
}


describe('recording: write and read back', () => {
  it('round-trips every sample of the resubmit recording, header first', async () => {
    const samples = samplesFromFixture('resubmit');
    const file = await writeRecording(samples);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, samples.length + 2, 'header, one line per sample, final newline');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(header), ['sparktop', 'startedAt', 'version', 'config', 'host']);
    assert.equal(header.sparktop, RECORDING_FORMAT);
    assert.equal(header.version, sparktopVersion());
    assert.match(String(header.version), /^\d+\.\d+\.\d+/);
    assert.deepEqual(Object.keys(JSON.parse(lines[1]!) as object), ['t', 'kind', 'data']);

    const read = await readRecording(file);
    assert.equal(read.tornLastLine, false);
    assert.equal(read.header.config.topic, 'logs');
    assert.equal(read.header.config.refreshMs, 1000);
    assert.deepEqual(read.samples, viaJson(samples));
  });

  it('writes stage and job rows that did not change as repeats, and reads them back whole', async () => {
    const samples = samplesFromFixture('resubmit');
    const file = await writeRecording(samples);
    const text = fs.readFileSync(file, 'utf8');
    const plain = samples.reduce((n, s) => n + JSON.stringify(s).length + 1, 0);
    assert.ok(text.length < plain * 0.4, `${text.length} bytes, ${plain} without repeats`);
    const lines = text.split('\n');
    const stageLines = lines.filter((l) => l.includes('"kind":"stages"'));
    assert.match(stageLines[5]!, /\{"=":"\d+\/\d+"\}/);
    const jobLines = lines.filter((l) => l.includes('"kind":"jobs"'));
    assert.match(jobLines[5]!, /\{"=":"\d+"\}/);
    // The round trip above compares every sample; here: a repeat is the very row of the line before.
    const read = await readRecording(file);
    const stages = read.samples.filter((x) => x.kind === 'stages');
    assert.deepEqual(stages.map((x) => x.data), viaJson(samples.filter((x) => x.kind === 'stages').map((x) => x.data)));
  });

  it('writes a row handed again as the same object as a repeat, and a changed row of the same key in full', async () => {
    const stages = samplesFromFixture('steady').filter((x) => x.kind === 'stages' && x.data.stages.length >= 2);
    const first = stages[0]!;
    if (first.kind !== 'stages') throw new Error('unreachable');
    const rows = first.data.stages;
    const changed = { ...rows[0]!, numCompleteTasks: rows[0]!.numCompleteTasks + 1 };
    const again = { ...first, t: first.t + 1000, data: { ...first.data, stages: [changed, ...rows.slice(1)] } };
    const file = await writeRecording([first, again]);
    const line = fs.readFileSync(file, 'utf8').split('\n')[2]!;
    const written = (JSON.parse(line) as { data: { stages: unknown[] } }).data.stages;
    assert.deepEqual(written[0], viaJson(changed));
    assert.deepEqual(written[1], { '=': `${rows[1]!.stageId}/${rows[1]!.attemptId}` });
    const read = await readRecording(file);
    assert.deepEqual(read.samples, viaJson([first, again]));
  });

  it('records control and mark samples as given', async () => {
    const file = await writeRecording([
      { t: 1, kind: 'control', data: { action: 'rate', detail: { to: 2000 }, result: 'ok', durationMs: 12, message: 'rate 2000/s' } },
      { t: 2, kind: 'mark', data: { note: 'after the resubmit' } },
    ]);
    const read = await readRecording(file);
    assert.deepEqual(
      read.samples.map((s) => s.kind),
      ['control', 'mark'],
    );
  });

  it('never writes credentials of the configuration', async () => {
    const config = { ...TEST_CONFIG, sparkUi: 'http://admin:hunter2@spark.example:4040', progressUrl: 'http://127.0.0.1:4090/?token=abc123&x=1' };
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 3), config);
    const text = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /hunter2|abc123/);
    const { header } = await readRecording(file);
    assert.equal(header.config.sparkUi, 'http://redacted@spark.example:4040');
    assert.equal(header.config.progressUrl, 'http://127.0.0.1:4090/?token=redacted&x=1');
  });

  it('has every sample on disk within a second while the recorder is still open', async () => {
    const file = path.join(tempDir(), 'open.jsonl');
    const recorder = openRecorder(file, TEST_CONFIG, 0);
    const samples = samplesFromFixture('steady').slice(0, 40);
    for (const s of samples) recorder.record(s);
    await sleep(1000);
    const read = await readRecording(file);
    assert.equal(read.samples.length, samples.length);
    await recorder.close();
    await recorder.close();
  });

  it('refuses a file that is not empty, accepts an empty one', async () => {
    const full = writeFile('something\n');
    assert.throws(() => openRecorder(full, TEST_CONFIG, 0), (err: unknown) => err instanceof TargetNotWritable && /exists and is not empty/.test(err.message));
    assert.equal(fs.readFileSync(full, 'utf8'), 'something\n', 'left as it was');
    const empty = writeFile('');
    const recorder = openRecorder(empty, TEST_CONFIG, 0);
    await recorder.close();
    assert.equal((await readRecording(empty)).samples.length, 0);
  });

  it('says why a path cannot be opened', () => {
    assert.throws(() => openRecorder(path.join(tempDir(), 'no', 'such', 'dir.jsonl'), TEST_CONFIG, 0), /cannot write .*ENOENT/);
    assert.throws(() => openRecorder(tempDir(), TEST_CONFIG, 0), /cannot write .*EISDIR/);
  });

  it('a full disk stops the recording with a message, once, and nothing throws', { skip: !fs.existsSync('/dev/full') && 'no /dev/full' }, async () => {
    const errors: string[] = [];
    const recorder = openRecorder('/dev/full', TEST_CONFIG, 0, { flushMs: 50, onError: (m) => errors.push(m) });
    assert.equal(recorder.error(), null);
    const samples = samplesFromFixture('steady');
    for (const s of samples.slice(0, 10)) recorder.record(s);
    await sleep(200);
    for (const s of samples.slice(10, 20)) recorder.record(s);
    await recorder.flush();
    await recorder.close();
    assert.match(recorder.error() ?? '', /ENOSPC/);
    assert.deepEqual(errors, [recorder.error()]);
  });
});

describe('recording: reading bad files', () => {
  it('skips a torn last line and says so', async () => {
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 10));
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length - 40));
    const read = await readRecording(file);
    assert.equal(read.tornLastLine, true);
    assert.equal(read.samples.length, 9);
    const index = await indexRecording(file);
    index.close();
    assert.deepEqual([index.tornLastLine, index.samples], [true, 9]);
    assert.match(await reportMarkdownOfStream(await openRecording(file)), /torn/);
  });

  it('a missing, empty, foreign, newer, or truncated file is a clear error', async () => {
    await rejectsWith(path.join(tempDir(), 'nope.jsonl'), 'missing', /nope\.jsonl: no such file/);
    await rejectsWith(writeFile(''), 'empty', /is empty/);
    await rejectsWith(writeFile('\n\n  \n'), 'empty', /is empty/);
    await rejectsWith(path.join(ROOT, 'package.json'), 'foreign', /is not a sparktop recording/);
    await rejectsWith(path.join(ROOT, 'test/fixtures/lab/steady.jsonl'), 'foreign', /is not a sparktop recording/);
    await rejectsWith(writeFile('{"sparktop":2,"startedAt":1,"version":"9.1.0","config":{}}\n'), 'newer', /newer sparktop \(sparktop 9\.1\.0\).*format 2.*reads format 1/);
    await rejectsWith(writeFile('{"sparktop":1,"startedAt":1}\n'), 'foreign', /header line is malformed/);
    await rejectsWith(writeFile('{"sparktop":1,"startedAt":17958'), 'truncated', /cut off inside its header/);
    await rejectsWith(tempDir(), 'unreadable', /is not a file/);
  });

  it('a damaged line in the middle is an error naming the line', async () => {
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 10));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.writeFileSync(file, [...lines.slice(0, 4), lines[4]!.slice(0, 30), ...lines.slice(5)].join('\n'));
    await rejectsWith(file, 'corrupt', /line 5 is not valid JSON/);
    fs.writeFileSync(file, [...lines.slice(0, 3), '{"t":5,"kind":"weather","data":{}}', ...lines.slice(4)].join('\n'));
    await rejectsWith(file, 'corrupt', /line 4: unknown kind "weather"/);
    fs.writeFileSync(file, [...lines.slice(0, 3), '{"t":"soon","kind":"mark","data":{}}', ...lines.slice(4)].join('\n'));
    await rejectsWith(file, 'corrupt', /line 4: no numeric "t"/);
    fs.writeFileSync(file, [...lines.slice(0, 3), '{"t":5,"kind":"stages","data":{"appId":"a","stages":[{"=":"7/0"}]}}', ...lines.slice(4)].join('\n'));
    await rejectsWith(file, 'corrupt', /line 4: repeats stages row 7\/0 that the line before does not have/);
  });
});
