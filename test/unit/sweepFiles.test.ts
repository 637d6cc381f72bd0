/**
 * Where a sweep writes, and that it refuses to write over results files it did not make: the
 * names (unit), and the refusal through the built CLI (`npm run build` first), which stops before
 * the sweep looks at any pipeline.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { existingResults, sweepFiles } from '../../src/sweep/files.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-sweepfiles-')));
  dirs.push(dir);
  return dir;
}

describe('sweep files', () => {
  it('a new sweep without -o: a timestamped name, the next number free for the .md, .json and recording together', () => {
    const dir = tempDir();
    const first = sweepFiles(undefined, undefined, null, AT, dir);
    const base = path.join(dir, 'sweep-20260102-030405');
    assert.deepEqual(first, { markdown: `${base}.md`, json: `${base}.json`, recording: `${base}.jsonl`, created: [`${base}.md`, `${base}.json`] });
    fs.writeFileSync(`${base}.json`, '{}');
    const second = sweepFiles(undefined, undefined, null, AT, dir);
    assert.deepEqual(second, { markdown: `${base}-2.md`, json: `${base}-2.json`, recording: `${base}-2.jsonl`, created: [`${base}-2.md`, `${base}-2.json`] });
    assert.deepEqual(existingResults(second), []);
  });

  it('-o names the results; both must be new', () => {
    const dir = tempDir();
    const files = sweepFiles('out.md', undefined, null, AT, dir);
    assert.deepEqual(files.created, [path.join(dir, 'out.md'), path.join(dir, 'out.json')]);
    assert.deepEqual(existingResults(files), []);
    fs.writeFileSync(path.join(dir, 'out.json'), '{}');
    assert.deepEqual(existingResults(files), [path.join(dir, 'out.json')]);
  });

  it('--resume updates its own .json and .md (and records into a new file); another -o must be new', () => {
    const dir = tempDir();
    for (const f of ['sweep.json', 'sweep.md', 'sweep.jsonl', 'other.md']) fs.writeFileSync(path.join(dir, f), 'x');
    const own = sweepFiles(undefined, 'sweep.json', null, AT, dir);
    assert.deepEqual(own, {
      markdown: path.join(dir, 'sweep.md'),
      json: path.join(dir, 'sweep.json'),
      recording: path.join(dir, 'sweep-2.jsonl'),
      created: [],
    });
    assert.deepEqual(sweepFiles('sweep.md', 'sweep.json', null, AT, dir).created, []);
    const elsewhere = sweepFiles('other.md', 'sweep.json', null, AT, dir);
    assert.equal(elsewhere.json, path.join(dir, 'sweep.json'));
    assert.deepEqual(existingResults(elsewhere), [path.join(dir, 'other.md')]);
  });
});

