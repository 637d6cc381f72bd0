/** Judging the lab's components by what they serve (src/lab/serving.ts), on answers recorded from the lab. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLabConfig } from '../../src/lab/labConfig.js';
import { judgeServing, type ServingAnswers } from '../../src/lab/serving.js';
import type { MasterJson } from '../../src/lab/sparkCluster.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

const steady = answersFromFixture('steady');
const resubmit = answersFromFixture('resubmit');
const last = (answers: typeof steady, endpoint: string) => answers.filter((a) => a.endpoint === endpoint && a.status === 200).at(-1)!.body;

const config = defaultLabConfig('/tmp/sparktop-unused-cache');
const NAMES = ['kafka', 'spark-master', 'spark-worker-1', 'spark-app', 'generator-1'];
/** The steady recording's last answers: a whole lab. */
const whole = (): ServingAnswers => ({
  kafka: true,
  master: last(steady, 'master:/json') as MasterJson,
  driverApps: last(steady, 'driver:/applications') as Array<{ id: string; name: string }>,
  executors: last(steady, 'driver:/allexecutors') as Array<{ id: string; isActive: boolean }>,
  listener: true,
  generatorStatsAgeMs: { 'generator-1': 900 },
});

describe('the lab judged by what it serves', () => {
  it('a whole lab: every component serves', () => {
    const j = judgeServing(config, NAMES, whole());
    assert.deepEqual([...j].filter(([, s]) => !s.serving), []);
    assert.equal(j.get('spark-master')!.detail, '1 worker alive');
    assert.equal(j.get('spark-worker-1')!.detail, 'registered with the master');
    assert.match(j.get('spark-app')!.detail, /^app-20261128183001-0000, 2 executors, listener answers$/);
  });

  it('the master killed: the job runs on without it, and says so', () => {
    const j = judgeServing(config, NAMES, { ...whole(), master: 'connection refused' });
    assert.equal(j.get('spark-master')!.serving, false);
    assert.equal(j.get('spark-worker-1')!.detail, 'the master does not answer');
    assert.deepEqual(j.get('spark-app'), { serving: false, detail: 'app-20261128183001-0000: its master does not answer (connection refused)' });
  });

  it('a master started again runs another application (or none): the job lost its master, to resubmit', () => {
    // The resubmit recording's last master answer runs only the new application.
    const master = last(resubmit, 'master:/json') as MasterJson;
    assert.ok(!master.activeapps.some((a) => a.id === 'app-20261128183001-0000'));
    const job = judgeServing(config, NAMES, { ...whole(), master }).get('spark-app')!;
    assert.equal(job.serving, false);
    assert.equal(job.lostMaster, true);
    assert.match(job.detail, /lost its master: the master does not run app-20261128183001-0000/);
  });

  it('no worker registered, no executor, listener gone, stale generator stats', () => {
    const m = whole().master as MasterJson;
    const noWorkers = { ...m, workers: m.workers.map((w) => ({ ...w, state: 'DEAD' })) };
    const j = judgeServing(config, NAMES, { ...whole(), master: noWorkers, executors: [{ id: 'driver', isActive: true }], listener: 'connection refused', generatorStatsAgeMs: { 'generator-1': 25_000 } });
    assert.deepEqual(j.get('spark-master'), { serving: false, detail: '0 workers alive' });
    assert.deepEqual(j.get('spark-worker-1'), { serving: false, detail: 'not registered with the master' });
    assert.equal(j.get('spark-app')!.detail, 'app-20261128183001-0000 has no executors');
    assert.deepEqual(j.get('generator-1'), { serving: false, detail: 'stats 25 s old: not producing' });
    const noListener = judgeServing(config, ['spark-app'], { ...whole(), listener: 'connection refused' }).get('spark-app')!;
    assert.equal(noListener.serving, false);
    assert.match(noListener.detail, /listener: connection refused/);
  });

  it('Kafka without metadata for the topic', () => {
    assert.deepEqual(judgeServing(config, ['kafka'], { ...whole(), kafka: 'a partition has no leader' }).get('kafka'), { serving: false, detail: 'no metadata for logs: a partition has no leader' });
  });
});
