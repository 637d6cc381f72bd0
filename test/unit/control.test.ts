import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { planHotkey } from '../../src/control/hotkeys.js';
import { LocalLabControl } from '../../src/control/localLab.js';
import { nextRate, previousRate, rateSteps } from '../../src/control/rateSteps.js';
import { WatchOnly } from '../../src/control/types.js';
import { defaultLabConfig } from '../../src/lab/labConfig.js';
import { labPaths } from '../../src/lab/paths.js';
import { writeState } from '../../src/lab/state.js';
import { tempDir } from '../support/tempDir.js';

describe('rate steps for ] and [', () => {
  it('goes 1k, 2k, 5k, 10k, 20k, 50k, 100k …', () => {
    assert.deepEqual(rateSteps().slice(0, 7), [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]);
    assert.equal(nextRate(10_000), 20_000);
    assert.equal(nextRate(12_345), 20_000);
    assert.equal(previousRate(10_000), 5000);
    assert.equal(previousRate(1000), 1000);
    assert.equal(nextRate(10_000_000), 10_000_000);
  });
});

describe('pipeline hotkeys', () => {
  it('say why they cannot act on a pipeline sparktop only watches', () => {
    const control = new WatchOnly('sparktop only watches http://remote:4040');
    for (const key of ['+', '-', ']', '[', '0']) assert.equal(planHotkey(key, control), 'sparktop only watches http://remote:4040');
    assert.equal(planHotkey('x', control), null);
    assert.equal(planHotkey('r', control), null, 'the monitor opens the resubmit form itself');
    for (const key of ['k', 'm', 's', 'e']) assert.equal(planHotkey(key, control), null);
  });

  it('plan actions on the local lab within bounds', () => {
    const dir = tempDir('sparktop-control-');
    const paths = labPaths(dir);
    writeState(paths.stateFile, { config: { ...defaultLabConfig(dir), rps: 10_000 }, components: {} });
    const control = new LocalLabControl(paths);
    assert.deepEqual(control.generators(), { count: 0, ratePerGenerator: 10_000, paused: false });
    assert.equal(planHotkey('-', control), 'no generator is running');
    const plus = planHotkey('+', control);
    assert.ok(plus && typeof plus !== 'string');
    assert.deepEqual(plus.detail, { from: 0, to: 1 });
    const faster = planHotkey(']', control);
    assert.ok(faster && typeof faster !== 'string');
    assert.deepEqual(faster.detail, { from: 10_000, to: 20_000 });
    const pause = planHotkey('0', control);
    assert.ok(pause && typeof pause !== 'string');
    assert.equal(pause.action, 'pause-generators');
  });
});

describe('a failed resubmission', () => {
  it('names spark-submit\'s error, its log, and what runs now', async () => {
    const { resubmitFailed } = await import('../../src/control/messages.js');
    const died = new Error(
      'process 4242 exited. Last lines of /cache/lab/logs/spark-app.log:\nSpark Command: java -Xmx1k …\n========\nError occurred during initialization of VM\nToo small maximum heap',
    );
    assert.deepEqual(resubmitFailed(died, []), {
      ok: false,
      message: 'spark-submit exited: Error occurred during initialization of VM (log: /cache/lab/logs/spark-app.log); no job is running now (r to resubmit)',
    });
    assert.equal(resubmitFailed(new Error('timed out waiting for the first batch'), ['app-1']).message, 'timed out waiting for the first batch; still running: app-1');
    assert.equal(resubmitFailed('lock held', null).message, 'lock held');
  });
});
