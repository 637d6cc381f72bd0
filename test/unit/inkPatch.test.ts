/**
 * Ink 6.8 (the last release for Node 20) caches the size of every distinct text it lays out, for
 * the life of the process (vadimdemedes/ink#986): a monitor whose numbers change every second
 * leaks. patches/ink+6.8.0.patch bounds both caches; `npm install` applies it (postinstall).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const inkBuild = path.dirname(require.resolve('ink'));

describe('the Ink patch', () => {
  it('is applied: the text caches are bounded', () => {
    for (const file of ['measure-text.js', 'wrap-text.js']) {
      assert.match(fs.readFileSync(path.join(inkBuild, file), 'utf8'), /MAX_CACHED = \d+/, `${file} is patched (run npm install)`);
    }
  });

  it('still measures and wraps after the cache was cleared', async () => {
    const measureText = (await import(pathToFileURL(path.join(inkBuild, 'measure-text.js')).href)).default as (t: string) => { width: number; height: number };
    const wrapText = (await import(pathToFileURL(path.join(inkBuild, 'wrap-text.js')).href)).default as (t: string, w: number, type: string) => string;
    for (let i = 0; i < 10_000; i++) measureText(`row ${i}`);
    assert.deepEqual(measureText('row 7\nsecond line'), { width: 11, height: 2 });
    for (let i = 0; i < 10_000; i++) wrapText(`cell ${i} with some text`, 8, 'truncate');
    assert.equal(wrapText('abcdefghij', 5, 'truncate'), 'abcd…');
  });
});
