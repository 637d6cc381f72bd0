import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionFor, helpBindings, KEYMAP, keyName, VIEWS } from '../../src/ui/keymap.js';

describe('ui keymap', () => {
  it('routes 1-8 to the eight views, in the order of the design', () => {
    assert.deepEqual(
      VIEWS.map((v) => [v.key, v.id]),
      [
        ['1', 'overview'],
        ['2', 'executors'],
        ['3', 'partitions'],
        ['4', 'batches'],
        ['5', 'stages'],
        ['6', 'events'],
        ['7', 'experiments'],
        ['8', 'advisor'],
      ],
    );
    for (const v of VIEWS) assert.deepEqual(actionFor(v.key), { kind: 'view', view: v.id });
  });

  it('knows help, quit, freeze and scrolling', () => {
    assert.deepEqual(actionFor('?'), { kind: 'help' });
    assert.deepEqual(actionFor('q'), { kind: 'quit' });
    assert.deepEqual(actionFor('ctrl+c'), { kind: 'quit' });
    assert.deepEqual(actionFor('space'), { kind: 'freeze' });
    assert.deepEqual(actionFor('escape'), { kind: 'close' });
    assert.equal(actionFor('down').kind, 'scroll');
    assert.equal(actionFor('pageup').kind, 'scroll');
  });

  it('passes pipeline actions and unknown keys on, as external', () => {
    for (const key of ['+', '-', ']', '[', '0', 'r', 'k', 'm', 's', 'e']) assert.deepEqual(actionFor(key), { kind: 'external', key });
    assert.deepEqual(actionFor('9'), { kind: 'external', key: '9' }, 'a digit without a view is passed on');
    assert.deepEqual(actionFor('z'), { kind: 'external', key: 'z' });
  });

  it('binds each key once', () => {
    const keys = KEYMAP.flatMap((b) => b.keys);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('names keys from Ink input', () => {
    assert.equal(keyName('q', {}), 'q');
    assert.equal(keyName(' ', {}), 'space');
    assert.equal(keyName('', { downArrow: true }), 'down');
    assert.equal(keyName('', { escape: true }), 'escape');
    assert.equal(keyName('c', { ctrl: true }), 'ctrl+c');
    assert.equal(keyName('+', {}), '+');
  });

  it('lists pipeline actions in help only when something handles them', () => {
    assert.ok(helpBindings(false).every((b) => b.group !== 'actions'));
    assert.ok(helpBindings(true).some((b) => b.group === 'actions' && b.keys.includes('r')));
    // Help shows exactly what the table binds: every binding has a description and a display.
    for (const b of helpBindings(true)) assert.ok(b.description.length > 0 && b.display.length > 0);
  });
});
