/** `sweep -o` over existing results through the built CLI (`npm run build` first): a refusal naming the files, or --force. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'sparktop.js');

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-sweepfiles-')));
  dirs.push(dir);
  return dir;
}

describe('cli: sparktop sweep -o over existing results', () => {
  // Pointed at nothing, with a cache folder of no lab: were the refusal missing, the sweep would
  // stop at "the local lab is not running", never reaching a pipeline.
  const sweep = (cwd: string, ...args: string[]) =>
    spawnSync(
      process.execPath,
      [BIN, 'sweep', ...args, '--target', 'local', '--cache-dir', path.join(cwd, 'cache'), '--kafka', '127.0.0.1:1', '--spark-master', 'http://127.0.0.1:1', '--spark-ui', 'http://127.0.0.1:1', '--progress-url', 'http://127.0.0.1:1', '--no-tui'],
      { cwd, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );

  it('refuses, naming the files and what to do, exit 2, files untouched', () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'sweep', 'files.js')), 'dist/ has no sweep/files: run `npm run build` first');
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'results.md'), 'the user\'s table');
    fs.writeFileSync(path.join(dir, 'results.json'), '{"mine": true}');
    const r = sweep(dir, '-o', 'results.md');
    assert.equal(r.status, 2, r.stderr);
    assert.equal(
      r.stderr,
      `sparktop sweep: ${path.join(dir, 'results.md')} and ${path.join(dir, 'results.json')} exist; choose another name with -o, remove them, or add --force to replace them\n`,
    );
    assert.equal(fs.readFileSync(path.join(dir, 'results.md'), 'utf8'), 'the user\'s table');
    assert.equal(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'), '{"mine": true}');

    fs.writeFileSync(path.join(dir, 'sweep.json'), '{}');
    const resumed = sweep(dir, '--resume', 'sweep.json', '-o', 'results.md');
    assert.equal(resumed.status, 2, resumed.stderr);
    assert.match(resumed.stderr, /results\.md exists; choose another name with -o, remove it, or add --force to replace it\n$/);
  });

  it('with --force it goes on (here to the lab check, as nothing runs)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'results.md'), 'the user\'s table');
    const r = sweep(dir, '-o', 'results.md', '--force');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /the local lab is not running/);
    assert.equal(fs.readFileSync(path.join(dir, 'results.md'), 'utf8'), 'the user\'s table', 'nothing written before the sweep runs');
  });
});
