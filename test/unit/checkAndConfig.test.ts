import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { judge, parseThresholds } from '../../src/commands/check.js';
import { InvalidConfigFile, resolveWatchConfig } from '../../src/config/watchConfig.js';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import { defaultLabConfig } from '../../src/lab/labConfig.js';
import { labPaths } from '../../src/lab/paths.js';
import { writeState } from '../../src/lab/state.js';
import { labWatchDefaults } from '../../src/lab/watchDefaults.js';
import { InvalidResource } from '../../src/domain/resources.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';
import { tempDir } from '../support/tempDir.js';

describe('sparktop check verdicts (recorded lab moments)', () => {
  it('is healthy on the steady run with generous thresholds, unhealthy when p95 exceeds --max-batch-ms', () => {
    const d = derivedFromFixture('steady');
    assert.equal(judge(d, { maxBatchMs: 600_000, minRatio: null }).code, 0);
    const strict = judge(d, { maxBatchMs: 1000, minRatio: null });
    assert.equal(strict.code, 1);
    assert.match(strict.reasons.join('\n'), /p95 batch duration \d+ ms > --max-batch-ms 1000/);
  });

  it('says unreachable (exit 2) while the recorded Kafka broker is down', () => {
    const answers = answersFromFixture('kafka-down');
    const down = answers.findIndex((a, i) => i > 200 && a.endpoint === 'kafka:offsets' && a.status === null);
    assert.ok(down > 0, 'the recording has a Kafka outage');
    const v = judge(derivedFromFixture('kafka-down', { at: down }), { maxBatchMs: null, minRatio: null });
    assert.equal(v.code, 2);
    assert.match(v.reasons[0]!, /^kafka unreachable/);
  });

  it('rejects bad thresholds naming the flag', () => {
    assert.throws(() => parseThresholds({ maxBatchMs: 'soon' }), (e: unknown) => e instanceof InvalidResource && e.flag === 'max-batch-ms');
    assert.throws(() => parseThresholds({ minRatio: '-1' }), (e: unknown) => e instanceof InvalidResource && e.flag === 'min-ratio');
    assert.deepEqual(parseThresholds({ maxBatchMs: '20000', minRatio: '0.95' }), { maxBatchMs: 20000, minRatio: 0.95, failOn: { severity: 'error', ids: [] } });
  });
});

