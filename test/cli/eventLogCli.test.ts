/**
 * `sparktop report --event-log` and `sparktop replay --event-log` through the built CLI (`npm run
 * build` first), on the lab's event logs (test/fixtures/eventlog/): the report on stdout, the replay
 * in a pseudo-terminal (util-linux `script`), and bad input as a message with exit 2.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, tempDir } from '../support/recordingFixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'sparktop.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'eventlog');
const logOf = (variant: string) => {
  const dir = path.join(FIXTURES, variant);
  return path.join(dir, fs.readdirSync(dir).find((e) => !e.startsWith('.'))!);
};

function sparktop(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');

after(removeTempDirs);

describe('cli: --event-log', () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'sources', 'eventLog', 'reader.js')), 'dist/ has no event-log reader: run `npm run build` first');
  });

  for (const variant of ['zstd-rolling', 'lz4-rolling', 'snappy-rolling', 'plain-file', 'zstd-inprogress']) {
    it(`report --event-log ${variant}: the run's batches on stdout, exit 0`, () => {
      const r = sparktop('report', '--event-log', logOf(variant));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^# sparktop report: ${path.basename(logOf(variant)).replace(/\./g, '\\.')}\n`));
      assert.match(r.stdout, /\| recorded by \| Spark 4\.0\.0's event log, read by sparktop/);
      assert.match(r.stdout, /\| 1 \(current\) \|.*\| app-\d+-\d+ \|/);
      assert.match(r.stdout, /Over \d+ batches reported by the listener/);
      assert.match(r.stdout, /### Total lag \(records; Spark's view at each batch\)/);
    });
  }

  it('replay --event-log in a terminal: the run at a moment, the lag labelled as Spark\'s view; q quits', { skip: hasScript ? false : 'no `script` (util-linux) for a pseudo-terminal' }, async () => {
    const log = logOf('zstd-rolling');
    const child = spawn('script', ['-qfec', `stty cols 140 rows 40; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} replay --event-log ${JSON.stringify(log)} --at 1:00`, '/dev/null'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!plain(out).includes('replay 1:00 /') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.stdin.write('q');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    const screen = plain(out);
    assert.match(screen, /replay 1:00 \/ 1:05 · ×1 · paused/);
    assert.match(screen, /Partitions logs · Spark's view/);
    assert.match(screen, /┌ Executors /);
    assert.equal(code, 0);
  });

  it('bad input: a missing path, a file that is no event log, garbage, a folder without events: a clear message, exit 2', () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'garbage.zstd');
    // zstd's magic, then bytes that are no zstd frame.
    fs.writeFileSync(garbage, Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251))]));
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'nope'), /cannot (report|replay): .*nope: no such file or folder/],
      [path.join(ROOT, 'package.json'), /cannot (report|replay): .*package\.json is not a Spark event log/],
      [path.join(ROOT, 'test', 'fixtures', 'lab', 'steady.jsonl'), /cannot (report|replay): .*steady\.jsonl is not a Spark event log \(its first line is not a listener event\)/],
      [garbage, /cannot (report|replay): .*garbage\.zstd: not a valid zstd stream/],
      [dir, /cannot (report|replay): .* is a folder but not a rolling Spark event log/],
    ];
    for (const [file, message] of cases) {
      for (const command of ['report', 'replay']) {
        const r = sparktop(command, '--event-log', file);
        assert.equal(r.code, 2, `${command} ${file}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      }
    }
  });

  it('usage: FILE or --event-log, not both; --event-log needs a path', () => {
    const log = logOf('zstd-rolling');
    const cases: Array<[string[], RegExp]> = [
      [['report', 'run.jsonl', '--event-log', log], /`sparktop report` reads FILE or --event-log, not both/],
      [['replay', 'run.jsonl', '--event-log', log], /`sparktop replay` reads FILE or --event-log, not both/],
      [['report'], /needs the recording: sparktop report FILE \[-o report\.md\] \(or --event-log PATH\)/],
      [['status', '--event-log', log], /--event-log does not apply to `sparktop status`/],
    ];
    for (const [args, message] of cases) {
      const r = sparktop(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
