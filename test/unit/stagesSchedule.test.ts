/** When the sampler re-reads the driver's whole completed-stage list (megabytes on a busy app). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completedStagesDue, LONG_STAGE_LIST, ROUNDS_BETWEEN_READS } from '../../src/sources/stagesSchedule.js';

const read = (tick: number, rows: number, changes = 0, appId = 'app-1') => ({ tick, appId, changes, rows });

describe('completed stages schedule', () => {
  it('reads at once for the first app and for a new one', () => {
    assert.equal(completedStagesDue({ tick: 0, appId: 'app-1', changes: 0 }, null), true);
    assert.equal(completedStagesDue({ tick: 2, appId: 'app-2', changes: 0 }, read(0, 5)), true);
  });

  it('does not read again while nothing changed, however long', () => {
    assert.equal(completedStagesDue({ tick: 10_000, appId: 'app-1', changes: 3 }, read(0, 5, 3)), false);
  });

  it('after a change, waits the short interval for a short list', () => {
    const last = read(100, LONG_STAGE_LIST);
    assert.equal(completedStagesDue({ tick: 100 + ROUNDS_BETWEEN_READS.short - 2, appId: 'app-1', changes: 1 }, last), false);
    assert.equal(completedStagesDue({ tick: 100 + ROUNDS_BETWEEN_READS.short, appId: 'app-1', changes: 1 }, last), true);
  });

  it('after a change, waits the long interval for a long list', () => {
    const last = read(100, LONG_STAGE_LIST + 1);
    assert.equal(completedStagesDue({ tick: 100 + ROUNDS_BETWEEN_READS.short, appId: 'app-1', changes: 1 }, last), false);
    assert.equal(completedStagesDue({ tick: 100 + ROUNDS_BETWEEN_READS.long - 2, appId: 'app-1', changes: 1 }, last), false);
    assert.equal(completedStagesDue({ tick: 100 + ROUNDS_BETWEEN_READS.long, appId: 'app-1', changes: 1 }, last), true);
  });
});
