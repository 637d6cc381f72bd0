import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DockerLabControl, dockerLabRunning } from '../../src/control/dockerLab.js';
import { DOCKER_LAB } from '../../src/control/dockerCommands.js';
import { BASELINE_RESOURCES } from '../../src/domain/resources.js';
import { parseTarget, selectControl } from '../../src/control/select.js';
import { formatCommandLine } from '../../src/domain/sparkSubmit.js';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import { fakeDocker, generatorPsLine, type FakeDocker } from '../support/fakeDocker.js';
import { DockerFailure, type DockerRunner } from '../../src/control/dockerRunner.js';
import { planHotkey } from '../../src/control/hotkeys.js';
import { tempDir } from '../support/tempDir.js';

const GEN = ['compose', '-f', DOCKER_LAB.generatorsFile, '-p', 'sparktop-generators'];
const PS = [...GEN, 'ps', '--all', '--format', 'json', 'generator'];
const isPs = (args: string[]) => args.includes('ps');

const tempDirs: string[] = [];
process.once('exit', () => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempState(): string {
  const dir = tempDir('sparktop-docker-lab-');
  tempDirs.push(dir);
  return path.join(dir, 'docker-lab.json');
}

/**
 * Stand-in for the Spark endpoints sparktop asks over HTTP (master /json and kill, driver REST,
 * progress listener) on one port: an app of ours runs until killed; after the stand-in docker
 * has seen `exec`, a new app registers and reports a batch.
 */
function fakeSpark(docker: FakeDocker) {
  let apps = [{ id: 'app-1', name: 'LogsProcessor', state: 'RUNNING' }];
  let driverUp = true;
  let submitted = false;
  const server = http.createServer((req, res) => {
    if (!submitted && docker.calls().some((c) => c.args[0] === 'exec')) {
      submitted = true;
      apps = [...apps, { id: 'app-2', name: 'LogsProcessor', state: 'RUNNING' }];
      driverUp = true;
    }
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/json/') return json(200, { status: 'ALIVE', workers: [], activeapps: apps });
    if (url.pathname === '/app/kill/' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const id = new URLSearchParams(body).get('id');
        apps = apps.filter((a) => a.id !== id);
        driverUp = false;
        json(200, {});
      });
      return;
    }
    if (!driverUp) return json(503, {});
    if (url.pathname === '/api/v1/applications') return json(200, apps.map((a) => ({ id: a.id })));
    if (url.pathname === '/health') return json(200, { ok: true });
    if (url.pathname === '/progress') return json(200, { progress: [{ batchId: 0, numInputRows: 1234 }] });
    return json(404, {});
  });
  return {
    start: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    apps: () => apps.map((a) => a.id),
  };
}

