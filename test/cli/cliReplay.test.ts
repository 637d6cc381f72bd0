/** `sparktop replay` through the built CLI (`npm run build` first): bad input is a message and exit 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, tempDir, writeRecording } from '../support/recordingFixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'sparktop.js');

function sparktop(...args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stderr: r.stderr };
}

after(removeTempDirs);

describe('cli: sparktop replay', () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'commands', 'replay.js')), 'dist/ has no replay: run `npm run build` first');
  });

  it('a missing, empty, foreign or newer file: a clear message, exit 2', () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(empty, '');
    const newer = path.join(dir, 'newer.jsonl');
    fs.writeFileSync(newer, '{"sparktop":7,"startedAt":1,"version":"3.0.0","config":{}}\n');
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'nope.jsonl'), /cannot replay: .*nope\.jsonl: no such file/],
      [empty, /cannot replay: .*empty\.jsonl is empty/],
      [path.join(ROOT, 'package.json'), /cannot replay: .*package\.json is not a sparktop recording/],
      [newer, /cannot replay: .*newer sparktop \(sparktop 3\.0\.0\)/],
    ];
    for (const [file, message] of cases) {
      const r = sparktop('replay', file);
      assert.equal(r.code, 2, `${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('usage errors: no file, two files, a bad speed, a flag of another command', () => {
    const cases: Array<[string[], RegExp]> = [
      [['replay'], /needs the recording/],
      [['replay', 'a.jsonl', 'b.jsonl'], /unexpected argument "b\.jsonl"/],
      [['replay', 'a.jsonl', '--speed', '100'], /--speed: expected a number from 0\.25 to 64, got "100"/],
      [['replay', 'a.jsonl', '--speed', 'fast'], /--speed: expected a number/],
      [['replay', 'a.jsonl', '--json'], /--json does not apply to `sparktop replay`/],
    ];
    for (const [args, message] of cases) {
      const r = sparktop(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('a good recording without a terminal: says it needs one, exit 2', async () => {
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 20));
    const r = sparktop('replay', file, '--speed', '4');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /replay needs an interactive terminal/);
  });
});

describe('replay --at', () => {
  it('takes seconds, m:ss and h:mm:ss from the start of the recording', async () => {
    const { parseAt } = await import('../../src/commands/replay.js');
    assert.equal(parseAt('90'), 90_000);
    assert.equal(parseAt('1:30'), 90_000);
    assert.equal(parseAt('1:02:03'), 3_723_000);
    assert.equal(parseAt('2.5'), 2_500);
    for (const bad of ['', '1:75', 'soon', '-5', '1::2', '1:2:3:4']) assert.throws(() => parseAt(bad), /--at: expected an offset like 90, 1:30 or 1:02:03/, bad);
  });
});
