/** Output files: a free name (one number for a group), atomic writes, never over another writer's file. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { Worker } from 'node:worker_threads';
import { freeNames, numberedName, OutputFile, writeFileAtomic, writeNewFileAtomic, writeNewFiles, isFileExists } from '../../src/files/outputFile.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-out-'));
  dirs.push(dir);
  return dir;
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe('free names', () => {
  it('numbers a name before its extension', () => {
    assert.equal(numberedName('/d/experiments.md', 1), '/d/experiments.md');
    assert.equal(numberedName('/d/experiments.md', 2), '/d/experiments-2.md');
    assert.equal(numberedName('/d.x/report', 3), '/d.x/report-3');
    assert.equal(numberedName('/d/sweep-20260101-120000.json', 2), '/d/sweep-20260101-120000-2.json');
  });

  it('a single file: the name itself while free, then -2, -3', () => {
    const dir = tempDir();
    const file = path.join(dir, 'experiments.md');
    assert.deepEqual(freeNames([file]), [file]);
    fs.writeFileSync(file, 'mine');
    assert.deepEqual(freeNames([file]), [path.join(dir, 'experiments-2.md')]);
    fs.writeFileSync(path.join(dir, 'experiments-2.md'), 'mine too');
    assert.deepEqual(freeNames([file]), [path.join(dir, 'experiments-3.md')]);
  });

  it('a group: one number free for every member, so a pair stays a pair', () => {
    const dir = tempDir();
    const group = ['experiments.md', 'experiments.csv'].map((n) => path.join(dir, n));
    fs.writeFileSync(path.join(dir, 'experiments.csv'), 'only the csv');
    assert.deepEqual(freeNames(group), ['experiments-2.md', 'experiments-2.csv'].map((n) => path.join(dir, n)));
    fs.writeFileSync(path.join(dir, 'experiments-2.md'), 'only the md');
    assert.deepEqual(freeNames(group), ['experiments-3.md', 'experiments-3.csv'].map((n) => path.join(dir, n)));
  });
});

describe('atomic writes', () => {
  it('writeNewFiles writes the group under the first free number and leaves what exists alone', () => {
    const dir = tempDir();
    const group = (text: string) => [
      { path: path.join(dir, 'shot.txt'), data: `${text} txt` },
      { path: path.join(dir, 'shot.ans'), data: `${text} ans` },
    ];
    fs.writeFileSync(path.join(dir, 'shot.ans'), 'the user');
    const written = writeNewFiles(group('first'));
    assert.deepEqual(written, [path.join(dir, 'shot-2.txt'), path.join(dir, 'shot-2.ans')]);
    assert.equal(read(written[0]!), 'first txt');
    assert.equal(read(written[1]!), 'first ans');
    assert.equal(read(path.join(dir, 'shot.ans')), 'the user');
    assert.deepEqual(writeNewFiles(group('second')), [path.join(dir, 'shot-3.txt'), path.join(dir, 'shot-3.ans')]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['shot-2.ans', 'shot-2.txt', 'shot-3.ans', 'shot-3.txt', 'shot.ans'], 'no temp file left');
  });

  it('writeNewFileAtomic refuses an existing file (EEXIST) and leaves it as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, 'report.md');
    writeNewFileAtomic(file, 'one');
    assert.equal(read(file), 'one');
    assert.throws(() => writeNewFileAtomic(file, 'two'), (err) => isFileExists(err));
    assert.equal(read(file), 'one');
    assert.deepEqual(fs.readdirSync(dir), ['report.md'], 'no temp file left');
  });

  it('writeFileAtomic replaces a file; OutputFile creates once (or refuses), then replaces', () => {
    const dir = tempDir();
    const file = path.join(dir, 'sweep.json');
    writeFileAtomic(file, 'old');
    writeFileAtomic(file, 'new');
    assert.equal(read(file), 'new');

    const results = new OutputFile(file, false);
    assert.throws(() => results.write('mine'), (err) => isFileExists(err), 'the first write does not replace the user\'s file');
    assert.equal(read(file), 'new');
    const other = new OutputFile(path.join(dir, 'other.json'), false);
    other.write('step 1');
    other.write('step 2');
    assert.equal(read(other.path), 'step 2');
    const forced = new OutputFile(file, true);
    forced.write('forced');
    assert.equal(read(file), 'forced');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['other.json', 'sweep.json']);
  });

  it('a write that fails half-way leaves nothing under the final name: the old content, or no file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'sweep.md');
    fs.writeFileSync(file, 'complete old table');
    const fsync = mock.method(fs, 'fsyncSync', () => {
      throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    });
    try {
      assert.throws(() => writeFileAtomic(file, 'x'.repeat(1 << 20)), /EIO/);
      assert.throws(() => writeNewFileAtomic(path.join(dir, 'new.md'), 'x'), /EIO/);
      assert.throws(() => writeNewFiles([{ path: path.join(dir, 'pair.md'), data: 'a' }, { path: path.join(dir, 'pair.csv'), data: 'b' }]), /EIO/);
    } finally {
      fsync.mock.restore();
    }
    assert.equal(read(file), 'complete old table');
    assert.deepEqual(fs.readdirSync(dir), ['sweep.md'], 'no new file, no temp file');
  });

  it('another writer taking a name between the check and the write: the group moves to the next number, theirs stays', () => {
    const dir = tempDir();
    const md = path.join(dir, 'experiments.md');
    const csv = path.join(dir, 'experiments.csv');
    const exists = fs.existsSync;
    let raced = false;
    // The other writer creates only the csv, just after this one found the name free.
    const check = mock.method(fs, 'existsSync', (p: fs.PathLike) => {
      const answer = exists(p);
      if (!raced && p === csv) {
        raced = true;
        writeNewFileAtomic(csv, 'theirs');
      }
      return answer;
    });
    try {
      assert.deepEqual(writeNewFiles([{ path: md, data: 'mine md' }, { path: csv, data: 'mine csv' }]), [
        path.join(dir, 'experiments-2.md'),
        path.join(dir, 'experiments-2.csv'),
      ]);
    } finally {
      check.mock.restore();
    }
    assert.equal(read(csv), 'theirs');
    assert.equal(fs.existsSync(md), false, 'the half of the pair it linked first is taken back');
    assert.equal(read(path.join(dir, 'experiments-2.md')), 'mine md');
    assert.equal(read(path.join(dir, 'experiments-2.csv')), 'mine csv');
  });

  it('writers in parallel threads asking for the same pair all get pairs of their own', async () => {
    const dir = tempDir();
    const WORKERS = 3;
    const ROUNDS = 15;
    const barrier = new SharedArrayBuffer(8);
    const flags = new Int32Array(barrier);
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { tsImport } = await import(workerData.tsx);
        const { writeNewFiles } = await tsImport(workerData.module, workerData.module);
        const flags = new Int32Array(workerData.barrier);
        Atomics.add(flags, 1, 1);
        Atomics.wait(flags, 0, 0);
        const written = [];
        for (let i = 0; i < workerData.rounds; i++) {
          const text = workerData.id + '/' + i;
          written.push(writeNewFiles([{ path: workerData.md, data: text + ' md' }, { path: workerData.csv, data: text + ' csv' }]).concat(text));
        }
        parentPort.postMessage(written);
      })();
    `;
    const data = {
      tsx: import.meta.resolve('tsx/esm/api'),
      module: new URL('../../src/files/outputFile.ts', import.meta.url).href,
      barrier,
      rounds: ROUNDS,
      md: path.join(dir, 'experiments.md'),
      csv: path.join(dir, 'experiments.csv'),
    };
    const results = Array.from({ length: WORKERS }, (_, id) => {
      const worker = new Worker(code, { eval: true, workerData: { ...data, id } });
      return new Promise<string[][]>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    });
    while (Atomics.load(flags, 1) < WORKERS) await new Promise((resolve) => setTimeout(resolve, 20));
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    const written = (await Promise.all(results)).flat();

    assert.equal(written.length, WORKERS * ROUNDS);
    const names = written.flatMap(([md, csv]) => [md!, csv!]);
    assert.equal(new Set(names).size, names.length, 'no name given twice');
    for (const [md, csv, text] of written) {
      assert.equal(md!.replace(/\.md$/, ''), csv!.replace(/\.csv$/, ''), 'a pair keeps one number');
      assert.equal(read(md!), `${text} md`);
      assert.equal(read(csv!), `${text} csv`);
    }
    assert.equal(fs.readdirSync(dir).length, names.length, 'no temp file left');
  });
});
