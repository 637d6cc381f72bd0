/** The live monitor's redraw schedule: a frame per period, a batch's frame at once, never both out of phase. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { AFTER_BATCH_SLACK, startRedrawClock } from '../../src/ui/redrawClock.js';

describe('redraw clock', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());
  // Node 20's mock clock fires a timer set inside a timer only on a later tick: time moves in steps.
  const advance = (ms: number, step = 100) => {
    for (let done = 0; done < ms; done += step) mock.timers.tick(Math.min(step, ms - done));
  };

  it('draws once per period without batches', () => {
    let frames = 0;
    const clock = startRedrawClock(() => frames++, 1000);
    mock.timers.tick(999);
    assert.equal(frames, 0);
    mock.timers.tick(1);
    assert.equal(frames, 1);
    advance(9000);
    assert.equal(frames, 10);
    clock.stop();
  });

  it('draws a batch at once', () => {
    let frames = 0;
    const clock = startRedrawClock(() => frames++, 1000);
    mock.timers.tick(300);
    clock.batch();
    assert.equal(frames, 1);
    clock.stop();
  });

  it('draws once per second when a batch arrives every second, out of phase with the period', () => {
    let frames = 0;
    const clock = startRedrawClock(() => frames++, 1000);
    mock.timers.tick(400);
    for (let second = 0; second < 60; second++) {
      clock.batch();
      advance(1000);
    }
    assert.equal(frames, 60);
    clock.stop();
  });

  it('goes back to the period when batches stop', () => {
    let frames = 0;
    const clock = startRedrawClock(() => frames++, 1000);
    clock.batch();
    mock.timers.tick(1000 * (1 + AFTER_BATCH_SLACK) - 1);
    assert.equal(frames, 1);
    mock.timers.tick(1);
    assert.equal(frames, 2);
    advance(3000);
    assert.equal(frames, 5);
    clock.stop();
  });

  it('draws nothing once stopped, not even for a batch', () => {
    let frames = 0;
    const clock = startRedrawClock(() => frames++, 1000);
    clock.stop();
    clock.batch();
    advance(5000);
    assert.equal(frames, 0);
  });
});
