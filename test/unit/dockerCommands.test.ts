import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as docker from '../../src/control/dockerCommands.js';
import { BASELINE_RESOURCES } from '../../src/domain/resources.js';
import { formatCommandLine } from '../../src/domain/sparkSubmit.js';

const S: docker.DockerLabSettings = { ...docker.DOCKER_LAB, generatorsFile: '/repo/docker/load-generator/docker-compose.yaml' };
const GEN = ['compose', '-f', '/repo/docker/load-generator/docker-compose.yaml', '-p', 'sparktop-generators'];

describe('docker argv builders', () => {
  it('scale keeps the running generators and starts new ones at the current rate', () => {
    assert.deepEqual(docker.scaleGeneratorsCall(S, 3, 20_000), {
      args: [...GEN, 'up', '-d', '--scale', 'generator=3', '--no-recreate'],
      env: { TARGET_RPS: '20000' },
    });
  });

  it('a new rate recreates the same number of generators with TARGET_RPS in the environment of compose', () => {
    assert.deepEqual(docker.setRateCall(S, 2, 50_000), {
      args: [...GEN, 'up', '-d', '--scale', 'generator=2', '--force-recreate'],
      env: { TARGET_RPS: '50000' },
    });
  });

  it('pause and resume freeze the generator containers', () => {
    assert.deepEqual(docker.pauseGeneratorsCall(S, true), { args: [...GEN, 'pause', 'generator'], env: {} });
    assert.deepEqual(docker.pauseGeneratorsCall(S, false), { args: [...GEN, 'unpause', 'generator'], env: {} });
  });

  it('state comes from compose ps as JSON', () => {
    assert.deepEqual(docker.generatorsPsCall(S).args, [...GEN, 'ps', '--all', '--format', 'json', 'generator']);
    assert.deepEqual(docker.labPsCall(S).args, ['compose', '-p', 'sparktop', 'ps', '--format', 'json']);
  });

  it('the generators compose file is the one shipped in docker/', () => {
    assert.match(docker.DOCKER_LAB.generatorsFile, /docker\/load-generator\/docker-compose\.yaml$/);
  });
});

describe('spark-submit in spark-client', () => {
  const checkpointDir = docker.dockerCheckpointDir('activity2-20260101T000000Z');

  it('is the classroom submission with --packages, the listener attached from the image\'s jar by conf, and the job options after the app file', () => {
    const plan = docker.planDockerSubmission({
      resources: { ...BASELINE_RESOURCES, shufflePartitions: 4, conf: { 'spark.executor.extraJavaOptions': '-XX:+UseG1GC' } },
      query: 'activity2',
      checkpointDir,
    });
    assert.deepEqual(docker.submitCall(docker.DOCKER_LAB, plan).args, [
      'exec',
      '-d',
      'spark-client',
      '/opt/spark/bin/spark-submit',
      '--master',
      'spark://spark-master:7077',
      '--deploy-mode',
      'client',
      '--name',
      'LogsProcessor',
      '--packages',
      'org.apache.spark:spark-sql-kafka-0-10_2.13:4.0.0',
      '--jars',
      '/opt/sparktop/sparktop-listener.jar',
      '--executor-cores',
      '1',
      '--executor-memory',
      '1G',
      '--conf',
      'spark.executor.extraJavaOptions=-XX:+UseG1GC',
      '--conf',
      'spark.jars.ivy=/opt/ivy2',
      '--conf',
      'spark.metrics.conf.*.sink.prometheusServlet.class=org.apache.spark.metrics.sink.PrometheusServlet',
      '--conf',
      'spark.metrics.conf.*.sink.prometheusServlet.path=/metrics/prometheus',
      '--conf',
      'spark.sparktop.listener.host=0.0.0.0',
      '--conf',
      'spark.sparktop.listener.port=4090',
      '--conf',
      'spark.sparktop.trigger=default',
      '--conf',
      'spark.sql.shuffle.partitions=4',
      '--conf',
      'spark.sql.streaming.metricsEnabled=true',
      '--conf',
      'spark.sql.streaming.streamingQueryListeners=sparktop.listener.SparktopProgressListener',
      '--conf',
      'spark.ui.port=4040',
      '--conf',
      'spark.ui.prometheus.enabled=true',
      '/opt/spark-apps/spark_structured_streaming_logs_processing.py',
      '--bootstrap-servers',
      'kafka:9092',
      '--topic',
      'logs',
      '--checkpoint-location',
      '/opt/spark/work-dir/checkpoints/activity2-20260101T000000Z',
      '--starting-offsets',
      'latest',
      '--query',
      'activity2',
      '--listener',
      'off',
    ]);
    assert.deepEqual(plan.env, {});
  });

  it('shows as a command line a person can paste, with max-offsets and trigger as job options', () => {
    const plan = docker.planDockerSubmission({
      resources: { executorCores: 2, executorMemory: '2g', maxOffsetsPerTrigger: 100_000, trigger: '10 seconds', conf: {} },
      query: 'activity3',
      checkpointDir,
    });
    assert.equal(
      formatCommandLine({ command: 'docker', ...docker.submitCall(docker.DOCKER_LAB, plan) }),
      'docker exec -d spark-client /opt/spark/bin/spark-submit --master spark://spark-master:7077 --deploy-mode client ' +
        '--name LogsProcessor --packages org.apache.spark:spark-sql-kafka-0-10_2.13:4.0.0 --jars /opt/sparktop/sparktop-listener.jar ' +
        '--executor-cores 2 --executor-memory 2g --conf spark.jars.ivy=/opt/ivy2 ' +
        "--conf 'spark.metrics.conf.*.sink.prometheusServlet.class=org.apache.spark.metrics.sink.PrometheusServlet' " +
        "--conf 'spark.metrics.conf.*.sink.prometheusServlet.path=/metrics/prometheus' " +
        '--conf spark.sparktop.listener.host=0.0.0.0 --conf spark.sparktop.listener.port=4090 ' +
        "--conf spark.sparktop.maxOffsetsPerTrigger=100000 --conf 'spark.sparktop.trigger=10 seconds' --conf spark.sql.streaming.metricsEnabled=true " +
        '--conf spark.sql.streaming.streamingQueryListeners=sparktop.listener.SparktopProgressListener ' +
        '--conf spark.ui.port=4040 --conf spark.ui.prometheus.enabled=true /opt/spark-apps/spark_structured_streaming_logs_processing.py ' +
        '--bootstrap-servers kafka:9092 --topic logs --checkpoint-location /opt/spark/work-dir/checkpoints/activity2-20260101T000000Z ' +
        "--starting-offsets latest --query activity3 --listener off --max-offsets-per-trigger 100000 --trigger '10 seconds'",
    );
  });
});

