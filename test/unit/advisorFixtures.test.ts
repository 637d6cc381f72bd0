/** The advisor on the recorded lab runs as they are: what the data shows, rule by rule. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fact, findingOf, firstWith, ids, RAW, runAdvisor } from '../support/advisorFixture.js';

describe('advisor on the steady run (2 partitions, 2 executors × 1 core, default 200 shuffle partitions)', () => {
  const run = runAdvisor('steady');

  it('reports exactly what holds: the 38.7 s first batch lifts p95 over 20 s, and 200 shuffle partitions of tiny tasks for 2 cores', () => {
    assert.deepEqual(ids(run.end), ['batch-over-target', 'shuffle-partitions']);
    for (const d of run.moments) for (const f of d.findings) assert.ok(['batch-over-target', 'shuffle-partitions'].includes(f.id), `${f.id} at ${d.at}`);
  });

  it('shuffle-partitions: the state store has 200, the shuffle tasks average ~118 ms, suggest 2 per core', () => {
    const f = findingOf(run.end, 'shuffle-partitions')!;
    assert.equal(f.severity, 'info');
    assert.equal(fact(run.end, 'shuffle-partitions', 'shuffle partitions'), "200 (the state store's numShufflePartitions)");
    assert.equal(fact(run.end, 'shuffle-partitions', 'executor cores'), '2');
    const taskMs = Number(/^(\d+) ms$/.exec(fact(run.end, 'shuffle-partitions', 'avg shuffle task')!)![1]);
    assert.ok(taskMs > 50 && taskMs < 200, `${taskMs} ms`);
    assert.match(f.suggestion, /--conf spark\.sql\.shuffle\.partitions=4\b/);
    assert.match(f.suggestion, /fresh checkpoint/);
  });

  it('batch-over-target: p95 39 s against the 20 s target; gone with --target-batch 40s', () => {
    const f = findingOf(run.end, 'batch-over-target')!;
    assert.equal(f.severity, 'warn');
    assert.equal(fact(run.end, 'batch-over-target', 'p95 batch'), '39 s');
    assert.equal(fact(run.end, 'batch-over-target', 'target'), '20 s');
    assert.equal(fact(run.end, 'batch-over-target', 'trigger'), 'unknown');
    assert.match(f.suggestion, /--max-offsets-per-trigger \d+/);
    assert.deepEqual(ids(runAdvisor('steady', { model: { targetBatchMs: 40_000 } }).end), ['shuffle-partitions']);
  });

  it('read-parallelism does not fire: 2 partitions for 2 cores', () => {
    assert.equal(firstWith(runAdvisor('steady', { model: RAW }), 'read-parallelism'), undefined);
  });

  it('the findings carry their activation time, and the message has the key numbers', () => {
    const f = findingOf(run.end, 'batch-over-target')!;
    assert.ok(f.since >= run.moments[0]!.at && f.since <= run.end.at);
    assert.equal(f.message, 'Batches take longer than the target (p95 batch 39 s, target 20 s)');
  });
});

describe('advisor on the resubmit run (driver killed, new app with 4 shuffle partitions drains the backlog)', () => {
  const run = runAdvisor('resubmit');

  it('partitions-stop is an error while no driver commits, and clears after the new app drains the backlog', () => {
    const stop = firstWith(run, 'partitions-stop');
    assert.ok(stop, 'STOP raised');
    assert.equal(findingOf(stop, 'partitions-stop')!.severity, 'error');
    assert.equal(fact(stop, 'partitions-stop', 'partitions'), '2 of 2 STOP');
    assert.ok(!ids(run.end).includes('partitions-stop'));
    assert.ok(run.end.advisor.cleared.some((c) => c.id === 'partitions-stop' && c.clearedAt > c.since));
  });

  it('ends healthy: the new app keeps up, nothing else holds', () => {
    assert.deepEqual(ids(run.end), ['healthy']);
    const h = findingOf(run.end, 'healthy')!;
    assert.equal(h.severity, 'info');
    assert.equal(fact(run.end, 'healthy', 'executor cores'), '2');
  });

  it('falling-behind holds for a moment (WARN: the lag at commit grew over 3 commits), with the growth and doubling time', () => {
    const raw = runAdvisor('resubmit', { model: RAW });
    const d = firstWith(raw, 'falling-behind');
    assert.ok(d, 'the condition holds at some moment');
    const f = findingOf(d, 'falling-behind')!;
    assert.match(fact(d, 'falling-behind', 'lag growth')!, /^\+\d+(\.\d)?k rec\/s$/);
    assert.match(fact(d, 'falling-behind', 'backlog doubles in')!, /^\d+(\.\d)? s$/);
    assert.match(f.evidence.text, /lag grew across the last commits of 2 partitions/);
    // ...for fewer than 3 refreshes: with the default hysteresis it never shows
    assert.equal(firstWith(run, 'falling-behind'), undefined);
  });

  it('resources-mismatch holds only while the new app is still getting its executors (spark.cores.max=2, 1 core so far)', () => {
    const raw = runAdvisor('resubmit', { model: RAW });
    const d = firstWith(raw, 'resources-mismatch');
    assert.ok(d);
    assert.match(findingOf(d, 'resources-mismatch')!.evidence.text, /spark\.cores\.max=2 but the app got 1 core\b/);
    assert.equal(firstWith(run, 'resources-mismatch'), undefined);
  });
});

describe('advisor on the kafka-down run (broker stopped ~50 s, then back)', () => {
  const run = runAdvisor('kafka-down');

  it('healthy before, partitions-stall (error) while the batch hangs, healthy again at the end', () => {
    const order: string[] = [];
    for (const d of run.moments) {
      const now = ids(d).join(',');
      if (now !== '' && order[order.length - 1] !== now) order.push(now);
    }
    assert.deepEqual(order, ['healthy', 'partitions-stall', 'healthy']);
    assert.equal(findingOf(firstWith(run, 'partitions-stall'), 'partitions-stall')!.severity, 'error');
  });

  it('4 shuffle partitions (spark.sql.shuffle.partitions) for 2 cores: no shuffle-partitions finding', () => {
    assert.equal(firstWith(runAdvisor('kafka-down', { model: RAW }), 'shuffle-partitions'), undefined);
  });

  it('batch-over-target with --target-batch 1s (batches of 1-2 s)', () => {
    const strict = runAdvisor('kafka-down', { model: { targetBatchMs: 1000 } });
    assert.ok(ids(strict.end).includes('batch-over-target'));
    assert.equal(fact(strict.end, 'batch-over-target', 'target'), '1.0 s');
  });
});

describe('advisor without the listener', () => {
  it('idle-cores: one executor without a task while the batches run longer than the target (trigger unknown) — a flicker the hysteresis holds back', () => {
    const raw = runAdvisor('no-listener', { model: RAW });
    const d = firstWith(raw, 'idle-cores');
    assert.ok(d);
    const f = findingOf(d, 'idle-cores')!;
    assert.ok(f.evidence.facts.some((x) => x.label === 'target (trigger unknown)' && x.value === '20 s'));
    assert.equal(fact(d, 'idle-cores', 'idle cores'), '1 of 2');
    assert.equal(firstWith(runAdvisor('no-listener'), 'idle-cores'), undefined);
  });
});
