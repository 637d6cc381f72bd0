import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ControlFile } from '../../src/generator/controlFile.js';
import { GeneratorOptionsError, MAX_THREADS, resolveGeneratorOptions } from '../../src/generator/options.js';
import { AUTO_THREAD_RPS, threadShare, workingThreads } from '../../src/generator/threadPlan.js';

describe('--threads', () => {
  it('is 1 unless asked; takes auto or 1..MAX_THREADS; anything else names the flag', () => {
    assert.equal(resolveGeneratorOptions({}, {}).threads, 1);
    assert.equal(resolveGeneratorOptions({}, { threads: '4' }).threads, 4);
    assert.equal(resolveGeneratorOptions({}, { threads: 'AUTO' }).threads, 'auto');
    for (const bad of ['0', String(MAX_THREADS + 1), 'two', '1.5', '-1']) {
      assert.throws(() => resolveGeneratorOptions({}, { threads: bad }), (err: unknown) => err instanceof GeneratorOptionsError && /--threads/.test(err.message), bad);
    }
  });

  it('auto: one working thread per AUTO_THREAD_RPS of the rate, at least one, at most the cores', () => {
    assert.equal(workingThreads('auto', 0, 8), 1);
    assert.equal(workingThreads('auto', AUTO_THREAD_RPS, 8), 1);
    assert.equal(workingThreads('auto', AUTO_THREAD_RPS + 1, 8), 2);
    assert.equal(workingThreads('auto', 100 * AUTO_THREAD_RPS, 8), 8);
    assert.equal(workingThreads('auto', 100 * AUTO_THREAD_RPS, 0), 1, 'a machine that says 0 cores still gets a thread');
    assert.equal(workingThreads(3, 1, 8), 3, 'a fixed count is kept whatever the rate');
  });

  it('the shares are whole records, differ by at most one and add up to the rate; idle threads get 0', () => {
    for (const [rate, working] of [[10_000, 3], [7, 4], [0, 2], [1_000_001, 2], [5, 1]] as const) {
      const shares = Array.from({ length: working + 2 }, (_, i) => threadShare(rate, working, i));
      assert.equal(shares.reduce((a, b) => a + b, 0), rate, `${rate} over ${working}`);
      const used = shares.slice(0, working);
      assert.ok(Math.max(...used) - Math.min(...used) <= 1, `${rate} over ${working}: ${used.join(', ')}`);
      assert.deepEqual(shares.slice(working), [0, 0]);
      assert.ok(shares.every(Number.isInteger));
    }
  });
});

describe('the control file', () => {
  it('reads the settings; a missing or bad file is warned about once per problem and gives null', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparktop-control-'));
    try {
      const file = join(dir, 'control.json');
      const lines: string[] = [];
      const control = new ControlFile(file, (l) => lines.push(l));
      const keeping = () => 'rate stays 5 000/s';
      assert.equal(await control.read(keeping), null);
      assert.equal(await control.read(keeping), null);
      assert.deepEqual(lines, [`warning: control file ${file}: not found; ignored (rate stays 5 000/s)`]);
      await writeFile(file, '{"targetRps": 2000}');
      assert.deepEqual(await control.read(keeping), { targetRps: 2000 });
      await writeFile(file, '{not json');
      assert.equal(await control.read(keeping), null);
      assert.equal(await control.read(keeping), null);
      assert.equal(lines.length, 2);
      assert.match(lines[1]!, /ignored: .*control file/);
      await writeFile(file, '{"paused": true}');
      assert.deepEqual(await control.read(keeping), { paused: true });
      await writeFile(file, '{not json');
      assert.equal(await control.read(keeping), null);
      assert.equal(lines.length, 3, 'the same problem again after a good read is warned about again');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