describe('compose ps --format json', () => {
  const a = { Name: 'sparktop-generators-generator-1', Service: 'generator', State: 'running', Labels: 'com.docker.compose.project=sparktop-generators,sparktop.target-rps=20000' };
  const b = { Name: 'sparktop-generators-generator-2', Service: 'generator', State: 'paused', Labels: 'sparktop.target-rps=20000' };
  const expected = [
    { name: a.Name, service: 'generator', state: 'running', health: '', labels: { 'com.docker.compose.project': 'sparktop-generators', 'sparktop.target-rps': '20000' } },
    { name: b.Name, service: 'generator', state: 'paused', health: '', labels: { 'sparktop.target-rps': '20000' } },
  ];

  it('reads the one-object-per-line output of Compose 2.21 and later', () => {
    assert.deepEqual(docker.parseComposePs(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n`), expected);
  });

  it('reads the JSON array of earlier Compose versions', () => {
    assert.deepEqual(docker.parseComposePs(JSON.stringify([a, b])), expected);
  });

  it('reads no containers from empty output or an empty array', () => {
    assert.deepEqual(docker.parseComposePs(''), []);
    assert.deepEqual(docker.parseComposePs('[]\n'), []);
  });

  it('reads the health of a service with a health check, and names the ones a job cannot run without', () => {
    const lab = [
      { Name: 'kafka', Service: 'kafka', State: 'running', Health: 'healthy' },
      { Name: 'sparktop-topic-init-1', Service: 'topic-init', State: 'exited', Health: '' },
      { Name: 'spark-master', Service: 'spark-master', State: 'running', Health: 'unhealthy' },
      { Name: 'sparktop-spark-worker-1', Service: 'spark-worker', State: 'running', Health: 'starting' },
      { Name: 'spark-client', Service: 'spark-client', State: 'exited', Health: '' },
    ];
    const cs = docker.parseComposePs(lab.map((c) => JSON.stringify(c)).join('\n'));
    assert.deepEqual(cs.map((c) => c.health), ['healthy', '', 'unhealthy', 'starting', '']);
    assert.deepEqual(docker.servicesDown(cs).map((c) => c.service), ['spark-master', 'spark-client'], 'topic-init is done, a worker still starting is not down');
  });

  it('accepts labels given as an object', () => {
    assert.deepEqual(docker.parseComposePs(JSON.stringify({ ...a, Labels: { 'sparktop.target-rps': 5000 } }))[0]?.labels, { 'sparktop.target-rps': '5000' });
  });
});

describe('a docker failure says what to do', () => {
  it('for a missing CLI, an engine that does not answer, a socket the user may not use, no Compose v2', async () => {
    const { dockerRemedy, DockerFailure } = await import('../../src/control/dockerRunner.js');
    assert.match(dockerRemedy('no-cli', 'the docker CLI is not installed (no `docker` on PATH)') ?? '', /install Docker Engine with Compose v2/);
    // docker's own words, as docker 20.10–28 print them
    assert.match(dockerRemedy('exit', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?') ?? '', /start the Docker engine, or point DOCKER_HOST/);
    assert.match(
      dockerRemedy('exit', 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied') ?? '',
      /docker group/,
    );
    assert.match(dockerRemedy('exit', "docker: 'compose' is not a docker command.") ?? '', /install Compose v2/);
    assert.match(dockerRemedy('exit', 'docker: unknown command: docker compose') ?? '', /install Compose v2/);
    assert.match(dockerRemedy('timeout', 'no answer within 15 s') ?? '', /docker info/);
    assert.equal(dockerRemedy('exit', 'no such service: generator'), null, 'anything else is docker\'s own words alone');
    const f = new DockerFailure({ args: ['compose', '-f', 'x.yaml', 'up'], env: {} }, 'exit', "docker: 'compose' is not a docker command.");
    assert.match(f.message, /^docker compose -f x\.yaml … failed: docker: 'compose' is not a docker command\.: install Compose v2/);
  });
});
