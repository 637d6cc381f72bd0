/**
 * The compose files and the generator's Dockerfile, checked without a Docker engine: against the
 * Compose Specification schema (test/fixtures/compose, vendored) and against the facts the rest of
 * sparktop relies on (names, ports, env, mounts, versions).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import { DOCKER_LAB, IN_CONTAINER, JOB_FILE_NAME, RATE_LABEL } from '../../src/control/dockerCommands.js';
import { LISTENER_CLASS } from '../../src/lab/provision/listenerJar.js';
import { parseMemory, parsePositiveInt } from '../../src/domain/resources.js';
import { GENERATOR_ENV, resolveGeneratorOptions } from '../../src/generator/options.js';
import { defaultLabConfig } from '../../src/lab/labConfig.js';
import { PINNED, SPARK_KAFKA_CONNECTOR } from '../../src/lab/versions.js';
import { interpolate, schemaValidator, yamlParser } from '../support/composeFiles.js';
import { tempDir } from '../support/tempDir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCKER = path.join(ROOT, 'docker');
const LAB_FILE = path.join(DOCKER, 'docker-compose.yaml');
const GEN_FILE = path.join(DOCKER, 'load-generator', 'docker-compose.yaml');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'compose', 'compose-spec.json'), 'utf8')) as object;

/** The parts of a compose file these tests read. */
interface Service {
  image?: string;
  container_name?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  labels?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  networks?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  build?: { context: string; dockerfile: string };
  deploy?: { replicas?: number };
}
interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  networks: Record<string, { name: string; external?: boolean }>;
  volumes?: Record<string, unknown>;
}

let lab: ComposeFile;
let gen: ComposeFile;
let parserName = '';
const NO_YAML = 'no YAML parser: add the `yaml` devDependency (or install PyYAML)';

/** Host ports as published with no variable set (`[IP:]HOST:CONTAINER`, HOST may be `${VAR:-default}`). */
const published = (s: Service) => (s.ports ?? []).map((p) => Number(interpolate(p).split(':').at(-2)));
const env = (s: Service, name: string) => interpolate(String(s.environment?.[name] ?? ''));

