/** A recording cut by kill -9 of the process writing it stays readable. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readRecording } from '../../src/record/reader.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, tempDir, viaJson, writeRecording } from '../support/recordingFixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

after(removeTempDirs);

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
