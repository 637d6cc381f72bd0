import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LISTENER_CLASS, listenerSubmitArgs } from '../../src/lab/provision/listenerJar.js';

const LISTENER_CONF = ['--conf', 'spark.sql.streaming.streamingQueryListeners=sparktop.listener.SparktopProgressListener'];

describe('listenerSubmitArgs', () => {
  it('names the jar and the listener class, and nothing else by default', () => {
    assert.equal(LISTENER_CLASS, 'sparktop.listener.SparktopProgressListener');
    assert.deepEqual(listenerSubmitArgs('/c/listener/ab/sparktop-listener.jar', {}), ['--jars', '/c/listener/ab/sparktop-listener.jar', ...LISTENER_CONF]);
    assert.deepEqual(listenerSubmitArgs('/j.jar'), ['--jars', '/j.jar', ...LISTENER_CONF]);
  });

  it('passes host, port and the settings served back in /progress as confs, in a fixed order', () => {
    const args = listenerSubmitArgs('/j.jar', {
      host: '0.0.0.0',
      port: 4190,
      settings: { trigger: '10 seconds', maxOffsetsPerTrigger: 5000, minPartitions: 4 },
    });
    assert.deepEqual(args, [
      '--jars',
      '/j.jar',
      ...LISTENER_CONF,
      '--conf',
      'spark.sparktop.listener.host=0.0.0.0',
      '--conf',
      'spark.sparktop.listener.port=4190',
      '--conf',
      'spark.sparktop.trigger=10 seconds',
      '--conf',
      'spark.sparktop.maxOffsetsPerTrigger=5000',
      '--conf',
      'spark.sparktop.minPartitions=4',
    ]);
  });

  it('keeps a trigger with spaces as one argument and leaves unset settings out', () => {
    const args = listenerSubmitArgs('/j.jar', { port: 0, settings: { trigger: '1 second' } });
    assert.deepEqual(args.slice(4), ['--conf', 'spark.sparktop.listener.port=0', '--conf', 'spark.sparktop.trigger=1 second']);
    assert.equal(args.filter((a) => a === '--conf').length, 3);
  });

  it('rejects a port or a count that is not an integer in range', () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) assert.throws(() => listenerSubmitArgs('/j.jar', { port }), RangeError, String(port));
    assert.throws(() => listenerSubmitArgs('/j.jar', { settings: { maxOffsetsPerTrigger: 0 } }), /maxOffsetsPerTrigger/);
    assert.throws(() => listenerSubmitArgs('/j.jar', { settings: { minPartitions: 2.5 } }), /minPartitions/);
  });
});