describe('DockerLabControl through a stand-in docker CLI', () => {
  let docker: FakeDocker;
  let restorePath: () => void;
  const endpoints = { masterUiPort: 1, driverUiPort: 1, listenerPort: 1 };

  before(() => {
    docker = fakeDocker();
    restorePath = docker.install();
  });
  after(() => restorePath());

  const actions = () => docker.calls().filter((c) => !isPs(c.args));

  it('reads generators from compose ps (count, rate label, paused)', async () => {
    docker.setPs('generators', [generatorPsLine(1, 'running', 20_000), generatorPsLine(2, 'running', 20_000), generatorPsLine(3, 'exited', 20_000)].join('\n'));
    const control = new DockerLabControl({ endpoints, stateFile: tempState() });
    assert.deepEqual(await control.refresh(), { count: 2, ratePerGenerator: 20_000, paused: false });
    assert.deepEqual(control.generators(), { count: 2, ratePerGenerator: 20_000, paused: false });
    assert.deepEqual(docker.calls().find((c) => isPs(c.args))?.args, PS);
    docker.setPs('generators', JSON.stringify([JSON.parse(generatorPsLine(1, 'paused', 5000))]));
    assert.deepEqual(await control.refresh(), { count: 1, ratePerGenerator: 5000, paused: true });
  });

  it('scales with up --scale --no-recreate at the current rate, and says so as the local lab does', async () => {
    docker.setPs('generators', generatorPsLine(1, 'running', 20_000));
    const control = new DockerLabControl({ endpoints, stateFile: tempState() });
    const n = actions().length;
    const result = await control.scaleGenerators(3);
    assert.deepEqual(result, { ok: true, message: 'generators 1 → 3 × 20 000 rec/s' });
    assert.deepEqual(actions().slice(n), [{ args: [...GEN, 'up', '-d', '--scale', 'generator=3', '--no-recreate'], targetRps: '20000' }]);
    assert.deepEqual(await control.scaleGenerators(1), { ok: true, message: '1 generators already' });
    assert.deepEqual(await control.scaleGenerators(17), { ok: false, message: 'generators stay between 0 and 16' });
    assert.equal(actions().length, n + 1);
  });

  it('keeps new generators paused when the others are', async () => {
    docker.setPs('generators', generatorPsLine(1, 'paused', 10_000));
    const control = new DockerLabControl({ endpoints, stateFile: tempState() });
    const n = actions().length;
    await control.scaleGenerators(2);
    assert.deepEqual(
      actions().slice(n).map((c) => c.args),
      [
        [...GEN, 'up', '-d', '--scale', 'generator=2', '--no-recreate'],
        [...GEN, 'pause', 'generator'],
      ],
    );
  });

  it('changes the rate by recreating the generators with TARGET_RPS, and remembers it with none running', async () => {
    docker.setPs('generators', [generatorPsLine(1, 'running', 10_000), generatorPsLine(2, 'running', 10_000)].join('\n'));
    const stateFile = tempState();
    const control = new DockerLabControl({ endpoints, stateFile });
    const n = actions().length;
    assert.deepEqual(await control.setRate(50_000), { ok: true, message: 'rate per generator 10 000 → 50 000 rec/s' });
    assert.deepEqual(actions().slice(n), [{ args: [...GEN, 'up', '-d', '--scale', 'generator=2', '--force-recreate'], targetRps: '50000' }]);
    docker.setPs('generators', '');
    assert.deepEqual(await control.setRate(2000), { ok: true, message: 'rate per generator 50 000 → 2 000 rec/s' });
    assert.equal(actions().length, n + 1, 'nothing to recreate');
    assert.equal((await control.refresh()).ratePerGenerator, 2000);
    assert.deepEqual(JSON.parse(fs.readFileSync(stateFile, 'utf8')), { rps: 2000 });
  });

  it('pauses and resumes with compose pause / unpause', async () => {
    docker.setPs('generators', [generatorPsLine(1, 'running', 10_000), generatorPsLine(2, 'running', 10_000)].join('\n'));
    const control = new DockerLabControl({ endpoints, stateFile: tempState() });
    const n = actions().length;
    assert.deepEqual(await control.setPaused(true), { ok: true, message: '2 generators paused' });
    assert.deepEqual(await control.setPaused(false), { ok: true, message: '2 generators resumed' });
    assert.deepEqual(
      actions().slice(n).map((c) => c.args),
      [
        [...GEN, 'pause', 'generator'],
        [...GEN, 'unpause', 'generator'],
      ],
    );
  });

  it('says how to start the lab when its master does not answer', async () => {
    const control = new DockerLabControl({ endpoints, stateFile: tempState() });
    const down = {
      ok: false,
      message: 'the Docker lab\'s Spark master does not answer on http://127.0.0.1:1: start the lab with `docker compose -f docker/docker-compose.yaml up -d`',
    };
    assert.deepEqual(await control.reviewResubmit(BASELINE_RESOURCES), down);
    assert.deepEqual(await control.resubmit(BASELINE_RESOURCES, { onStep: () => undefined }), down);
    assert.deepEqual(await control.killJob(), down);
  });

  it('reviews the exact docker exec line of a resubmission', async () => {
    const spark = fakeSpark(docker);
    const port = await spark.start();
    const control = new DockerLabControl({ endpoints: { masterUiPort: port, driverUiPort: 4040, listenerPort: 4090 }, stateFile: tempState() });
    const reviewed = await control.reviewResubmit({ ...BASELINE_RESOURCES, executorCores: 4 }).finally(() => spark.stop());
    assert.ok(reviewed.ok);
    assert.match(reviewed.checkpointDir, /^\/opt\/spark\/work-dir\/checkpoints\/activity2-\d{8}T\d{6}Z$/);
    assert.ok(reviewed.commandLine.startsWith('docker exec -d spark-client /opt/spark/bin/spark-submit --master spark://spark-master:7077 '));
    assert.ok(reviewed.commandLine.includes(' --packages org.apache.spark:spark-sql-kafka-0-10_2.13:4.0.0 '));
    assert.ok(reviewed.commandLine.includes(' --executor-cores 4 '));
    assert.ok(reviewed.commandLine.includes(` --checkpoint-location ${reviewed.checkpointDir} `));
  });

  it('resubmits: kills the app through the master, waits for the old driver, docker exec -d, then the first batch', async () => {
    const spark = fakeSpark(docker);
    const port = await spark.start();
    try {
      const stateFile = tempState();
      const control = new DockerLabControl({ endpoints: { masterUiPort: port, driverUiPort: port, listenerPort: port }, stateFile });
      const reviewed = await control.reviewResubmit(BASELINE_RESOURCES);
      assert.ok(reviewed.ok);
      const steps: string[] = [];
      const result = await control.resubmit(BASELINE_RESOURCES, { onStep: (step) => steps.push(step), reviewed: { checkpointDir: reviewed.checkpointDir } });
      assert.deepEqual(steps, ['stopping app', 'resources free', 'submitted app-2', 'driver and listener answering', 'first batch #0 (1234 rows)']);
      assert.deepEqual(result, { ok: true, message: 'app-2 is running, first batch #0 (1234 rows)', detail: { appId: 'app-2' } });
      const exec = docker.calls().filter((c) => c.args[0] === 'exec');
      assert.equal(exec.length, 1);
      assert.equal(formatCommandLine({ command: 'docker', args: exec[0]!.args, env: {} }), reviewed.commandLine, 'runs exactly what was reviewed');
      assert.deepEqual(control.jobResources(), BASELINE_RESOURCES);

      assert.deepEqual(await control.killJob(), { ok: true, message: 'killed app-2; no job running (r resubmits)' });
      assert.deepEqual(spark.apps(), []);
      assert.deepEqual(await control.killJob(), { ok: false, message: 'no job running' });
    } finally {
      await spark.stop();
    }
  });

  it('is what sparktop picks with --target docker, or when it finds the Docker lab running and no local lab', () => {
    const cacheDir = tempDir('sparktop-select-');
    const config = watchConfigFor({ cacheDir }, {}, cacheDir);
    docker.setPs('lab', '');
    assert.equal(selectControl(config, cacheDir, 'docker').target, 'docker');
    assert.equal(selectControl(config, cacheDir).target, 'none');
    docker.setPs('lab', JSON.stringify([{ Name: 'kafka', Service: 'kafka', State: 'running' }]));
    assert.equal(selectControl(config, cacheDir).target, 'docker');
    assert.equal(selectControl(config, cacheDir, 'local').target, 'none', '--target local without a local lab only watches');
    assert.equal(parseTarget(undefined), null);
    assert.throws(() => parseTarget('k8s'), /--target: expected docker or local, got "k8s"/);
  });

  it('detects a running lab from compose ps of the sparktop project', () => {
    docker.setPs('lab', [JSON.stringify({ Name: 'kafka', Service: 'kafka', State: 'running' }), JSON.stringify({ Name: 'spark-master', Service: 'spark-master', State: 'running' })].join('\n'));
    assert.equal(dockerLabRunning(), true);
    // (other controls' background reads of the generators may land in the log after it)
    assert.deepEqual(docker.calls().filter((c) => !c.args.includes('-f')).at(-1)?.args, ['compose', '-p', 'sparktop', 'ps', '--format', 'json']);
    docker.setPs('lab', '');
    assert.equal(dockerLabRunning(), false);
  });
});