describe('compose files', () => {
  before(async () => {
    const yaml = await yamlParser();
    if (!yaml) return;
    parserName = yaml.how;
    lab = yaml.parse(fs.readFileSync(LAB_FILE, 'utf8')) as ComposeFile;
    gen = yaml.parse(fs.readFileSync(GEN_FILE, 'utf8')) as ComposeFile;
  });

  it('conform to the Compose Specification schema', async (t) => {
    const validator = await schemaValidator();
    if (!lab) return t.skip(NO_YAML);
    if (!validator) return t.skip('no JSON-schema validator: add the `ajv` devDependency (or Python jsonschema)');
    t.diagnostic(`parsed with ${parserName}, validated with ${validator.how}`);
    assert.deepEqual(validator.validate(SCHEMA, lab), [], 'docker/docker-compose.yaml');
    assert.deepEqual(validator.validate(SCHEMA, gen), [], 'docker/load-generator/docker-compose.yaml');
    const broken = { ...lab, services: { ...lab.services, kafka: { ...lab.services.kafka, imagee: 'x' } } };
    assert.notDeepEqual(validator.validate(SCHEMA, broken), [], 'the validator rejects an unknown service key');
  });

  it('name the projects and the container the Docker control uses', (t) => {
    if (!lab) return t.skip(NO_YAML);
    assert.equal(lab.name, DOCKER_LAB.labProject);
    assert.equal(gen.name, DOCKER_LAB.generatorsProject);
    assert.equal(lab.services['spark-client']?.container_name, DOCKER_LAB.clientContainer);
    assert.equal(path.resolve(GEN_FILE), path.resolve(DOCKER_LAB.generatorsFile));
  });

  it('share one named network: the generators join the lab\'s as external', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const net = lab.networks['streaming-net'];
    assert.ok(net && !net.external);
    assert.deepEqual(gen.networks['streaming-net'], { external: true, name: net.name });
    for (const [name, s] of [...Object.entries(lab.services), ...Object.entries(gen.services)]) {
      assert.deepEqual(s.networks, ['streaming-net'], `${name} is on streaming-net`);
    }
  });

  it('publish sparktop\'s default ports', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const s = lab.services;
    assert.deepEqual(published(s.kafka!), [9094, 9095]);
    assert.deepEqual(published(s['spark-master']!), [7077, 8080]);
    assert.deepEqual(s['spark-client']!.ports?.map((p) => interpolate(p)), [`127.0.0.1:4040:${IN_CONTAINER.driverUiPort}`, `127.0.0.1:4090:${IN_CONTAINER.listenerPort}`]);
    // Loopback only, but the listener containers outside streaming-net reach through the host (the classroom generator's).
    const all = Object.values(s).flatMap((x) => (x.ports ?? []).map((p) => interpolate(p)));
    assert.deepEqual(all.filter((p) => !p.startsWith('127.0.0.1:')), ['9095:9095']);
    // Each host port moves with its variable, e.g. for a second lab beside the first.
    assert.equal(interpolate(s.kafka!.ports![0]!, { KAFKA_HOST_PORT: '19094' }), '127.0.0.1:19094:9094');
    assert.equal(interpolate(String(s.kafka!.environment!.KAFKA_ADVERTISED_LISTENERS), { KAFKA_HOST_PORT: '19094' }).split(',')[1], 'EXTERNAL_LOCAL://localhost:19094');
    assert.deepEqual(published(s['spark-worker']!), [], 'workers scale, so they publish nothing');
    const empty = tempDir('sparktop-cfg-');
    const config = watchConfigFor({ cacheDir: empty }, {}, empty);
    assert.equal(config.kafka, '127.0.0.1:9094');
    for (const url of [config.sparkMaster, config.sparkUi, config.progressUrl]) {
      assert.ok([...published(s['spark-master']!), ...published(s['spark-client']!)].includes(Number(new URL(url).port)), url);
    }
  });

  it('give Kafka the classroom listeners and create `logs` with 2 partitions', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const k = lab.services.kafka!;
    assert.equal(env(k, 'KAFKA_LISTENERS'), 'INTERNAL://:9092,CONTROLLER://:9093,EXTERNAL_LOCAL://:9094,EXTERNAL_DOCKER://:9095');
    assert.equal(env(k, 'KAFKA_ADVERTISED_LISTENERS'), `INTERNAL://${IN_CONTAINER.kafka},EXTERNAL_LOCAL://localhost:9094,EXTERNAL_DOCKER://host.docker.internal:9095`);
    assert.equal(env(k, 'KAFKA_CONTROLLER_QUORUM_VOTERS'), '1@kafka:9093');
    const init = lab.services['topic-init']!;
    const arg = (flag: string) => init.command?.[init.command.indexOf(flag) + 1];
    assert.equal(arg('--bootstrap-server'), IN_CONTAINER.kafka);
    assert.equal(arg('--topic'), defaultLabConfig('/tmp').topic);
    assert.equal(Number(arg('--partitions')), defaultLabConfig('/tmp').partitions);
    assert.deepEqual(lab.services['spark-client']?.depends_on?.['topic-init'], { condition: 'service_completed_successfully' });
  });

  it('build Spark as one image at the connector\'s version and Kafka at the local lab\'s, from the project\'s Dockerfiles', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const spark = ['spark-master', 'spark-worker', 'spark-client'].map((n) => lab.services[n]!);
    assert.deepEqual([...new Set(spark.map((x) => x.image))], [`sparktop-spark:${SPARK_KAFKA_CONNECTOR.version}`]);
    assert.deepEqual([...new Set(spark.map((x) => x.build?.dockerfile))], ['docker/spark/Dockerfile']);
    assert.equal(lab.services.kafka?.image, `sparktop-kafka:${PINNED.kafka}`);
    assert.equal(lab.services.kafka?.build?.dockerfile, 'docker/kafka/Dockerfile');
    assert.equal(lab.services['topic-init']?.image, lab.services.kafka?.image);
    const sparkfile = fs.readFileSync(path.join(DOCKER, 'spark', 'Dockerfile'), 'utf8');
    assert.match(sparkfile, new RegExp(`pip install .*pyspark==${PINNED.pyspark.replace(/\./g, '\\.')}\\b`));
    assert.ok(sparkfile.includes(`--packages ${SPARK_KAFKA_CONNECTOR.groupId}:${SPARK_KAFKA_CONNECTOR.artifactId}:${SPARK_KAFKA_CONNECTOR.version}`), 'the connector resolved at build time is the one the job is submitted with');
    const pom = fs.readFileSync(path.join(DOCKER, 'kafka', 'pom.xml'), 'utf8');
    for (const [artifact, version] of [['kafka_2.13', PINNED.kafka], ['kafka-tools', PINNED.kafka], ['log4j-core', PINNED.log4j], ['slf4j-api', PINNED.slf4j]] as const) {
      assert.ok(pom.includes(`<artifactId>${artifact}</artifactId><version>${version}</version>`), `${artifact} ${version} in docker/kafka/pom.xml`);
    }
  });

  it('wire the master, workers and client as the spark-submit inside spark-client expects', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const master = lab.services['spark-master']!.command!;
    assert.equal(`spark://${master[master.indexOf('--host') + 1]}:${master[master.indexOf('--port') + 1]}`, IN_CONTAINER.master);
    assert.ok(lab.services['spark-worker']!.command!.includes(IN_CONTAINER.master));
    const w = lab.services['spark-worker']!;
    assert.ok(parsePositiveInt('SPARK_WORKER_CORES', env(w, 'SPARK_WORKER_CORES')) >= 1);
    assert.ok(parseMemory('SPARK_WORKER_MEMORY', env(w, 'SPARK_WORKER_MEMORY')));
    assert.equal(interpolate(String(w.environment?.SPARK_WORKER_CORES), { SPARK_WORKER_CORES: '16' }), '16');
    // Progress comes from the JVM listener every submission in spark-client gets, not the job's Python one.
    assert.equal(env(lab.services['spark-client']!, 'SPARKTOP_LISTENER'), 'off');
    const defaults = fs.readFileSync(path.join(DOCKER, 'spark-defaults.conf'), 'utf8');
    const conf = (key: string) => new RegExp(`^${key.replace(/\./g, '\\.')}\\s+(\\S+)$`, 'm').exec(defaults)?.[1];
    assert.equal(conf('spark.sql.streaming.streamingQueryListeners'), LISTENER_CLASS);
    assert.equal(conf('spark.driver.extraClassPath'), IN_CONTAINER.listenerJar);
    assert.equal(conf('spark.sparktop.listener.host'), '0.0.0.0');
    assert.equal(conf('spark.sparktop.listener.port'), String(IN_CONTAINER.listenerPort));
    assert.equal(env(lab.services['spark-client']!, 'KAFKA_BOOTSTRAP_SERVERS'), IN_CONTAINER.kafka);
  });

  it('mount paths that exist, and the checkpoint volume on the driver and the executors', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const client = lab.services['spark-client']!;
    const apps = client.volumes?.find((v) => v.split(':')[1] === IN_CONTAINER.sparkApps);
    assert.ok(apps, `spark-apps is mounted at ${IN_CONTAINER.sparkApps}`);
    const source = path.resolve(DOCKER, apps.split(':')[0]!);
    assert.equal(source, path.join(ROOT, 'spark-apps'));
    assert.ok(fs.existsSync(path.join(source, JOB_FILE_NAME)), JOB_FILE_NAME);
    for (const [name, service] of Object.entries(lab.services)) {
      for (const bind of (service.volumes ?? []).filter((v) => v.startsWith('.'))) {
        assert.ok(fs.existsSync(path.resolve(DOCKER, bind.split(':')[0]!)), `${name}: ${bind} exists`);
      }
    }
    const defaults = fs.readFileSync(path.join(DOCKER, 'spark-defaults.conf'), 'utf8');
    assert.match(defaults, new RegExp(`^spark\\.jars\\.ivy\\s+${IN_CONTAINER.ivyCache}$`, 'm'), 'Ivy\'s cache is the image\'s, where the connector is');
    assert.ok(env(client, 'CHECKPOINT_LOCATION').startsWith(`${IN_CONTAINER.workDir}/`), 'a plain spark-submit checkpoints on the volume');
    for (const name of ['spark-client', 'spark-worker']) {
      assert.ok(lab.services[name]!.volumes?.includes(`spark-work:${IN_CONTAINER.workDir}`), `${name} mounts spark-work`);
    }
    assert.ok(lab.volumes && 'spark-work' in lab.volumes);
  });

  it('check health where something long-running serves, and wait on it', (t) => {
    if (!lab) return t.skip(NO_YAML);
    for (const name of ['kafka', 'spark-master', 'spark-worker', 'spark-client']) assert.ok(lab.services[name]?.healthcheck?.test.length, name);
    for (const [name, s] of Object.entries(lab.services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        assert.ok(lab.services[dep], `${name} depends on an existing service`);
        if (condition === 'service_healthy') assert.ok(lab.services[dep]!.healthcheck, `${dep} has a health check`);
      }
    }
  });

  it('give the generator the environment `sparktop gen` reads, valid, on the INTERNAL listener', (t) => {
    if (!lab) return t.skip(NO_YAML);
    const g = gen.services.generator!;
    assert.deepEqual(Object.keys(g.environment ?? {}).sort(), Object.values(GENERATOR_ENV).sort());
    const resolved = Object.fromEntries(Object.keys(g.environment ?? {}).map((k) => [k, env(g, k)]));
    const opts = resolveGeneratorOptions(resolved);
    assert.deepEqual(opts.brokers, [IN_CONTAINER.kafka]);
    assert.equal(opts.topic, 'logs');
    assert.equal(opts.targetRps, 10_000);
    assert.equal(interpolate(String(g.environment?.TARGET_RPS), { TARGET_RPS: '60000' }), '60000');
    assert.equal(g.labels?.[RATE_LABEL], g.environment?.TARGET_RPS, 'the label carries the same TARGET_RPS');
    assert.equal(g.deploy?.replicas, 1);
  });
});

