import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStreamingMetrics } from '../../src/sources/parse.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';
import { recordedStageRows } from '../support/recordedStageRows.js';

// no-listener.jsonl: the lab's job recorded with the listener URL pointed at a closed port, as for
// someone else's app: batches come from the driver's jobs API, rates from Spark's streaming gauges.
describe('without the progress listener', () => {
  const d = derivedFromFixture('no-listener');

  it('marks the listener unreachable but keeps the driver reachable', () => {
    assert.equal(d.sources.progress.ok, false);
    assert.equal(d.sources.driver.ok, true);
    assert.equal(d.sources.kafka.ok, true);
  });

  it('derives batch ids and durations from the jobs API, rows from the recorded stages', () => {
    assert.ok(d.batches.rows.length >= 2, 'batches are seen');
    const stageRows = recordedStageRows(answersFromFixture('no-listener'));
    for (const r of d.batches.rows) {
      assert.equal(r.origin, 'derived');
      assert.equal(r.numInputRows, r.durationMs === null ? null : stageRows.get(`${r.runId}/${r.batchId}`));
    }
    const done = d.batches.rows.filter((r) => r.durationMs !== null);
    assert.ok(done.length >= 1 && done.every((r) => r.durationMs! > 0 && r.numInputRows! > 0));
  });

  it('takes input and processed rates from Spark\'s streaming gauges', () => {
    const answers = answersFromFixture('no-listener');
    // The model takes the gauges along with the jobs answer: the last metrics answer before the last jobs answer counts.
    const lastJobs = answers.map((a) => a.endpoint).lastIndexOf('driver:/jobs');
    const last = [...answers.slice(0, lastJobs)].reverse().find((a) => a.endpoint === 'driver:/metrics/prometheus' && a.status === 200)!;
    const gauges = parseStreamingMetrics(last.body);
    assert.equal(gauges.length, 1);
    assert.equal(gauges[0]!.query, 'LogsProcessor');
    assert.ok(gauges[0]!.inputRps !== null && gauges[0]!.inputRps > 0, 'the recording has a non-zero input rate');
    assert.equal(d.rates.inputRps, gauges[0]!.inputRps);
    assert.equal(d.rates.processedRps, gauges[0]!.processedRps);
  });
});
