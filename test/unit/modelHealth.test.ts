/**
 * Health in each recording, the sources' reachability (since / lastOkAt / error) and the events
 * and app changes the model logs, from the recorded lab answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Health } from '../../src/model/derivedTypes.js';
import { derivedFromFixture, eachMoment } from '../support/derivedFromFixture.js';

const OLD_APP = 'app-20261128183001-0000';
const NEW_APP = 'app-20261128183210-0001';

const walked = new Map<string, Array<[number, Health]>>();

/** Health at every answer, as [first index, health] runs (one walk per recording). */
function healthRuns(scenario: string): Array<[number, Health]> {
  const cached = walked.get(scenario);
  if (cached) return cached;
  const runs: Array<[number, Health]> = [];
  eachMoment(scenario, (d, i) => {
    if (runs.length === 0 || runs[runs.length - 1]![1] !== d.health) runs.push([i, d.health]);
  });
  walked.set(scenario, runs);
  return runs;
}

describe('health over each recording', () => {
  it('steady: down until the driver first answered (line 4), unknown until the first batch (line 248), then keeping-up throughout', () => {
    assert.deepEqual(healthRuns('steady'), [
      [0, 'down'],
      [3, 'unknown'], // the job's first batch is still running: no lag, no rates to judge by
      [247, 'keeping-up'], // line 248: batch 0
    ]);
  });

  it('resubmit: down while the driver is gone, unknown until the new run commits, WARN moment', () => {
    assert.deepEqual(healthRuns('resubmit'), [
      [0, 'down'], // Kafka answered, the driver not yet
      [3, 'unknown'], // the driver answered; the listener's first batches come at line 8
      [5, 'keeping-up'], // line 6: the jobs list's finished batches, rows from their stages: rates to judge by
      [131, 'down'], // line 132: /allexecutors "fetch failed"
      [172, 'unknown'], // line 173: the new app answers; the old run's offsets are not its own: lag unknown
      [354, 'keeping-up'], // line 355: batch 0 of the new run committed
      [529, 'falling-behind'], // line 530: lag at commit grew over batches 11–13 (WARN)
      [546, 'keeping-up'], // line 547: batch 14
    ]);
  });

  it('kafka-down: down while Kafka is unreachable, falling-behind until the hung batch commits', () => {
    assert.deepEqual(healthRuns('kafka-down'), [
      [0, 'down'],
      [3, 'unknown'],
      [5, 'keeping-up'], // line 6: the jobs list's finished batches, rows from their stages
      [128, 'down'], // line 129: ECONNREFUSED
      [452, 'falling-behind'], // line 453: Kafka answers again; partitions STALL
      [468, 'keeping-up'], // line 469: batch 102 committed
    ]);
  });

  it('never says idle in these recordings (the generator always ran at 10k rec/s)', () => {
    for (const scenario of ['steady', 'resubmit', 'kafka-down']) assert.ok(healthRuns(scenario).every(([, h]) => h !== 'idle'));
  });
});

describe('sources: unreachable and back (kafka-down)', () => {
  it('marks Kafka unreachable since its first failed answer, with the error and the last good answer', () => {
    // line 122: last good Kafka answer (t=1795890883078); line 129: first failure (t=1795890884063)
    const d = derivedFromFixture('kafka-down', { at: 300 });
    assert.deepEqual(d.sources.kafka, {
      ok: false,
      since: 1795890884063,
      lastOkAt: 1795890883078,
      error: 'Connection error: connect ECONNREFUSED 127.0.0.1:9094',
    });
    assert.equal(d.sources.driver.ok, true);
    assert.equal(d.sources.progress.ok, true);
    assert.equal(d.sources.master.ok, true);
  });

  it('marks Kafka back since its first good answer again (line 453, t=1795890938120)', () => {
    const d = derivedFromFixture('kafka-down', { at: 452 });
    assert.deepEqual(d.sources.kafka, { ok: true, since: 1795890938120, lastOkAt: 1795890938120, error: null });
  });

  it('logs the loss and the return as events', () => {
    const d = derivedFromFixture('kafka-down');
    const kafkaEvents = d.events.filter((e) => e.text.startsWith('Kafka'));
    assert.deepEqual(kafkaEvents, [
      { t: 1795890884063, level: 'error', text: 'Kafka unreachable: Connection error: connect ECONNREFUSED 127.0.0.1:9094' },
      { t: 1795890938120, level: 'info', text: 'Kafka back after 54 s' },
    ]);
  });

  it('puts a gap (null) into the lag chart while Kafka is unreachable', () => {
    const d = derivedFromFixture('kafka-down', { at: 300 });
    const last = d.partitions.lagSeries[d.partitions.lagSeries.length - 1]!;
    assert.equal(last.lag, null);
    assert.ok(d.partitions.lagSeries.some((p) => p.lag !== null));
  });
});

