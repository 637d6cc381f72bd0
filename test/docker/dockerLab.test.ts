/**
 * The Docker lab, run for real: a Docker engine of the suite's own (test/e2e/dockerEngine.ts: its
 * own folder, socket, address pool; never the system's engine or the host's firewall), the Debian
 * base made with debootstrap (test/docker/dockerLabSetup.ts: no image registry is reachable), then
 * everything as a user runs it: `docker compose up --build` with the project's compose files and
 * Dockerfiles, the classroom's own `docker exec spark-client spark-submit …`, and sparktop
 * `--target docker` in tmux with its hotkeys. The lab publishes its ports on free ones of its own.
 *
 *   npm run test:docker      (root; Debian's docker.io and debootstrap; Go or a compose plugin)
 */
import '../e2e/isolation.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { parseComposePs, type ComposeContainer } from '../../src/control/dockerCommands.js';
import { PINNED } from '../../src/lab/versions.js';
import { dockerEngineUnavailable, overlayMountWorks, startDockerEngine, type DockerEngine } from '../e2e/dockerEngine.js';
import { endOffsetTotal, eventually, getJson, ROOT, runCli } from '../e2e/helpers.js';
import { checkpointCommitted } from '../e2e/foreignJob.js';
import { LAB } from '../e2e/labUnderTest.js';
import { TmuxSession } from '../e2e/tmux.js';
import { panelText, partitionRows } from '../support/screenText.js';
import { composeConfig, DEBIAN_IMAGE, dockerLabToolsUnavailable, freeLabPorts, localCaCertificates, makeDebianBase, workerResources, type DockerLabPorts } from './dockerLabSetup.js';

const MIN = 60_000;
const LAB_FILE = path.join(ROOT, 'docker', 'docker-compose.yaml');
const GEN_FILE = path.join(ROOT, 'docker', 'load-generator', 'docker-compose.yaml');
const TOPIC = 'logs';
/** Records per second of each generator container: well within what one Spark core drains here. */
const RATE = 1500;
const CLASSROOM_SUBMIT = [
  'exec', '-d', 'spark-client', '/opt/spark/bin/spark-submit', '--master', 'spark://spark-master:7077',
  '--packages', `org.apache.spark:spark-sql-kafka-0-10_${PINNED.scalaBinary}:${PINNED.pyspark}`,
  '--executor-cores', '1', '--executor-memory', '1G',
  '/opt/spark-apps/spark_structured_streaming_logs_processing.py',
];
/** The classroom job's checkpoint (spark-client's CHECKPOINT_LOCATION) inside the spark-work volume. */
const CLASSROOM_CHECKPOINT = 'checkpoints/classroom';

const skip = dockerEngineUnavailable() ?? dockerLabToolsUnavailable() ?? false;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface MasterJson {
  workers: Array<{ state: string; cores: number }>;
  activeapps: Array<{ id: string; name: string }>;
  completedapps: Array<{ id: string }>;
}
interface StatusJson {
  kafka: { partitions: Array<{ partition: number; lag: number | null }>; totalLag: number | null };
  spark: { appId: string | null; batch: { batchId: number; numInputRows: number } | null };
}

/** Executor ids in the executors view (view 2): a row starts with the id. */
function executorIds(lines: string[]): string[] {
  return lines.flatMap((l) => {
    const m = /^[│|]\s?(\d+)\s+\S+\s/.exec(l);
    return m ? [m[1]!] : [];
  });
}

