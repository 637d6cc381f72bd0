import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { judge, parseThresholds } from '../../src/commands/check.js';
import { InvalidConfigFile, resolveWatchConfig } from '../../src/config.js';
import { InvalidResource } from '../../src/domain/resources.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-config-'));
  const env = { XDG_CACHE_HOME: path.join(dir, 'cache') };

  it('defaults to the default lab ports when no lab state exists', () => {
    const c = resolveWatchConfig({}, env, dir);
    assert.equal(c.kafka, '127.0.0.1:9094');
    assert.equal(c.sparkUi, 'http://127.0.0.1:4040');
    assert.equal(c.sparkMaster, 'http://127.0.0.1:8080');
    assert.equal(c.progressUrl, 'http://127.0.0.1:4090');
    assert.equal(c.refreshMs, 1000);
    assert.equal(c.targetBatchMs, 20_000);
  });

  it('reads the config file, env over file, flags over env', () => {
    fs.writeFileSync(path.join(dir, 'sparktop.config.json'), JSON.stringify({ kafka: 'file:1', sparkUi: 'http://file:4040', refresh: '2s' }));
    const c = resolveWatchConfig({ sparkUi: 'http://flag:4040' }, { ...env, SPARKTOP_KAFKA: 'env:2' }, dir);
    assert.equal(c.kafka, 'env:2');
    assert.equal(c.sparkUi, 'http://flag:4040');
    assert.equal(c.refreshMs, 2000);
    assert.equal(c.generatorsDir, null, 'not the local lab');
    fs.rmSync(path.join(dir, 'sparktop.config.json'));
  });

  it('names what is wrong in a bad config file or flag', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"kafka": 9094,');
    assert.throws(() => resolveWatchConfig({ config: 'bad.json' }, env, dir), (e: unknown) => e instanceof InvalidConfigFile && /not valid JSON/.test(e.message));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"kafak": "x:1"}');
    assert.throws(() => resolveWatchConfig({ config: 'bad.json' }, env, dir), (e: unknown) => e instanceof InvalidConfigFile && /kafak|Unrecognized/.test(e.message));
    assert.throws(() => resolveWatchConfig({ config: 'missing.json' }, env, dir), InvalidConfigFile);
    assert.throws(() => resolveWatchConfig({ kafka: 'nohost' }, env, dir), (e: unknown) => e instanceof InvalidResource && e.flag === 'kafka');
    assert.throws(() => resolveWatchConfig({ sparkUi: 'ftp://x' }, env, dir), (e: unknown) => e instanceof InvalidResource && e.flag === 'spark-ui');
    assert.throws(() => resolveWatchConfig({ refresh: '0.1s' }, env, dir), (e: unknown) => e instanceof InvalidResource && e.flag === 'refresh');
  });

  it('respects NO_COLOR and TERM=dumb', () => {
    assert.equal(resolveWatchConfig({}, { ...env, NO_COLOR: '1' }, dir).color, false);
    assert.equal(resolveWatchConfig({}, { ...env, TERM: 'dumb' }, dir).color, false);
    assert.equal(resolveWatchConfig({ color: false }, env, dir).color, false);
    assert.equal(resolveWatchConfig({}, env, dir).color, true);
  });
});