describe('detection without a docker CLI', () => {
  it('is "not running"', () => {
    const before = process.env.PATH;
    process.env.PATH = tempDir('sparktop-empty-path-');
    try {
      assert.equal(dockerLabRunning(), false);
    } finally {
      process.env.PATH = before;
    }
  });
});

describe('DockerLabControl when docker itself cannot be used', () => {
  const endpoints = { masterUiPort: 1, driverUiPort: 1, listenerPort: 1 };

  it('says so and what to do for every action, and recovers when docker answers again', async () => {
    let engineUp = false;
    const run: DockerRunner = (call) =>
      engineUp
        ? Promise.resolve(generatorPsLine(1, 'running', 5000))
        : Promise.reject(new DockerFailure(call, 'exit', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'));
    const control = new DockerLabControl({ endpoints, stateFile: tempState(), run });
    await control.refresh().catch(() => undefined);
    assert.match(control.unavailableReason ?? '', /^the Docker lab cannot be reached: docker compose .* Is the docker daemon running\?: start the Docker engine, or point DOCKER_HOST at one/);
    assert.equal(planHotkey('+', control), control.unavailableReason, 'a generator key says it instead of acting');
    engineUp = true;
    assert.deepEqual(await control.refresh(), { count: 1, ratePerGenerator: 5000, paused: false });
    assert.equal(control.unavailableReason, null);
    // A failure of the lab itself (not of docker) leaves the actions available: they say docker's words when run.
    engineUp = false;
    const other: DockerRunner = (call) => Promise.reject(new DockerFailure(call, 'exit', 'no such service: generator'));
    const control2 = new DockerLabControl({ endpoints, stateFile: tempState(), run: other });
    await control2.refresh().catch(() => undefined);
    assert.equal(control2.unavailableReason, null);
  });
});

describe('DockerLabControl when a service of the lab is down', () => {
  const endpoints = { masterUiPort: 1, driverUiPort: 1, listenerPort: 1 };

  it('r names the service, with the last lines of its log, and submits nothing', async () => {
    const calls: string[][] = [];
    const lab = [
      { Name: 'kafka', Service: 'kafka', State: 'running', Health: 'healthy' },
      { Name: 'spark-master', Service: 'spark-master', State: 'running', Health: 'healthy' },
      { Name: 'spark-client', Service: 'spark-client', State: 'exited', Health: '' },
    ];
    const run: DockerRunner = (call) => {
      calls.push(call.args);
      if (call.args.includes('ps') && !call.args.includes('-f')) return Promise.resolve(lab.map((c) => JSON.stringify(c)).join('\n'));
      if (call.args[0] === 'logs') return Promise.resolve(call.mergeStderr ? 'starting\nException in thread "main" java.lang.OutOfMemoryError\nexiting\n' : '');
      return Promise.resolve('');
    };
    const control = new DockerLabControl({ endpoints, stateFile: tempState(), run });
    const review = await control.reviewResubmit(BASELINE_RESOURCES);
    assert.equal(review.ok, false);
    assert.equal(
      review.ok ? '' : review.message,
      'spark-client (spark-client) is exited; its log ends: starting | Exception in thread "main" java.lang.OutOfMemoryError | exiting: `docker compose -f docker/docker-compose.yaml up -d` starts it again',
    );
    const result = await control.resubmit(BASELINE_RESOURCES, { onStep: () => undefined });
    assert.equal(result.ok, false);
    assert.deepEqual(calls.filter((a) => a[0] === 'logs')[0], ['logs', '--tail', '3', 'spark-client']);
    assert.equal(calls.filter((a) => a[0] === 'exec').length, 0, 'nothing submitted');
  });
});
