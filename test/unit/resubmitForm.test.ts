import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASELINE_RESOURCES } from '../../src/domain/resources.js';
import { editLine, type EditKey } from '../../src/ui/forms/lineEdit.js';
import {
  executorCount,
  FIELDS,
  formKey,
  openResubmitForm,
  reviewed,
  splitConfWords,
  validateForm,
  type ClusterLimits,
  type ResubmitFormState,
} from '../../src/ui/forms/resubmitForm.js';
import { resubmitFormLines, wrapWords } from '../../src/ui/forms/ResubmitForm.js';

const LAB: ClusterLimits = { totalCores: 2, workerCores: 2, workerMemoryMb: 8192 };
const key = (name: string, text = ''): EditKey => ({ name, text });
const type = (text: string): EditKey => key('char', text);

function press(state: ResubmitFormState, ...keys: EditKey[]) {
  let s = state;
  let effect = formKey(s, key('none')).effect;
  for (const k of keys) ({ state: s, effect } = formKey(s, k));
  return { state: s, effect };
}

function focusField(state: ResubmitFormState, id: string): ResubmitFormState {
  const index = FIELDS.findIndex((f) => f.id === id);
  return press(state, ...Array.from({ length: index }, () => key('tab'))).state;
}

describe('resubmit form', () => {
  it('is prefilled with the running job\'s resources', () => {
    const form = openResubmitForm({ executorCores: 1, executorMemory: '1g', shufflePartitions: 4, driverMemory: '1g', conf: { 'spark.a.b': 'x y' } }, LAB);
    assert.equal(form.values.executorCores, '1');
    assert.equal(form.values.executorMemory, '1g');
    assert.equal(form.values.shufflePartitions, '4');
    assert.equal(form.values.totalExecutorCores, '');
    assert.equal(form.values.conf, 'spark.a.b="x y"');
    const v = validateForm(form.values, form.base, LAB);
    assert.deepEqual(v.resources, { executorCores: 1, executorMemory: '1g', shufflePartitions: 4, driverMemory: '1g', conf: { 'spark.a.b': 'x y' } });
  });

  it('validates against the cluster: cores, the largest worker, memory', () => {
    const base = openResubmitForm(BASELINE_RESOURCES, LAB);
    const errorsOf = (values: Partial<ResubmitFormState['values']>) => validateForm({ ...base.values, ...values }, base.base, LAB).errors;
    assert.match(errorsOf({ executorCores: '3' }).executorCores!, /at most 2/);
    assert.match(errorsOf({ totalExecutorCores: '4' }).totalExecutorCores!, /at most 2: the cluster's cores/);
    assert.match(errorsOf({ executorCores: '2', totalExecutorCores: '1' }).totalExecutorCores!, /less than the executor cores/);
    assert.match(errorsOf({ executorMemory: '9g' }).executorMemory!, /at most 8192m/);
    assert.match(errorsOf({ executorMemory: 'lots' }).executorMemory!, /512m, 1g or 4G/);
    assert.match(errorsOf({ shufflePartitions: '0' }).shufflePartitions!, /positive integer/);
    assert.match(errorsOf({ trigger: 'soon' }).trigger!, /interval like 10s/);
    assert.match(errorsOf({ conf: 'spark.x=1; rm -rf /' }).conf!, /key=value|spark\.\*/);
    assert.match(errorsOf({ conf: 'fs.defaultFS=file:///' }).conf!, /Spark properties/);
    assert.match(errorsOf({ conf: 'spark.x="open' }).conf!, /quote is not closed/);
    assert.deepEqual(errorsOf({ executorCores: '1', totalExecutorCores: '2', trigger: '5s', conf: 'spark.a=1 spark.b="-Xss4m -XX:+UseG1GC"' }), {});
    const unknown = validateForm({ ...base.values, executorCores: '64' }, base.base, { totalCores: null, workerCores: null, workerMemoryMb: null });
    assert.deepEqual(unknown.errors, {}, 'no limit is invented when the master is unknown');
  });

  it('counts the executors a standalone master starts', () => {
    const v = openResubmitForm(BASELINE_RESOURCES, LAB).values;
    assert.equal(executorCount({ ...v, executorCores: '1', totalExecutorCores: '2' }, LAB), 2);
    assert.equal(executorCount({ ...v, executorCores: '1', totalExecutorCores: '' }, LAB), 2, 'blank total = every core of the cluster');
    assert.equal(executorCount({ ...v, executorCores: '', totalExecutorCores: '' }, LAB), 1, 'blank executor cores = a whole worker');
    assert.equal(executorCount({ ...v, executorCores: '1' }, { totalCores: null, workerCores: null, workerMemoryMb: null }), null);
  });

  it('edits, refuses to review invalid values, reviews, applies; esc goes back then cancels', () => {
    const open = openResubmitForm(BASELINE_RESOURCES, LAB);
    let { state, effect } = press(focusField(open, 'totalExecutorCores'), type('9'), key('return'));
    assert.equal(effect.kind, 'none');
    assert.equal(state.stage, 'edit');
    assert.match(state.message!, /1 field is invalid/);
    ({ state, effect } = press(state, key('backspace'), type('2'), key('down'), key('ctrl+u'), type('2'), key('return')));
    assert.equal(state.stage, 'reviewing');
    assert.deepEqual(effect, { kind: 'review', resources: { executorCores: 1, executorMemory: '1G'.toLowerCase(), totalExecutorCores: 2, shufflePartitions: 2, conf: {} } });
    assert.equal(press(state, key('return')).effect.kind, 'none', 'enter does nothing while the review is prepared');
    state = reviewed(state, { ok: true, commandLine: 'spark-submit --total-executor-cores 2', checkpointDir: '/tmp/c', resources: { conf: {} } });
    assert.equal(state.stage, 'review');
    assert.match(resubmitFormLines(state, 80).map((l) => l.map((s) => s.text).join('')).join('\n'), /spark-submit --total-executor-cores 2/);
    assert.equal(press(state, key('return')).effect.kind, 'apply');
    ({ state } = press(state, key('escape')));
    assert.equal(state.stage, 'edit', 'esc in the review goes back to the form');
    assert.equal(press(state, key('escape')).effect.kind, 'cancel');
  });

  it('a failed review says why and keeps the form', () => {
    const { state } = press(openResubmitForm(BASELINE_RESOURCES, LAB), key('return'));
    const after = reviewed(state, { ok: false, message: 'the local lab\'s Spark master is not running' });
    assert.equal(after.stage, 'edit');
    assert.match(after.message!, /cannot review: the local lab's Spark master is not running/);
  });

  it('shows each field, its error and the executor count', () => {
    const form = press(focusField(openResubmitForm(BASELINE_RESOURCES, LAB), 'executorCores'), key('backspace'), type('5')).state;
    const text = resubmitFormLines(form, 100).map((l) => l.map((s) => s.text).join(''));
    for (const f of FIELDS) assert.ok(text.some((l) => l.includes(f.label)), f.label);
    assert.ok(text.some((l) => /executor cores\s+5▏.*at most 2: no worker has more cores/.test(l)));
    assert.ok(text.some((l) => /no limit/.test(l)), 'a blank field says what blank means');
  });
});

describe('line editing', () => {
  it('appends typed and pasted text on one line, deletes, clears', () => {
    assert.equal(editLine('ab', type('c')), 'abc');
    assert.equal(editLine('ab', type('x\ny\r\tz')), 'abx y z');
    assert.equal(editLine('ab\u0007', type('\u001b')), 'ab\u0007');
    assert.equal(editLine('abc', key('backspace')), 'ab');
    assert.equal(editLine('', key('backspace')), '');
    assert.equal(editLine('spark.a=1 spark.b=2', key('ctrl+w')), 'spark.a=1 ');
    assert.equal(editLine('abc', key('ctrl+u')), '');
    assert.equal(editLine('a', type('x'.repeat(1000))).length, 400);
  });

  it('splits --conf words with quotes', () => {
    assert.deepEqual(splitConfWords(' spark.a=1   spark.b="x y" '), ['spark.a=1', 'spark.b=x y']);
    assert.deepEqual(splitConfWords('spark.c="say \\"hi\\""'), ['spark.c=say "hi"']);
    assert.equal(splitConfWords('spark.a="x'), 'a quote is not closed');
  });

  it('wraps a command line at spaces', () => {
    assert.deepEqual(wrapWords('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
    assert.deepEqual(wrapWords('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  });
});
