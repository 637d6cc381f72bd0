/** A recording cut by kill -9 of the process writing it stays readable. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readRecording, RecordingError, type RecordingProblem } from '../../src/record/reader.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, tempDir, viaJson, writeRecording } from '../support/recordingFixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

after(removeTempDirs);

async function rejectsWith(file: string, problem: RecordingProblem, message: RegExp): Promise<void> {
  await assert.rejects(readRecording(file), (err: unknown) => {
    assert.ok(err instanceof RecordingError, `a RecordingError, got ${String(err)}`);
    assert.equal(err.problem, problem);
    assert.match(err.message, message);
    return true;
  });
}

function writeFile(text: string): string {
  const file = path.join(tempDir(), 'x.jsonl');
  fs.writeFileSync(file, text);
  return file;
}

describe('recording: kill -9', () => {
  it('keeps everything recorded more than a second before the kill, and stays readable', async () => {
    const file = path.join(tempDir(), 'killed.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/recordChild.ts'), file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const progress: Array<{ at: number; n: number }> = [];
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      for (const m of c.toString().matchAll(/recorded (\d+)/g)) progress.push({ at: Date.now(), n: Number(m[1]) });
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Record for a while (tsx start-up included), then kill without warning.
    const deadline = Date.now() + 20_000;
    while ((progress.at(-1)?.n ?? 0) < 100 && Date.now() < deadline) await sleep(50);
    assert.ok(progress.length > 0, `the child recorded (stderr: ${stderr})`);
    await sleep(1700);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const read = await readRecording(file);
    const safe = progress.filter((p) => p.at <= killedAt - 1000).at(-1)!.n;
    assert.ok(read.samples.length >= safe, `${read.samples.length} samples on disk, ${safe} were recorded over a second before the kill`);
    const expected = samplesFromFixture('resubmit');
    read.samples.forEach((s, i) => assert.deepEqual(s, viaJson(expected[i % expected.length]), `sample ${i}`));
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
