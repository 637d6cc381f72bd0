import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachDashValues, unknownFlags } from '../../src/commands/cliArgs.js';

const VALUE = ['trigger', 'driverMemory', 'conf', 'topic'];
const ALL = [...VALUE, 'json', 'purge'];

describe('command-line words', () => {
  it('a value starting with - belongs to the flag before it', () => {
    assert.deepEqual(attachDashValues(['submit', '--trigger', '-1s'], VALUE, ALL), ['submit', '--trigger=-1s']);
    assert.deepEqual(attachDashValues(['--driver-memory', '-1g', '--topic', 'x'], VALUE, ALL), ['--driver-memory=-1g', '--topic', 'x']);
  });

  it('leaves known flags, boolean flags and = forms alone', () => {
    assert.deepEqual(attachDashValues(['--topic', '--json'], VALUE, ALL), ['--topic', '--json']);
    assert.deepEqual(attachDashValues(['--json', '-x'], VALUE, ALL), ['--json', '-x']);
    assert.deepEqual(attachDashValues(['--trigger=-1s', '-y'], VALUE, ALL), ['--trigger=-1s', '-y']);
    assert.deepEqual(attachDashValues(['--topic', '--'], VALUE, ALL), ['--topic', '--']);
  });

  it('names the flags the CLI does not define as they were written', () => {
    assert.deepEqual(unknownFlags({ topic: 'x', frobnicateAll: '1', x: true }, ALL), ['--frobnicate-all', '-x']);
    assert.deepEqual(unknownFlags({ topic: 'x' }, ALL), []);
  });
});
