import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { InvalidResource } from '../../src/domain/resources.js';
import { labConfigFromFlags } from '../../src/lab/labFlags.js';
import { plannedComponents } from '../../src/lab/up.js';
import { defaultCacheDir } from '../../src/lab/paths.js';

describe('lab configuration', () => {
  it('defaults to the classroom lab: 2 partitions, 1 worker, 1 generator at 10k rec/s, baseline resources', () => {
    const c = labConfigFromFlags({}, {});
    assert.equal(c.partitions, 2);
    assert.equal(c.workers, 1);
    assert.equal(c.generators, 1);
    assert.equal(c.rps, 10_000);
    assert.equal(c.kafkaPort, 9094);
    assert.equal(c.masterUiPort, 8080);
    assert.equal(c.listenerPort, 4090);
    assert.equal(c.resources.executorCores, 1);
    assert.equal(c.resources.executorMemory, '1G');
    assert.deepEqual(
      plannedComponents(c).map((p) => p.name),
      ['kafka', 'spark-master', 'spark-worker-1', 'spark-app', 'generator-1'],
    );
  });

  it('takes flags over env over defaults', () => {
    const env = { SPARKTOP_KAFKA_PORT: '19094', SPARKTOP_LISTENER_PORT: '14090', XDG_CACHE_HOME: '/xdg' };
    const c = labConfigFromFlags({ listenerPort: '24090', workers: '2', executorCores: '2' }, env);
    assert.equal(c.kafkaPort, 19094);
    assert.equal(c.listenerPort, 24090);
    assert.equal(c.cacheDir, path.join('/xdg', 'sparktop'));
    assert.equal(c.resources.executorCores, 2);
    assert.deepEqual(
      plannedComponents(c).filter((p) => p.name.startsWith('spark-worker')).map((p) => p.ports[0]![0]),
      [8081, 8082],
    );
  });

  it('uses ~/.cache/sparktop when XDG_CACHE_HOME is unset or relative', () => {
    assert.ok(defaultCacheDir({}).endsWith(path.join('.cache', 'sparktop')));
    assert.ok(defaultCacheDir({ XDG_CACHE_HOME: 'rel' }).endsWith(path.join('.cache', 'sparktop')));
  });

  it('SPARKTOP_CACHE_DIR names the folder itself for every command (the monitor, attach and the controls as well as lab up)', () => {
    assert.equal(defaultCacheDir({ SPARKTOP_CACHE_DIR: '/srv/lab-cache', XDG_CACHE_HOME: '/x' }), '/srv/lab-cache');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'sparktop'));
  });

  for (const [flags, flag] of [
    [{ partitions: '0' }, 'partitions'],
    [{ workers: 'two' }, 'workers'],
    [{ generators: '17' }, 'generators'],
    [{ rps: '-5' }, 'rps'],
    [{ query: 'activity9' }, 'query'],
    [{ topic: 'bad topic' }, 'topic'],
    [{ kafkaPort: '70000' }, 'kafka-port'],
    [{ workerMemory: '4' }, 'worker-memory'],
    [{ startingOffsets: 'beginning' }, 'starting-offsets'],
    [{ masterUiPort: '4040' }, '*-port'],
  ] as const) {
    it(`rejects ${JSON.stringify(flags)}`, () => {
      assert.throws(() => labConfigFromFlags(flags as never, {}), (err: unknown) => err instanceof InvalidResource && err.flag === flag);
    });
  }
});
