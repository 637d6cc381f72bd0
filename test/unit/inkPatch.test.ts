/**
 * Ink 6.8 (the last release for Node 20) caches the size of every distinct text it lays out, for
 * the life of the process (vadimdemedes/ink#986): a monitor whose numbers change every second
 * leaks. patches/ink+6.8.0.patch bounds both caches; `npm install` applies it (postinstall).
 * The patch also keeps the output stage's work (widths, ANSI tokens, clipped lines, whole rows)
 * from one frame to the next, keyed by exactly what was written, so a row is composed again only
 * when what was written to it changed.
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

  describe('the output stage across frames', () => {
    interface Output {
      write(x: number, y: number, text: string, options: { transformers: Array<(line: string, index: number) => string> }): void;
      clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
      unclip(): void;
      get(): { output: string; height: number };
    }
    type Write = [x: number, y: number, text: string];
    const load = async () => {
      const module = (await import(pathToFileURL(path.join(inkBuild, 'output.js')).href)) as {
        default: new (size: { width: number; height: number }) => Output;
        startOutputFrame: () => void;
      };
      return (width: number, height: number, writes: Write[], clip?: { x1: number; x2: number }) => {
        module.startOutputFrame();
        const output = new module.default({ width, height });
        if (clip) output.clip(clip);
        for (const [x, y, text] of writes) output.write(x, y, text, { transformers: [] });
        if (clip) output.unclip();
        return output.get().output;
      };
    };

    it('is applied: the output caches outlive a frame', () => {
      assert.match(fs.readFileSync(path.join(inkBuild, 'output.js'), 'utf8'), /export const startOutputFrame/);
      assert.match(fs.readFileSync(path.join(inkBuild, 'renderer.js'), 'utf8'), /startOutputFrame\(\)/);
    });

    it('composes a row again when what was written to it changed, whatever earlier frames held', async () => {
      const frame = await load();
      const red = '\x1b[31mab\x1b[39m';
      assert.equal(frame(6, 2, [[0, 0, 'abcdef'], [0, 1, 'xy']]), 'abcdef\nxy');
      assert.equal(frame(6, 2, [[0, 0, 'abcdef'], [0, 1, 'xy']]), 'abcdef\nxy');
      // Later writes cover earlier ones, cell by cell.
      assert.equal(frame(6, 2, [[0, 0, 'abcdef'], [2, 0, 'XY'], [0, 1, 'xy']]), 'abXYef\nxy');
      assert.equal(frame(6, 2, [[2, 0, 'XY'], [0, 0, 'abcdef'], [0, 1, 'xy']]), 'abcdef\nxy');
      assert.equal(frame(6, 1, [[0, 0, red]]), red);
      assert.equal(frame(6, 1, [[0, 0, 'ab']]), 'ab');
      // A wide character takes two cells; a write into its second cell keeps both on screen.
      assert.equal(frame(6, 1, [[0, 0, '日本'], [1, 0, 'x']]), '日x本');
      // The row's width counts (cells past it are not padded).
      assert.equal(frame(10, 1, [[7, 0, 'ab']]), '       ab');
      assert.equal(frame(5, 1, [[7, 0, 'ab']]), '     ab');
    });

    it('clips as before, from cached slices', async () => {
      const frame = await load();
      for (let i = 0; i < 2; i++) assert.equal(frame(8, 1, [[0, 0, 'abcdefgh']], { x1: 2, x2: 5 }), '  cde');
      assert.equal(frame(8, 1, [[0, 0, 'abcdefgh']], { x1: 1, x2: 5 }), ' bcde');
    });
  });
});
