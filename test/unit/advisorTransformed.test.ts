/**
 * Rules whose situation no recording shows: the real samples with a few fields changed, each
 * change stated in the test (copies; the cached fixture samples stay untouched).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../src/model/samples.js';
import { SNAPSHOT_HYSTERESIS } from '../../src/model/advisor/options.js';
import { fact, findingOf, firstWith, ids, RAW, runAdvisor, withExecutor } from '../support/advisorFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

/** Answer index at `share` of a recording. */
const at = (scenario: string, share: number) => Math.floor(answersFromFixture(scenario).length * share);

describe('read-parallelism and shuffle-partitions (executor cores raised in copies of the executors samples)', () => {
  it('steady with executor 0 at 3 cores (4 in all) for 2 topic partitions: the read stage has 2 tasks, minPartitions not set', () => {
    const run = runAdvisor('steady', { transform: (s) => withExecutor(s, '0', () => ({ totalCores: 3 })) });
    const f = findingOf(run.end, 'read-parallelism');
    assert.ok(f, ids(run.end).join());
    assert.equal(fact(run.end, 'read-parallelism', 'topic partitions'), '2');
    assert.equal(fact(run.end, 'read-parallelism', 'executor cores'), '4');
    assert.equal(fact(run.end, 'read-parallelism', 'read stage tasks'), '2');
    assert.equal(fact(run.end, 'read-parallelism', 'minPartitions'), 'not set');
    assert.match(f.suggestion, /minPartitions", 4\)/);
    assert.match(f.suggestion, /--partitions 4/);
  });

  it('kafka-down with both executors at 3 cores: 4 shuffle partitions (spark.sql.shuffle.partitions) < 6 cores is a warning', () => {
    const run = runAdvisor('kafka-down', { model: RAW, transform: (s) => withExecutor(withExecutor(s, '0', () => ({ totalCores: 3 })), '1', () => ({ totalCores: 3 })) });
    const d = firstWith(run, 'shuffle-partitions');
    const f = findingOf(d, 'shuffle-partitions')!;
    assert.equal(f.severity, 'warn');
    assert.equal(fact(d, 'shuffle-partitions', 'shuffle partitions'), '4 (spark.sql.shuffle.partitions)');
    assert.match(f.suggestion, /spark\.sql\.shuffle\.partitions=12/);
  });
});

describe('skew (cumulative counters of one executor scaled in copies)', () => {
  it('steady with executor 1 doing 10× the task time and shuffle read: moderate skew (max ÷ median ≈ 1.8 of two executors)', () => {
    const run = runAdvisor('steady', { transform: (s) => withExecutor(s, '1', (e) => ({ totalDuration: e.totalDuration * 10, totalShuffleRead: e.totalShuffleRead * 10 })) });
    const f = findingOf(run.end, 'skew');
    assert.ok(f, ids(run.end).join());
    assert.equal(f.severity, 'warn');
    assert.equal(f.title, 'Moderate skew');
    const ratio = Number(fact(run.end, 'skew', 'task time')!.replace('× median', ''));
    assert.ok(ratio >= 1.78 && ratio < 3.16, String(ratio));
    assert.match(fact(run.end, 'skew', 'busiest executor')!, /^1 \(9\d %/);
    assert.match(f.suggestion, /salt/);
  });

  it('no skew on the real counters (two executors within a few %)', () => {
    assert.equal(firstWith(runAdvisor('steady', { model: RAW }), 'skew'), undefined);
  });

  it('uneven produce rates: partition 1 log-end offsets at a tenth in copies of the Kafka samples', () => {
    const tenth = (s: Sample): Sample =>
      s.kind === 'kafka' ? { ...s, data: { ...s.data, partitions: s.data.partitions.map((p) => (p.partition === 1 ? { ...p, logEndOffset: Math.round(p.logEndOffset / 10) } : p)) } } : s;
    const run = runAdvisor('kafka-down', { model: RAW, transform: tenth, until: at('kafka-down', 0.2) });
    const d = firstWith(run, 'skew');
    const f = findingOf(d, 'skew')!;
    assert.match(f.evidence.text, /produce rate across partitions 1\.8\d×/);
    assert.match(f.suggestion, /without a key/);
  });
});

describe('gc-pressure and memory-pressure', () => {
  it('steady with executor 0 spending 20× the GC time: above 10 % of its task time, suggest twice the 1G executor memory', () => {
    const run = runAdvisor('steady', { transform: (s) => withExecutor(s, '0', (e) => ({ totalGCTime: e.totalGCTime * 20 })) });
    const f = findingOf(run.end, 'gc-pressure');
    assert.ok(f, ids(run.end).join());
    assert.equal(fact(run.end, 'gc-pressure', 'worst executor'), '0');
    assert.ok(Number(fact(run.end, 'gc-pressure', 'GC ÷ task time')!.replace(' %', '')) > 10);
    assert.equal(fact(run.end, 'gc-pressure', 'executor memory'), '1G');
    assert.match(f.suggestion, /--executor-memory 2g \(now 1G\)/);
  });

  it('steady with executor 1 storage memory at 90 % of its capacity', () => {
    const run = runAdvisor('steady', { transform: (s) => withExecutor(s, '1', (e) => ({ memoryUsed: Math.round(e.maxMemory * 0.9) })) });
    const f = findingOf(run.end, 'memory-pressure');
    assert.ok(f, ids(run.end).join());
    assert.match(fact(run.end, 'memory-pressure', 'storage memory')!, /\(90 %\)$/);
    assert.equal(firstWith(runAdvisor('steady', { model: RAW }), 'memory-pressure'), undefined);
  });
});

describe('state-growth (numRowsTotal of the state operator raised by 500 per batch in copies of the progress events)', () => {
  const growing = (watermark: string | null) => (s: Sample): Sample => {
    if (s.kind !== 'progress') return s;
    const progress = s.data.progress.map((p) => ({
      ...p,
      ...(watermark ? { eventTime: { ...p.eventTime, watermark } } : {}),
      stateOperators: p.stateOperators.map((o) => ({ ...o, numRowsTotal: (o.numRowsTotal ?? 0) + 500 * p.batchId })),
    }));
    return { ...s, data: { ...s.data, progress } };
  };

  it('kafka-down: the state grows every batch and there is no watermark', () => {
    const run = runAdvisor('kafka-down', { transform: growing(null), until: at('kafka-down', 0.3) });
    const d = firstWith(run, 'state-growth');
    const f = findingOf(d, 'state-growth')!;
    assert.equal(fact(d, 'state-growth', 'watermark'), 'none');
    assert.match(fact(d, 'state-growth', 'growth')!, /^\+500 rows\/batch over 10 batches$/);
    assert.match(f.suggestion, /withWatermark/);
  });

  it('not with a watermark, and not on the real (flat, 1000 rows) state', () => {
    assert.equal(firstWith(runAdvisor('kafka-down', { model: RAW, transform: growing('2026-11-28T18:34:00.000Z'), until: at('kafka-down', 0.3) }), 'state-growth'), undefined);
    assert.equal(firstWith(runAdvisor('kafka-down', { model: RAW }), 'state-growth'), undefined);
  });
});

describe('generator-bound (the recordings have no generator samples: one added after each Kafka answer)', () => {
  /** What the local lab's generators report, with the given number of generators at 10k rec/s each. */
  const generators = (count: number) => (s: Sample): Sample | Sample[] =>
    s.kind !== 'kafka'
      ? s
      : [
          s,
          {
            t: s.t,
            kind: 'generators',
            data: { generators: Array.from({ length: count }, (_, i) => ({ name: `generator-${i + 1}`, targetRps: 10_000, achievedRps: null, acked: 0, errors: 0, paused: false })) },
          },
        ];

  it('steady produces ~10k rec/s: bound with 2 generators aiming at 20k, not with 1 aiming at 10k', () => {
    const two = runAdvisor('steady', { transform: generators(2) });
    const f = findingOf(two.end, 'generator-bound');
    assert.ok(f, ids(two.end).join());
    assert.match(fact(two.end, 'generator-bound', 'produced (Kafka)')!, /\((4|5)\d %\)$/);
    assert.match(f.suggestion, /--generators 3/);
    assert.equal(firstWith(runAdvisor('steady', { model: RAW, transform: generators(1) }), 'generator-bound'), undefined);
  });

  it('one look (status, check) reports it at its first evaluation, although live it waits for 12', () => {
    const oneLook = runAdvisor('steady', { model: { advisor: { hysteresis: SNAPSHOT_HYSTERESIS } }, transform: generators(2), until: 20 });
    const live = runAdvisor('steady', { transform: generators(2), until: 20 });
    assert.ok(findingOf(oneLook.end, 'generator-bound'), ids(oneLook.end).join());
    assert.equal(findingOf(live.end, 'generator-bound'), undefined, 'live: not yet after a few refreshes');
  });
});

describe('executor-lost and failed-tasks (from 40 % of the steady run on, in copies of the executors samples)', () => {
  it('executor 1 removed with exit code 137: an error, with a memory suggestion', () => {
    const from = at('steady', 0.4);
    const run = runAdvisor('steady', {
      transform: (s, i) => (i >= from ? withExecutor(s, '1', () => ({ isActive: false, removeReason: 'Command exited with code 137', activeTasks: 0 })) : s),
    });
    const f = findingOf(run.end, 'executor-lost');
    assert.ok(f, ids(run.end).join());
    assert.equal(f.severity, 'error');
    assert.equal(fact(run.end, 'executor-lost', 'reason'), 'Command exited with code 137');
    assert.match(f.suggestion, /--executor-memory/);
  });

  it('3 more failed tasks on executor 0', () => {
    const from = at('steady', 0.4);
    const run = runAdvisor('steady', { transform: (s, i) => (i >= from ? withExecutor(s, '0', (e) => ({ failedTasks: e.failedTasks + 3 })) : s) });
    assert.equal(fact(run.end, 'failed-tasks', 'failed in 60 s'), '3');
    assert.equal(firstWith(runAdvisor('steady', { model: RAW }), 'failed-tasks'), undefined);
  });
});

describe('resources-mismatch (Spark properties extended in copies of the executors samples)', () => {
  const withProps = (extra: Record<string, string>) => (s: Sample): Sample =>
    s.kind === 'executors' && s.data.sparkProperties ? { ...s, data: { ...s.data, sparkProperties: { ...s.data.sparkProperties, ...extra } } } : s;

  it('--num-executors 4 on the standalone master: 2 executors run; the suggestion asks for the total cores', () => {
    const run = runAdvisor('steady', { transform: withProps({ 'spark.executor.instances': '4' }) });
    const f = findingOf(run.end, 'resources-mismatch');
    assert.ok(f, ids(run.end).join());
    assert.match(f.evidence.text, /standalone master ignores it/);
    assert.equal(fact(run.end, 'resources-mismatch', 'got'), '2 executors × 1 core = 2 cores, 1024 MB each');
    assert.match(f.suggestion, /--total-executor-cores 4 --executor-cores 1/);
  });

  it('spark.executor.memory=2g while the master gave 1024 MB per executor', () => {
    const run = runAdvisor('steady', { transform: withProps({ 'spark.executor.memory': '2g' }) });
    assert.match(findingOf(run.end, 'resources-mismatch')!.evidence.text, /spark\.executor\.memory=2g but the master gave 1024 MB per executor/);
  });

  it('the recorded properties (1 core each, 1G, cores.max 2) match what the apps got', () => {
    assert.ok(!ids(runAdvisor('steady').end).includes('resources-mismatch'));
    assert.ok(!ids(runAdvisor('kafka-down').end).includes('resources-mismatch'));
  });
});