describe('resubmission: a new application id is picked up (resubmit)', () => {
  const d = derivedFromFixture('resubmit');

  it('records the app change at the first answer about the new app (line 173)', () => {
    assert.deepEqual(d.appChanges, [{ t: 1795890738175, appId: NEW_APP }]);
    assert.deepEqual(d.app, { id: NEW_APP, name: 'LogsProcessor', startedAt: d.app.startedAt });
    assert.ok(d.app.startedAt !== null && d.app.startedAt > 1795890700000);
  });

  it('logs the driver lost and back, the app change, the listener and the new query run', () => {
    assert.deepEqual(
      d.events.map((e) => [e.t, e.level, e.text]),
      [
        [1795890702714, 'info', `application ${OLD_APP} (LogsProcessor)`], // line 4
        [1795890702917, 'info', 'query LogsProcessor running (run 850f7dab)'], // line 8
        [1795890723608, 'error', 'Spark driver unreachable: fetch failed'], // line 132
        [1795890724602, 'warn', 'progress listener unreachable: fetch failed'], // line 137
        [1795890738175, 'info', 'Spark driver back after 15 s'], // line 173
        [1795890738175, 'warn', `application changed: ${OLD_APP} → ${NEW_APP} (LogsProcessor)`],
        [1795890741619, 'info', 'progress listener back after 17 s'], // line 199
        [1795890743653, 'info', 'executor 1 added (127.0.0.1, 1 core)'], // line 210
        [1795890744578, 'info', 'executor 0 added (127.0.0.1, 1 core)'], // line 215
        [1795890746640, 'info', 'query LogsProcessor running (run 9cd96a59)'], // line 230
      ],
    );
  });

  it('takes the new resources from the new app (4 shuffle partitions instead of 200)', () => {
    assert.equal(derivedFromFixture('resubmit', { at: 100 }).resources.shufflePartitions, 200);
    assert.deepEqual(d.resources, {
      executors: 2,
      coresPerExecutor: 1,
      executorMemory: '1G',
      shufflePartitions: 4,
      trigger: null,
      maxOffsetsPerTrigger: null,
    });
  });

  it('marks the driver unreachable since the failed answer (line 132), not 0 or the app start', () => {
    const gone = derivedFromFixture('resubmit', { at: 150 });
    assert.equal(gone.sources.driver.ok, false);
    assert.equal(gone.sources.driver.since, 1795890723608);
    assert.equal(gone.sources.driver.error, 'fetch failed');
    assert.equal(gone.health, 'down');
  });
});

describe('findings', () => {
  it('steady: p95 above the 20 s target (the 38.7 s first batch among 4) and 200 shuffle partitions for 2 cores', () => {
    const d = derivedFromFixture('steady');
    assert.deepEqual(
      d.findings.map((f) => [f.id, f.severity]),
      [
        ['batch-over-target', 'warn'],
        ['shuffle-partitions', 'info'],
      ],
    );
    assert.deepEqual(
      derivedFromFixture('steady', { targetBatchMs: 40_000 }).findings.map((f) => f.id),
      ['shuffle-partitions'],
    );
  });

  it('resubmit, driver gone: partitions STOP is an error finding', () => {
    const d = derivedFromFixture('resubmit', { at: 150 });
    assert.ok(d.findings.some((f) => f.id === 'partitions-stop' && f.severity === 'error'));
  });

  it('kafka-down, batch hanging: STALL and the 56 s batch above target are reported', () => {
    assert.ok(derivedFromFixture('kafka-down', { at: 300 }).findings.some((f) => f.id === 'partitions-stall'));
    // after batch 102 (56156 ms) the p95 of the last 100 batches stays below the 20 s target
    const end = derivedFromFixture('kafka-down');
    assert.equal(end.batches.maxMs, 56156);
    assert.ok(!end.findings.some((f) => f.id === 'batch-over-target'));
    assert.ok(derivedFromFixture('kafka-down', { targetBatchMs: 1000 }).findings.some((f) => f.id === 'batch-over-target'));
  });
});
