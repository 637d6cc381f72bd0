import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitChunk } from '../../src/ui/keyChunks.js';

describe('keys that arrive in one read', () => {
  it('are split into keys, text runs kept whole', () => {
    assert.deepEqual(splitChunk('\t\t99\r', {}), [
      { input: '', key: { tab: true } },
      { input: '', key: { tab: true } },
      { input: '99', key: {} },
      { input: '', key: { return: true } },
    ]);
    assert.deepEqual(splitChunk('ab\x7f\x15c\x1b', {}), [
      { input: 'ab', key: {} },
      { input: '', key: { backspace: true } },
      { input: 'u', key: { ctrl: true } },
      { input: 'c', key: {} },
      { input: '', key: { escape: true } },
    ]);
  });

  it('recognises arrows, also when Ink dropped the first ESC', () => {
    assert.deepEqual(splitChunk('[B\x1b[B\x1b[A', {}), [
      { input: '', key: { downArrow: true } },
      { input: '', key: { downArrow: true } },
      { input: '', key: { upArrow: true } },
    ]);
    assert.deepEqual(splitChunk('x\x1b[Z', {}), [{ input: 'x', key: {} }, { input: '', key: { tab: true, shift: true } }]);
  });

  it('leaves single keys and plain text to Ink', () => {
    assert.equal(splitChunk('q', {}), null);
    assert.equal(splitChunk('rate x2', {}), null);
    assert.equal(splitChunk('c', { ctrl: true }), null);
    assert.equal(splitChunk('', { return: true }), null);
  });
});
