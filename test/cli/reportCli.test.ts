/** `sparktop report` through the built CLI (`npm run build` first): bad input is a message and exit 2; -o writes the file. */
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

function sparktop(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

after(removeTempDirs);

describe('cli: sparktop report', () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'commands', 'report.js')), 'dist/ has no report: run `npm run build` first');
  });

  it('a missing, empty, foreign, truncated or newer file: a clear message, exit 2, nothing on stdout', () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'nope.jsonl'), /cannot report: .*nope\.jsonl: no such file/],
      [write('empty.jsonl', ''), /cannot report: .*empty\.jsonl is empty/],
      [path.join(ROOT, 'package.json'), /cannot report: .*package\.json is not a sparktop recording/],
      [write('cut.jsonl', '{"sparktop":1,"startedAt":17958'), /cannot report: .*cut\.jsonl: the recording was cut off inside its header line/],
      [write('newer.jsonl', '{"sparktop":7,"startedAt":1,"version":"3.0.0","config":{}}\n'), /cannot report: .*newer sparktop \(sparktop 3\.0\.0\)/],
    ];
    for (const [file, message] of cases) {
      const r = sparktop(dir, 'report', file, '-o', path.join(dir, 'out.md'));
      assert.equal(r.code, 2, `${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    assert.equal(fs.existsSync(path.join(dir, 'out.md')), false, 'no report written');
  });

  it('usage errors: no file, two files, a flag of another command', () => {
    const cases: Array<[string[], RegExp]> = [
      [['report'], /needs the recording/],
      [['report', 'a.jsonl', 'b.jsonl'], /unexpected argument "b\.jsonl"/],
      [['report', 'a.jsonl', '--speed', '2'], /--speed does not apply to `sparktop report`/],
      [['replay', 'a.jsonl', '-o', 'x.md'], /--output does not apply to `sparktop replay`/],
    ];
    for (const [args, message] of cases) {
      const r = sparktop(ROOT, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('without -o the Markdown goes to stdout; with -o (or --output) it is written and its path printed', async () => {
    const file = await writeRecording(samplesFromFixture('resubmit'));
    const dir = tempDir();
    const piped = sparktop(dir, 'report', file);
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /^# sparktop report: run\.jsonl\n/);
    assert.match(piped.stdout, /\n## Findings\n/);

    const short = sparktop(dir, 'report', file, '-o', 'report.md');
    assert.equal(short.code, 0, short.stderr);
    const written = path.join(fs.realpathSync(dir), 'report.md');
    assert.equal(short.stdout, `report: ${written}\n`);
    const long = sparktop(dir, 'report', file, '--output', 'long.md');
    assert.equal(long.code, 0, long.stderr);
    // Written at another second, the two differ only in their "Written" line.
    const body = (text: string) => text.replace(/^Written [^.]*\. /m, '');
    assert.equal(body(fs.readFileSync(written, 'utf8')), body(piped.stdout));
    assert.equal(body(fs.readFileSync(path.join(dir, 'long.md'), 'utf8')), body(piped.stdout));
  });

  it('an existing -o file is left alone: exit 2, a message naming it and what to do; --force replaces it', async () => {
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 30));
    const dir = fs.realpathSync(tempDir());
    const target = path.join(dir, 'report.md');
    fs.writeFileSync(target, 'notes the user keeps');
    const refused = sparktop(dir, 'report', file, '-o', 'report.md');
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr, `sparktop: cannot write the report: ${target} exists; choose another name with -o, remove it, or add --force to replace it\n`);
    assert.equal(fs.readFileSync(target, 'utf8'), 'notes the user keeps');

    const forced = sparktop(dir, 'report', file, '-o', 'report.md', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, `report: ${target}\n`);
    assert.match(fs.readFileSync(target, 'utf8'), /^# sparktop report: run\.jsonl\n/);
    assert.deepEqual(fs.readdirSync(dir), ['report.md'], 'no temp file left');

    const without = sparktop(dir, 'report', file, '--force');
    assert.equal(without.code, 0, without.stderr);
    assert.match(without.stdout, /^# sparktop report: run\.jsonl\n/, 'without -o it goes to stdout still');
  });

  it('an output path that cannot be written: says so, exit 1', async () => {
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 30));
    const r = sparktop(ROOT, 'report', file, '-o', path.join(tempDir(), 'no', 'such', 'dir', 'r.md'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write the report to .*r\.md: ENOENT/);
  });
});