describe('docker lab: images from the project\'s Dockerfiles on a Docker engine of the suite\'s own, watched and driven by sparktop', { skip, timeout: 45 * MIN }, () => {
  let engine: DockerEngine | undefined;
  let ports: DockerLabPorts;
  let env: Record<string, string> = {};
  let monitor: TmuxSession | undefined;
  const worker = workerResources();

  const docker = (args: string[], timeoutMs = 2 * MIN) => engine!.docker(args, { timeoutMs });
  const compose = (file: string, args: string[], timeoutMs = 2 * MIN) => docker(['compose', '-f', file, ...args], timeoutMs);
  const ps = async (file: string): Promise<ComposeContainer[]> => parseComposePs((await compose(file, ['ps', '--all', '--format', 'json'])).stdout);
  const master = () => getJson<MasterJson>(`http://127.0.0.1:${ports.SPARK_MASTER_UI_HOST_PORT}/json/`);
  const listener = () => getJson<{ progress: Array<{ batchId: number; numInputRows: number; runId: string }> }>(`http://127.0.0.1:${ports.SPARKTOP_LISTENER_HOST_PORT}/progress`);
  const kafka = () => new Kafka({ clientId: 'sparktop-docker-test', brokers: [`127.0.0.1:${ports.KAFKA_HOST_PORT}`], logLevel: logLevel.NOTHING });
  /** Log-end offsets as Kafka's own tool in the Kafka container reports them (`logs:0:1234` lines). */
  async function logEndsInContainer(): Promise<Record<string, number>> {
    const out = (await docker(['exec', 'kafka', '/opt/kafka/bin/kafka-get-offsets.sh', '--bootstrap-server', 'localhost:9092', '--topic', TOPIC])).stdout;
    const ends: Record<string, number> = {};
    for (const m of out.matchAll(/^logs:(\d+):(\d+)$/gm)) ends[m[1]!] = Number(m[2]);
    return ends;
  }
  /** Records per second Kafka's log end grows by, over `windowMs` (read from the host on the published port). */
  async function produceRate(windowMs: number): Promise<number> {
    const broker = `127.0.0.1:${ports.KAFKA_HOST_PORT}`;
    const t0 = Date.now();
    const a = await endOffsetTotal(TOPIC, broker);
    await new Promise((r) => setTimeout(r, windowMs));
    const b = await endOffsetTotal(TOPIC, broker);
    return ((b - a) * 1000) / (Date.now() - t0);
  }
  async function volumePath(): Promise<string> {
    return (await docker(['volume', 'inspect', 'sparktop_spark-work', '--format', '{{.Mountpoint}}'])).stdout.trim();
  }
  const running = (cs: ComposeContainer[], service: string) => cs.filter((c) => c.service === service && c.state === 'running');

  before(async () => {
    const t0 = Date.now();
    const storageDriver = overlayMountWorks() ? 'overlay2' : 'vfs';
    engine = await startDockerEngine({ log, storageDriver, addressPool: 'base=10.217.0.0/16,size=24', tmpRoot: '/tmp' });
    const { dockerConfig, version } = await composeConfig(engine.dir, LAB.paths.cacheDir, log);
    log(`  ${version}; dockerd ${engine.serverVersion} (${storageDriver})`);
    await makeDebianBase(engine, log);
    ports = await freeLabPorts();
    env = {
      ...engine.env,
      DOCKER_CONFIG: dockerConfig,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      SPARK_WORKER_CORES: String(worker.cores),
      SPARK_WORKER_MEMORY: `${worker.memoryGb}g`,
      SPARKTOP_EXTRA_CA_CERTS: localCaCertificates(),
      TARGET_RPS: String(RATE),
      // sparktop watches the Docker lab on its published ports.
      SPARKTOP_KAFKA: `127.0.0.1:${ports.KAFKA_HOST_PORT}`,
      SPARKTOP_SPARK_UI: `http://127.0.0.1:${ports.SPARK_DRIVER_UI_HOST_PORT}`,
      SPARKTOP_SPARK_MASTER: `http://127.0.0.1:${ports.SPARK_MASTER_UI_HOST_PORT}`,
      SPARKTOP_PROGRESS_URL: `http://127.0.0.1:${ports.SPARKTOP_LISTENER_HOST_PORT}`,
    };
    // The docker CLI (engine.docker), sparktop (runCli) and the monitor's docker calls all read them.
    Object.assign(process.env, env);
    log(`  engine, Compose and base ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  });

  after(async () => {
    monitor?.kill();
    await engine?.stop();
  });

  it('`docker compose up --build` builds Kafka and Spark from the Dockerfiles at the pinned versions; the lab comes up healthy', async () => {
    const healthOf = async (c: ComposeContainer) => (c.service === 'topic-init' ? c.state : (await docker(['inspect', '--format', '{{.State.Health.Status}}', c.name])).stdout.trim());
    /** The failure, with each service that did not come up named beside the last lines of its log. */
    const notHealthy = async (err: Error): Promise<never> => {
      const report: string[] = [];
      for (const c of await ps(LAB_FILE).catch(() => [])) {
        const h = await healthOf(c).catch(() => 'unknown');
        if (h === 'healthy' || h === 'exited') continue;
        const logs = await engine!.docker(['logs', '--tail', '15', c.name], { check: false });
        report.push(`${c.service} (${h}):\n${logs.stdout}${logs.stderr}`);
      }
      throw new Error(`${err.message}\n${report.join('\n')}`);
    };
    const t0 = Date.now();
    await compose(LAB_FILE, ['up', '-d', '--build'], 30 * MIN).catch(notHealthy);
    log(`  lab images built and started in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const cs = await eventually('every service healthy, topic-init done', async () => {
      const all = await ps(LAB_FILE);
      const health = await Promise.all(all.map(healthOf));
      return all.length === 5 && health.every((h) => h === 'healthy' || h === 'exited') ? all : undefined;
    }, 5 * MIN, 2000).catch(notHealthy);
    assert.deepEqual(cs.map((c) => c.service).sort(), ['kafka', 'spark-client', 'spark-master', 'spark-worker', 'topic-init']);
    assert.match((await docker(['inspect', '--format', '{{.State.ExitCode}}', cs.find((c) => c.service === 'topic-init')!.name])).stdout, /^0\s*$/);

    const libs = (await docker(['exec', 'kafka', 'ls', '/opt/kafka/libs'])).stdout.split('\n');
    assert.ok(libs.includes(`kafka_2.13-${PINNED.kafka}.jar`), `Kafka ${PINNED.kafka} in the Kafka image`);
    const sparkVersion = await docker(['exec', 'spark-client', '/opt/spark/bin/spark-submit', '--version']);
    assert.match(sparkVersion.stdout + sparkVersion.stderr, new RegExp(`version ${PINNED.pyspark.replace(/\./g, '\\.')}`));
    assert.match((await docker(['exec', 'spark-client', 'java', '-version'])).stderr, /version "17\./);
    assert.match((await docker(['image', 'inspect', '--format', '{{.Config.Env}}', 'sparktop-spark:4.0.0'])).stdout, /SPARK_HOME=\/opt\/spark/);

    const described = (await docker(['exec', 'kafka', '/opt/kafka/bin/kafka-topics.sh', '--bootstrap-server', 'localhost:9092', '--describe', '--topic', TOPIC])).stdout;
    assert.match(described, /PartitionCount:\s*2\b/, 'topic-init made `logs` with 2 partitions');
    const m = await eventually('the worker registered with the master', async () => {
      const j = await master().catch(() => null);
      return j && j.workers.filter((w) => w.state === 'ALIVE').length === 1 ? j : undefined;
    }, 2 * MIN);
    assert.equal(m.workers[0]!.cores, worker.cores, 'SPARK_WORKER_CORES reaches the worker');
  });

  it('the generator image (Node 20 from the npm registry) writes the classroom\'s records at TARGET_RPS', async () => {
    const t0 = Date.now();
    await compose(GEN_FILE, ['up', '-d', '--build'], 20 * MIN);
    log(`  generator image built and started in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const gens = running(await ps(GEN_FILE), 'generator');
    assert.equal(gens.length, 1);
    assert.match((await docker(['exec', gens[0]!.name, 'node', '--version'])).stdout, /^v20\./);
    const rate = await eventually(`Kafka's log end growing at ${RATE}/s`, async () => {
      const r = await produceRate(10_000);
      return Math.abs(r - RATE) <= RATE * 0.1 ? r : undefined;
    }, 3 * MIN, 0);
    log(`  produce rate ${rate.toFixed(0)}/s for a target of ${RATE}/s`);
    // The records are the classroom's: JSON with the fields the job reads.
    const consumer = kafka().consumer({ groupId: `sparktop-docker-test-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC, fromBeginning: false });
      const value = await new Promise<string>((resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }));
      const record = JSON.parse(value) as Record<string, unknown>;
      assert.deepEqual(Object.keys(record).sort(), ['content', 'severity', 'source_ip', 'status', 'timestamp', 'user_id'], `a classroom record: ${value}`);
    } finally {
      await consumer.disconnect();
    }
  });

  it('the classroom\'s own `docker exec spark-client spark-submit --packages …` runs the job unchanged, without a download, with the progress listener', async () => {
    await docker(CLASSROOM_SUBMIT);
    const first = await eventually('a batch with rows through the listener on the published port', async () => {
      const p = await listener().catch(() => null);
      return p?.progress.find((e) => e.numInputRows > 0);
    }, 5 * MIN, 1000);
    assert.ok(first.numInputRows > 0);
    const apps = (await master()).activeapps;
    assert.deepEqual(apps.map((a) => a.name), ['LogsProcessor']);
    // No network inside the lab's containers reaches a registry: the connector came from the image's Ivy cache.
    const ivy = (await docker(['exec', 'spark-client', 'ls', '/opt/ivy2/jars'])).stdout;
    assert.match(ivy, new RegExp(`spark-sql-kafka-0-10_${PINNED.scalaBinary}-${PINNED.pyspark}\\.jar`));
  });

  it('sparktop --target docker shows the four panels with the Docker lab\'s partitions, executors and batches; lag is Kafka\'s log end minus the checkpoint\'s committed offsets', async () => {
    monitor = new TmuxSession(120, 40, ['--target', 'docker'], { DOCKER_HOST: env.DOCKER_HOST!, DOCKER_CONFIG: env.DOCKER_CONFIG! });
    const lines = await eventually('partitions, executors, rates and a batch on screen', async () => {
      const l = monitor!.lines();
      const text = l.join('\n');
      return partitionRows(l).length === 2 && /LogsProcessor/.test(l[0] ?? '') && /#\d+/.test(panelText(l, 'Batches')) && /in \d/.test(panelText(l, 'Rates')) && /\bdriver\b/.test(text) ? l : undefined;
    }, 3 * MIN, 1000);
    assert.deepEqual(partitionRows(lines), [0, 1]);

    const checkpoint = path.join(await volumePath(), CLASSROOM_CHECKPOINT);
    assert.ok(fs.existsSync(path.join(checkpoint, 'commits')), `the classroom job's checkpoint is on the spark-work volume: ${checkpoint}`);
    // Both ends are read before and after the status: the lag sparktop printed must lie between, give or take one batch.
    const before = { ends: await logEndsInContainer(), commit: checkpointCommitted(checkpoint, TOPIC) };
    const r = await runCli(['status', '--json'], { timeoutMs: MIN });
    const after = { ends: await logEndsInContainer(), commit: checkpointCommitted(checkpoint, TOPIC) };
    const s = JSON.parse(r.stdout) as StatusJson;
    assert.ok(before.commit && after.commit, 'the job has committed batches');
    const batchRows = Math.max(...(await listener()).progress.slice(-5).map((e) => e.numInputRows));
    assert.equal(s.kafka.partitions.length, 2);
    for (const p of s.kafka.partitions) {
      const k = String(p.partition);
      const low = before.ends[k]! - after.commit!.offsets[k]! - batchRows;
      const high = after.ends[k]! - before.commit!.offsets[k]! + batchRows;
      assert.ok(p.lag !== null && p.lag >= low && p.lag <= high, `partition ${k}: lag ${p.lag} within [${low}, ${high}] (log end by kafka-get-offsets.sh, committed by the checkpoint)`);
    }
  });

  it('+ and - scale the generator service, and Kafka\'s produce rate follows', async () => {
    monitor!.sendKeys('+');
    await eventually('2 generator containers', async () => (running(await ps(GEN_FILE), 'generator').length === 2 ? true : undefined), 3 * MIN, 1000);
    const two = await eventually(`the produce rate at 2 × ${RATE}/s`, async () => {
      const r = await produceRate(10_000);
      return Math.abs(r - 2 * RATE) <= 2 * RATE * 0.1 ? r : undefined;
    }, 3 * MIN, 0);
    monitor!.sendKeys('-');
    await eventually('1 generator container', async () => (running(await ps(GEN_FILE), 'generator').length === 1 ? true : undefined), 3 * MIN, 1000);
    const one = await eventually(`the produce rate back at ${RATE}/s`, async () => {
      const r = await produceRate(10_000);
      return Math.abs(r - RATE) <= RATE * 0.1 ? r : undefined;
    }, 3 * MIN, 0);
    log(`  produce rate ${two.toFixed(0)}/s with 2 generators, ${one.toFixed(0)}/s with 1`);
  });

  it('r refuses more cores than the workers have, resubmits through spark-client with 2 executors, which the executors view shows; k kills the job', async () => {
    const oldId = (await master()).activeapps[0]?.id;
    assert.ok(oldId, 'the classroom job runs');
    monitor!.sendKeys('r');
    await eventually('the form', async () => (/Resubmit the Spark job/.test(monitor!.capture()) ? true : undefined), 30_000, 200);
    // More cores than the Docker lab's workers have: refused as on the local lab, nothing submitted.
    const tooMany = String(worker.cores + 97);
    monitor!.sendKeys('Tab', 'Tab', 'C-u', tooMany, 'Enter');
    const invalid = new RegExp(`total executor cores\\s+${tooMany}.*at most ${worker.cores}\\b`);
    await eventually('the invalid field named', async () => (invalid.test(monitor!.capture()) && /1 field is invalid/.test(monitor!.capture()) ? true : undefined), 30_000, 200);
    assert.deepEqual((await master()).activeapps.map((a) => a.id), [oldId], 'the master\'s apps are unchanged');
    monitor!.sendKeys('C-u', '2', 'Enter');
    await eventually('the review with the exact command line', async () => (/docker exec -d spark-client/.test(monitor!.capture().replace(/\n│?\s*/g, ' ')) ? true : undefined), 30_000, 200);
    assert.match(monitor!.capture().replace(/[│\n]/g, ' ').replace(/\s+/g, ' '), /--total-executor-cores 2/);
    monitor!.sendKeys('Enter');
    await eventually('a new application in the master, the old one finished', async () => {
      const m = await master();
      return m.completedapps.some((a) => a.id === oldId) && m.activeapps.length === 1 && m.activeapps[0]!.id !== oldId ? true : undefined;
    }, 5 * MIN, 1000);
    await eventually('the resubmission done', async () => (/app-\S+ is running/.test(monitor!.capture()) ? true : undefined), 5 * MIN, 500);
    monitor!.sendKeys('2');
    const shown = await eventually('2 executors in the executors view', async () => {
      const ids = new Set(executorIds(monitor!.lines()));
      return ids.size === 2 ? ids : undefined;
    }, 2 * MIN, 500);
    assert.equal(shown.size, 2);
    monitor!.sendKeys('1');

    monitor!.sendKeys('k');
    await eventually('the question', async () => (/Kill the Spark job/.test(monitor!.capture()) ? true : undefined), 30_000, 200);
    monitor!.sendKeys('y');
    await eventually('killed', async () => (/killed app-/.test(monitor!.capture()) ? true : undefined), 2 * MIN, 500);
    assert.equal((await master()).activeapps.length, 0, 'no application in the master');
    monitor!.sendKeys('q');
    await eventually('the monitor exited', async () => (monitor!.alive() ? undefined : true), 30_000, 200);
  });

  it('`docker compose down` leaves no container, network, volume or container process behind', async () => {
    await compose(GEN_FILE, ['down'], 5 * MIN);
    await compose(LAB_FILE, ['down', '-v'], 5 * MIN);
    assert.equal((await docker(['ps', '-a', '-q'])).stdout.trim(), '', 'no container');
    assert.equal((await docker(['network', 'ls', '-q', '--filter', 'type=custom'])).stdout.trim(), '', 'no network of the lab');
    assert.equal((await docker(['volume', 'ls', '-q'])).stdout.trim(), '', 'no volume');
    const shims = fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
          return cmd.includes('containerd-shim') && cmd.includes(engine!.dir);
        } catch {
          return false;
        }
      });
    assert.deepEqual(shims, [], 'no container process (shim) of the engine');
    const images = (await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}'])).stdout.split('\n').filter((l) => l && !l.startsWith('<none>'));
    assert.ok(images.some((l) => l.startsWith(`${DEBIAN_IMAGE} `)), 'the images stay (a later up starts at once)');
    log(`  images: ${images.join(', ')}`);
  });
});
