/**
 * Copies a real Structured Streaming checkpoint (read only) into test/fixtures/checkpoint/<name>,
 * for the unit tests of src/sources/checkpoint.ts: fixtures are never hand-written. Only what
 * sparktop reads is copied: `metadata`, and the newest `--keep` batch files of `offsets/` and
 * `commits/` with their `.N.crc` siblings (Spark itself purges older ones; state/ and sources/ are
 * left out). File contents are copied byte for byte.
 *
 *   sparktop lab up        # or any running query
 *   node --import tsx scripts/record-checkpoint-fixture.ts --from <checkpoint dir> --name activity2-logs [--keep 5]
 *
 * The commits are listed before the offsets, so a batch that commits during the copy is copied
 * as still running (its offsets file without a commit file), as a reader could see it.
 */
import fs from 'node:fs';
import path from 'node:path';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v) return v;
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

const from = path.resolve(arg('from'));
const name = arg('name');
const keep = Number(arg('keep', '5'));
const out = path.resolve(arg('out', path.join('test', 'fixtures', 'checkpoint')), name);

const batchIds = (dir: string) =>
  fs
    .readdirSync(path.join(from, dir))
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => a - b);

const commits = batchIds('commits');
const offsets = batchIds('offsets');
const newestCommitted = commits.at(-1) ?? -1;
const wanted = offsets.filter((n) => n > newestCommitted - keep);
fs.rmSync(out, { recursive: true, force: true });
for (const dir of ['offsets', 'commits']) fs.mkdirSync(path.join(out, dir), { recursive: true });
const copy = (rel: string) => {
  const src = path.join(from, rel);
  if (fs.existsSync(src)) fs.cpSync(src, path.join(out, rel), { preserveTimestamps: true });
};
copy('metadata');
copy('.metadata.crc');
for (const n of wanted) {
  copy(path.join('offsets', String(n)));
  copy(path.join('offsets', `.${n}.crc`));
  if (commits.includes(n)) {
    copy(path.join('commits', String(n)));
    copy(path.join('commits', `.${n}.crc`));
  }
}
console.log(`copied ${from} → ${out}: offsets ${wanted.join(',')}; commits up to ${newestCommitted}`);