describe('the images\' Dockerfiles', () => {
  const DOCKERFILES = ['kafka', 'spark', 'generator'].map((name) => path.join('docker', name, 'Dockerfile'));
  const linesOf = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').map((l) => l.trim());

  /** .dockerignore as written here: one path per line, `*` excludes all, `!path` brings one back; last match wins. */
  function sentToBuild(file: string): boolean {
    const rules = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    let included = true;
    for (const rule of rules) {
      const negated = rule.startsWith('!');
      const pattern = rule.replace(/^!/, '').replace(/\/$/, '');
      if (pattern === '*' || pattern === file || file.startsWith(`${pattern}/`)) included = negated;
    }
    return included;
  }

  it('build from the repository root, with what .dockerignore sends', async (t) => {
    const yaml = await yamlParser();
    if (!yaml) return t.skip(NO_YAML);
    const builds = [
      ...Object.values((yaml.parse(fs.readFileSync(LAB_FILE, 'utf8')) as ComposeFile).services).map((x) => ({ build: x.build, dir: path.dirname(LAB_FILE) })),
      { build: (yaml.parse(fs.readFileSync(GEN_FILE, 'utf8')) as ComposeFile).services.generator!.build, dir: path.dirname(GEN_FILE) },
    ].filter((b) => b.build);
    assert.deepEqual([...new Set(builds.map((b) => b.build!.dockerfile))].sort(), [...DOCKERFILES].sort());
    for (const b of builds) assert.equal(path.resolve(b.dir, b.build!.context), ROOT);
    for (const file of DOCKERFILES) {
      const copied = linesOf(file).filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.split(/\s+/).slice(1, -1));
      assert.ok(copied.length > 0, file);
      for (const source of copied) {
        assert.ok(fs.existsSync(path.join(ROOT, source)), `${file}: ${source} exists`);
        assert.ok(sentToBuild(source), `${file}: ${source} is not excluded by .dockerignore`);
      }
    }
    for (const file of ['node_modules', 'dist', 'test', '.git']) assert.equal(sentToBuild(file), false, `${file} stays out of the build context`);
  });

  it('start from one pinned Debian base, the tag the compose files pass', (t) => {
    if (!lab) return t.skip(NO_YAML);
    for (const file of DOCKERFILES) {
      const lines = linesOf(file);
      const base = /^ARG DEBIAN_IMAGE=(\S+)$/.exec(lines.find((l) => l.startsWith('ARG DEBIAN_IMAGE=')) ?? '')?.[1];
      assert.match(base ?? '', /^debian:bookworm-\d{8}-slim$/, `${file} pins a dated Debian base`);
      const stages = new Set(lines.filter((l) => / AS \w+$/.test(l)).map((l) => l.split(/\s+/).at(-1)));
      for (const from of lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/)[1]!)) {
        assert.ok(from === '${DEBIAN_IMAGE}' || stages.has(from), `${file}: FROM ${from} is the base or a stage`);
      }
      assert.equal(interpolate(String((lab.services.kafka!.build as { args?: Record<string, string> }).args?.DEBIAN_IMAGE)), base);
    }
  });

  it('the generator: Node 20 checked against the registry\'s digest, the package\'s own scripts, `sparktop gen` from bin/', () => {
    const lines = linesOf(path.join('docker', 'generator', 'Dockerfile'));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    assert.match(lines.find((l) => l.startsWith('ARG NODE_VERSION=')) ?? '', /^ARG NODE_VERSION=20\.\d+\.\d+$/);
    assert.match(lines.find((l) => l.startsWith('ARG NODE_SHA512=')) ?? '', /^ARG NODE_SHA512=[0-9a-f]{128}$/);
    assert.ok(lines.some((l) => l.includes('sha512sum -c')));
    assert.ok(lines.some((l) => l.includes('npm-cli.js ci')), 'npm ci runs prepare (tsc) and postinstall (the patches)');
    assert.ok(pkg.scripts.prepare && pkg.scripts.postinstall);
    const entry = JSON.parse(lines.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)) as string[];
    assert.deepEqual(entry, ['node', pkg.bin.sparktop, 'gen']);
  });
});
