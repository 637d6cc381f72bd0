import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitCodeOf, onStopSignal, STOP_SIGNALS } from '../../src/commands/stopSignals.js';

/** The listener onStopSignal added for `signal` (called directly: emitting a real SIGINT would reach the test runner's own). */
function added(signal: NodeJS.Signals, before: Function[]): (s: NodeJS.Signals) => void {
  const fresh = process.listeners(signal).filter((l) => !before.includes(l));
  assert.equal(fresh.length, 1, `one listener for ${signal}`);
  return fresh[0] as (s: NodeJS.Signals) => void;
}

describe('stop signals: Ctrl-C, kill and a hang-up end a command the same way', () => {
  it('listens to SIGINT, SIGTERM and SIGHUP until disposed', () => {
    const before = STOP_SIGNALS.map((s) => process.listeners(s));
    const seen: string[] = [];
    const dispose = onStopSignal((s) => seen.push(s));
    STOP_SIGNALS.forEach((s, i) => added(s, before[i]!)(s));
    assert.deepEqual(seen, ['SIGINT', 'SIGTERM', 'SIGHUP']);
    dispose();
    assert.deepEqual(STOP_SIGNALS.map((s) => process.listeners(s)), before);
  });

  it('after a hang-up, a failed write to the gone terminal does not end the process', () => {
    const before = process.listeners('SIGHUP');
    const dispose = onStopSignal(() => undefined);
    added('SIGHUP', before)('SIGHUP');
    dispose();
    // An 'error' event with a listener does not throw: one is there for each of the terminal's streams.
    assert.ok(process.stdout.listenerCount('error') >= 1 && process.stderr.listenerCount('error') >= 1);
  });

  it('a write to a terminal closed before its hang-up signal arrives (EIO) is that hang-up, not a crash', () => {
    const before = process.stdout.listeners('error');
    const seen: string[] = [];
    const dispose = onStopSignal((s) => seen.push(s));
    const added = process.stdout.listeners('error').filter((l) => !before.includes(l));
    assert.equal(added.length, 1);
    (added[0] as (err: Error) => void)(Object.assign(new Error('write EIO'), { code: 'EIO' }));
    assert.deepEqual(seen, ['SIGHUP']);
    assert.throws(() => (added[0] as (err: Error) => void)(Object.assign(new Error('other'), { code: 'EACCES' })), /other/);
    dispose();
    assert.equal(process.stdout.listeners('error').includes(added[0]!), false);
  });

  it('a hang-up is handed over once: the failed writes of the gone terminal and more SIGHUPs are not a second interrupt', () => {
    const before = process.listeners('SIGHUP');
    const beforeErrors = process.stdout.listeners('error');
    const seen: string[] = [];
    const dispose = onStopSignal((s) => seen.push(s));
    const hangUp = added('SIGHUP', before);
    const writeFailed = process.stdout.listeners('error').filter((l) => !beforeErrors.includes(l)).at(-1) as (err: Error) => void;
    hangUp('SIGHUP');
    writeFailed(Object.assign(new Error('write EIO'), { code: 'EIO' }));
    hangUp('SIGHUP');
    assert.deepEqual(seen, ['SIGHUP']);
    dispose();
  });

  it('exits as the shell reports a process ended by the signal', () => {
    assert.deepEqual(STOP_SIGNALS.map(exitCodeOf), [130, 143, 129]);
  });
});