describe('watch configuration: flags > env > sparktop.config.json > lab > defaults', () => {
  const dir = tempDir('sparktop-config-');
  const env = { XDG_CACHE_HOME: path.join(dir, 'cache') };

  it('defaults to the default lab ports when no lab state exists', () => {
    const c = watchConfigFor({}, env, dir);
    assert.equal(c.kafka, '127.0.0.1:9094');
    assert.equal(c.sparkUi, 'http://127.0.0.1:4040');
    assert.equal(c.sparkMaster, 'http://127.0.0.1:8080');
    assert.equal(c.progressUrl, 'http://127.0.0.1:4090');
    assert.equal(c.refreshMs, 1000);
    assert.equal(c.targetBatchMs, 20_000);
  });

  it('reads the config file, env over file, flags over env', () => {
    fs.writeFileSync(path.join(dir, 'sparktop.config.json'), JSON.stringify({ kafka: 'file:1', sparkUi: 'http://file:4040', refresh: '2s' }));
    const c = watchConfigFor({ sparkUi: 'http://flag:4040' }, { ...env, SPARKTOP_KAFKA: 'env:2' }, dir);
    assert.equal(c.kafka, 'env:2');
    assert.equal(c.sparkUi, 'http://flag:4040');
    assert.equal(c.refreshMs, 2000);
    assert.equal(c.generatorsDir, null, 'not the local lab');
    fs.rmSync(path.join(dir, 'sparktop.config.json'));
  });

  it('names what is wrong in a bad config file or flag', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"kafka": 9094,');
    assert.throws(() => watchConfigFor({ config: 'bad.json' }, env, dir), (e: unknown) => e instanceof InvalidConfigFile && /not valid JSON/.test(e.message));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"kafak": "x:1"}');
    assert.throws(() => watchConfigFor({ config: 'bad.json' }, env, dir), (e: unknown) => e instanceof InvalidConfigFile && /kafak|Unrecognized/.test(e.message));
    assert.throws(() => watchConfigFor({ config: 'missing.json' }, env, dir), InvalidConfigFile);
    assert.throws(() => watchConfigFor({ kafka: 'nohost' }, env, dir), (e: unknown) => e instanceof InvalidResource && e.flag === 'kafka');
    assert.throws(() => watchConfigFor({ sparkUi: 'ftp://x' }, env, dir), (e: unknown) => e instanceof InvalidResource && e.flag === 'spark-ui');
    assert.throws(() => watchConfigFor({ refresh: '0.1s' }, env, dir), (e: unknown) => e instanceof InvalidResource && e.flag === 'refresh');
  });

  it('watches the running lab\'s ports and topic from its state file; the file, env and flags win over them', () => {
    const xdg = path.join(dir, 'xdg');
    const cacheDir = path.join(xdg, 'sparktop');
    const paths = labPaths(cacheDir);
    const lab = { ...defaultLabConfig(cacheDir), kafkaPort: 19094, topic: 'clicks', driverUiPort: 14040, masterUiPort: 18080, listenerPort: 14090 };
    writeState(paths.stateFile, { config: lab, components: {} });
    try {
      const c = watchConfigFor({ cacheDir }, env, dir);
      assert.equal(c.kafka, '127.0.0.1:19094');
      assert.equal(c.topic, 'clicks');
      assert.equal(c.sparkUi, 'http://127.0.0.1:14040');
      assert.equal(c.sparkMaster, 'http://127.0.0.1:18080');
      assert.equal(c.progressUrl, 'http://127.0.0.1:14090');
      assert.equal(c.generatorsDir, paths.generatorsDir, 'the local lab: its generators are read');
      fs.writeFileSync(path.join(dir, 'sparktop.config.json'), JSON.stringify({ topic: 'from-file' }));
      const over = watchConfigFor({ cacheDir, sparkMaster: 'http://flag:8080' }, { ...env, SPARKTOP_PROGRESS_URL: 'http://env:4090' }, dir);
      assert.deepEqual([over.topic, over.sparkMaster, over.progressUrl, over.kafka], ['from-file', 'http://flag:8080', 'http://env:4090', '127.0.0.1:19094']);
      assert.equal(watchConfigFor({}, { XDG_CACHE_HOME: xdg }, dir).kafka, '127.0.0.1:19094', 'without --cache-dir: the lab of the default cache folder');
      assert.equal(watchConfigFor({}, env, dir).kafka, '127.0.0.1:9094', 'another cache folder, no lab state: the defaults');
    } finally {
      fs.rmSync(path.join(dir, 'sparktop.config.json'), { force: true });
      fs.rmSync(xdg, { recursive: true, force: true });
    }
  });

  it('resolves from the lab defaults it is given and reads no lab state itself', () => {
    const none = labWatchDefaults(undefined, env);
    assert.deepEqual(none, { kafkaPort: undefined, kafkaClientConfig: undefined, kafkaClientConfigKept: undefined, topic: undefined, driverUiPort: undefined, masterUiPort: undefined, listenerPort: undefined, generatorsDir: path.join(dir, 'cache', 'sparktop', 'lab', 'generators') });
    const c = resolveWatchConfig({}, { kafkaPort: 29094, topic: 'given', generatorsDir: '/given/generators' }, env, dir);
    assert.deepEqual([c.kafka, c.topic, c.sparkUi, c.generatorsDir], ['127.0.0.1:29094', 'given', 'http://127.0.0.1:4040', '/given/generators']);
    assert.deepEqual(resolveWatchConfig({}, none, env, dir), watchConfigFor({}, env, dir), 'the commands\' helper passes what the lab says');
  });

  it('respects NO_COLOR and TERM=dumb', () => {
    assert.equal(watchConfigFor({}, { ...env, NO_COLOR: '1' }, dir).color, false);
    assert.equal(watchConfigFor({}, { ...env, TERM: 'dumb' }, dir).color, false);
    assert.equal(watchConfigFor({ color: false }, env, dir).color, false);
    assert.equal(watchConfigFor({}, env, dir).color, true);
  });
});
