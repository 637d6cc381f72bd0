import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { CheckpointReader, type CheckpointAnswer } from '../../src/sources/checkpoint.js';
import { AnswerInterpreter } from '../../src/sources/answers.js';
import { tempDir } from '../support/tempDir.js';

// Real checkpoints copied from the lab by scripts/record-checkpoint-fixture.ts: the classroom job
// on topic `logs` (batches 80–85, 85 planned but not committed) and the same job run with
// `--topic clicks` (3 partitions, batches 256–259, 259 not committed). The bad cases are built
// from copies of them.
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'checkpoint');
const LOGS = path.join(FIXTURES, 'activity2-logs');
const CLICKS = path.join(FIXTURES, 'activity2-clicks');

const copies: string[] = [];
function copyOf(dir: string): string {
  const tmp = tempDir('sparktop-checkpoint-');
  copies.push(tmp);
  const to = path.join(tmp, path.basename(dir));
  fs.cpSync(dir, to, { recursive: true, preserveTimestamps: true });
  return to;
}
afterEach(() => {
  for (const d of copies.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function batchOf(a: CheckpointAnswer | null) {
  assert.ok(a, 'an answer');
  assert.equal(a.status, 0, a.status === null ? a.body.error : '');
  return (a as Extract<CheckpointAnswer, { status: 0 }>).body;
}

function errorOf(a: CheckpointAnswer | null): string {
  assert.ok(a, 'an answer');
  assert.equal(a.status, null, 'an error');
  return (a as Extract<CheckpointAnswer, { status: null }>).body.error;
}

describe('checkpoint reader on real checkpoints', () => {
  it('reads the newest batch with both offsets/N and commits/N: end offsets, start, completion, query id', () => {
    const b = batchOf(new CheckpointReader(LOGS, 'logs').read());
    assert.equal(b.batchId, 84, 'offsets/85 has no commit yet');
    assert.equal(b.queryId, '522bade9-062a-424b-88e9-7e9a8e30f38e');
    assert.equal(b.topic, 'logs');
    assert.equal(b.plannedAt, 1796478582239, "offsets/84's batchTimestampMs");
    assert.deepEqual(b.offsets, [
      { partition: 0, offset: 84088 },
      { partition: 1, offset: 84089 },
    ]);
    assert.equal(b.committedAt, Math.round(fs.statSync(path.join(LOGS, 'commits', '84')).mtimeMs));
  });

  it('reads a topic with three partitions', () => {
    const b = batchOf(new CheckpointReader(CLICKS, 'clicks').read());
    assert.equal(b.batchId, 258);
    assert.equal(b.queryId, 'b9b505d6-dd37-4b35-a91c-846ea786bb00');
    assert.equal(b.plannedAt, 1796478979242);
    assert.deepEqual(
      b.offsets.map((o) => o.offset),
      [38534, 38534, 38534],
    );
  });

  it('goes through the answer interpreter as a checkpoint sample', () => {
    const a = new CheckpointReader(LOGS, 'logs').read()!;
    const [s] = new AnswerInterpreter().interpret({ t: 1, endpoint: 'checkpoint:offsets', status: a.status, body: a.body });
    assert.equal(s?.kind, 'checkpoint');
    const [e] = new AnswerInterpreter().interpret({ t: 1, endpoint: 'checkpoint:offsets', status: null, body: { error: 'x does not exist' } });
    assert.deepEqual(e, { t: 1, kind: 'source-error', data: { source: 'checkpoint', message: 'x does not exist' } });
  });

  it("names the topics of another query's checkpoint", () => {
    const msg = errorOf(new CheckpointReader(CLICKS, 'logs').read());
    assert.match(msg, /checkpoint of another query: its Kafka source reads clicks, not logs/);
  });

  it('a missing folder, a file instead of a folder', () => {
    assert.match(errorOf(new CheckpointReader(path.join(FIXTURES, 'no-such-checkpoint'), 'logs').read()), /checkpoint folder .*no-such-checkpoint does not exist/);
    assert.match(errorOf(new CheckpointReader(path.join(LOGS, 'metadata'), 'logs').read()), /is not a folder/);
  });

  it('not a checkpoint: no metadata file, or no offsets folder', () => {
    const a = copyOf(LOGS);
    fs.rmSync(path.join(a, 'metadata'));
    assert.match(errorOf(new CheckpointReader(a, 'logs').read()), /is not a Structured Streaming checkpoint \(no metadata file\)/);
    const b = copyOf(LOGS);
    fs.rmSync(path.join(b, 'offsets'), { recursive: true });
    assert.match(errorOf(new CheckpointReader(b, 'logs').read()), /is not a Structured Streaming checkpoint \(no offsets\/ folder\)/);
  });

  it('a deleted commit file: the newest batch that has one', () => {
    const a = copyOf(LOGS);
    fs.rmSync(path.join(a, 'commits', '84'));
    const b = batchOf(new CheckpointReader(a, 'logs').read());
    assert.equal(b.batchId, 83);
    assert.deepEqual(
      b.offsets.map((o) => o.offset),
      [83526, 83527],
    );
  });

  it('a half-written newest offsets file is skipped for the newest complete batch, silently', () => {
    const a = copyOf(LOGS);
    const file = path.join(a, 'offsets', '84');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length - 10)); // cut inside the source offsets line
    assert.equal(batchOf(new CheckpointReader(a, 'logs').read()).batchId, 83);
  });

  it('says so only when no committed batch is complete', () => {
    const a = copyOf(LOGS);
    for (const n of [80, 81, 82, 83, 84]) {
      const file = path.join(a, 'offsets', String(n));
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40)); // inside the metadata line
    }
    assert.match(errorOf(new CheckpointReader(a, 'logs').read()), /no complete batch in .*offsets\/84: no batch metadata \(and 4 older\)/);
  });

  it('an unknown log version is an error, not a half-written file', () => {
    const a = copyOf(LOGS);
    const file = path.join(a, 'offsets', '84');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^v1\n/, 'v2\n'));
    assert.match(errorOf(new CheckpointReader(a, 'logs').read()), /offsets\/84 has log version v2; sparktop reads v1/);
  });

  it('nothing committed yet is no answer (and no error)', () => {
    const a = copyOf(LOGS);
    fs.rmSync(path.join(a, 'commits'), { recursive: true });
    assert.equal(new CheckpointReader(a, 'logs').read(), null);
  });

  it('re-reads the files only when the newest complete batch changes', () => {
    const a = copyOf(LOGS);
    const reader = new CheckpointReader(a, 'logs');
    const first = reader.read();
    assert.equal(batchOf(first).batchId, 84);
    // Unchanged number: the same answer, offsets/84 not read again (emptied, it would not parse).
    fs.writeFileSync(path.join(a, 'offsets', '84'), '');
    assert.equal(reader.read(), first);
    // Batch 85 commits (its commit file as Spark writes it: a copy of another commit's content).
    fs.copyFileSync(path.join(a, 'commits', '84'), path.join(a, 'commits', '85'));
    const b = batchOf(reader.read());
    assert.equal(b.batchId, 85);
    assert.ok(b.plannedAt > 1796478582239);
  });

  it("ignores Spark's .N.crc checksums and .N.<uuid>.tmp files", () => {
    const a = copyOf(LOGS);
    // A temp file as CheckpointFileManager names it, with a higher number than any batch.
    fs.copyFileSync(path.join(a, 'offsets', '85'), path.join(a, 'offsets', '.86.0b3c6a1e-0c6e-4c8e-9d55-2f4f6f1d3a7b.tmp'));
    fs.copyFileSync(path.join(a, 'commits', '84'), path.join(a, 'commits', '.86.0b3c6a1e-0c6e-4c8e-9d55-2f4f6f1d3a7b.tmp'));
    assert.equal(batchOf(new CheckpointReader(a, 'logs').read()).batchId, 84);
  });
});
