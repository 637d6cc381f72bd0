/**
 * Another user on the machine, created by the test, tries to read what the running lab keeps (its
 * state, logs, Kafka's data, checkpoints, event logs and Spark secret are all below the lab's 0700
 * folder) and to run code on the lab's Spark master with pyspark's own spark-submit.
 * Creating a user needs root (CI runs as root); elsewhere the test says why it cannot run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { readPythonEnv } from '../../../src/lab/provision/pythonEnv.js';
import { eventually, getJson } from '../helpers.js';
import { LAB, labKafkaClient } from '../labUnderTest.js';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

/** What test/e2e/kafkaProbe.mjs says it could do. */
interface ProbeResult {
  produce: string;
  createTopicViaController: string;
}

const OTHER_USER = 'sparktop-e2e-other';

function asOtherUser(argv: string[]): { code: number | null; output: string } {
  const r = spawnSync('runuser', ['-u', OTHER_USER, '--', ...argv], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Adds search (x) permission for others to each folder above `file` lacking it; returns the undo. */
function openTheWayTo(file: string): () => void {
  const changed: Array<[string, number]> = [];
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode & 0o777;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, mode | 0o001);
      changed.push([dir, mode]);
    }
  }
  return () => changed.forEach(([dir, mode]) => fs.chmodSync(dir, mode));
}

function ensureOtherUser(): boolean {
  if (spawnSync('id', [OTHER_USER]).status === 0) return false;
  const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', OTHER_USER], { encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);
  return true;
}

interface MasterApps {
  activeapps: Array<{ id: string; name: string; state: string }>;
  completedapps: Array<{ id: string; name: string }>;
}

export function privacySuite(): void {
  let created = false;
  after(() => {
    if (created) spawnSync('userdel', [OTHER_USER]);
    // The JVM of the other user's spark-submit launcher keeps its perf data in /tmp whatever TMPDIR says.
    fs.rmSync(`/tmp/hsperfdata_${OTHER_USER}`, { recursive: true, force: true });
  });

  it("another Unix user can read none of the lab's files (state, logs, Kafka data, checkpoints, event logs, Spark secret, Kafka login)", (t) => {
    if (process.getuid?.() !== 0) return t.skip('creating another user needs root');
    created = ensureOtherUser() || created;
    const paths = LAB.paths;
    const kafkaServerProperties = path.join(paths.kafkaConfigDir, 'server.properties');
    const targets = [paths.stateFile, paths.logsDir, paths.kafkaDataDir, paths.checkpointsDir, paths.eventLogsDir, paths.sparkDefaultsFile, paths.sparkSecretFile, paths.kafkaPasswordFile, paths.kafkaClientConfigFile, kafkaServerProperties];
    for (const target of targets) assert.ok(fs.existsSync(target), `${target} exists while the lab runs`);
    // The owner reads them: the refusals below are about who asks, not about missing files.
    assert.ok(fs.readFileSync(paths.stateFile, 'utf8').length > 0);
    // The suite's cache lives in a private temporary folder: open the way to the lab's folder for
    // the time of the test, so that only the lab folder's own mode can refuse.
    const ancestors = [path.dirname(paths.cacheDir), paths.cacheDir];
    const modes = ancestors.map((d) => fs.statSync(d).mode & 0o777);
    try {
      ancestors.forEach((d, i) => fs.chmodSync(d, modes[i]! | 0o011));
      const reach = asOtherUser(['stat', '-c', '%a', paths.labDir]);
      assert.equal(reach.code, 0, `${OTHER_USER} reaches ${paths.labDir}: ${reach.output}`);
      assert.equal(reach.output.trim(), '700');
      for (const target of targets) {
        const r = asOtherUser(fs.statSync(target).isDirectory() ? ['ls', target] : ['cat', target]);
        assert.notEqual(r.code, 0, `${OTHER_USER} read ${target}: ${r.output}`);
        assert.match(r.output, /Permission denied/, target);
      }
    } finally {
      ancestors.forEach((d, i) => fs.chmodSync(d, modes[i]!));
    }
    assert.equal(fs.statSync(paths.labDir).mode & 0o777, 0o700);
  });

  it("another Unix user's spark-submit to the lab's master is refused (Spark authentication)", async (t) => {
    if (process.getuid?.() !== 0) return t.skip('creating another user needs root');
    created = ensureOtherUser() || created;
    const paths = LAB.paths;
    const pyspark = readPythonEnv(paths.venvDir);
    assert.ok(pyspark, 'pyspark is provisioned');
    for (const f of [paths.sparkDefaultsFile, paths.sparkSecretFile]) assert.equal(fs.statSync(f).mode & 0o777, 0o600, f);
    const name = `intruder-${process.pid}`;
    // Also the other user's temporary folder (Spark's, the JVM's, Python's): deleted with it at the end.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-intruder-'));
    fs.chmodSync(dir, 0o777);
    const script = path.join(dir, 'count.py');
    fs.writeFileSync(script, `from pyspark.sql import SparkSession\nprint("COUNTED", SparkSession.builder.appName("${name}").getOrCreate().range(1000).count())\n`, { mode: 0o644 });
    // pyspark's folder may sit below a private home or cache folder: let the other user run it (only that).
    const sparkSubmit = fs.realpathSync(path.join(pyspark.sparkHome, 'bin', 'spark-submit'));
    // The venv's own python (its site-packages hold pyspark), by a path without the suite's private folder.
    const python = path.join(fs.realpathSync(paths.venvDir), 'bin', 'python');
    const undo = openTheWayTo(sparkSubmit);
    const undoPython = openTheWayTo(fs.realpathSync(python));
    const env = [
      'env', '-i', `PATH=${process.env.PATH}`, `HOME=${dir}`, `TMPDIR=${dir}`, 'SPARK_LOCAL_IP=127.0.0.1', `PYSPARK_PYTHON=${python}`, `SPARK_CONF_DIR=${dir}`,
      `SPARK_LOCAL_DIRS=${dir}`, `SPARK_SUBMIT_OPTS=-Djava.io.tmpdir=${dir} -XX:-UsePerfData`,
    ];
    const child = spawn('runuser', ['-u', OTHER_USER, '--', ...env, sparkSubmit, '--master', LAB.master, '--conf', 'spark.ui.enabled=false', script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    try {
      // Refused at the connection: Spark's RPC wants its SASL handshake first. Without
      // authentication the job would register and print its count within seconds.
      const outcome = await eventually('the master to refuse the other user\'s application', async () => {
        if (/COUNTED/.test(output)) return 'ran';
        if (/Failed to connect to master/.test(output) && /SASL/.test(output)) return 'refused';
        return child.exitCode !== null ? 'ended' : undefined;
      }, 180_000, 500);
      assert.equal(outcome, 'refused', `the other user's spark-submit: ${output.slice(-3000)}`);
      const master = await getJson<MasterApps>(`${LAB.masterUi}/json/`);
      assert.ok(![...master.activeapps, ...master.completedapps].some((a) => a.name === name), 'the master never registered the application');
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* ended */
      }
      // runuser's children run as the other user: whatever is left of them.
      spawnSync('pkill', ['-KILL', '-u', OTHER_USER]);
      undoPython();
      undo();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("another Unix user can neither produce to the lab's Kafka nor create topics through its controller (SASL); the owner can, with the lab's login", async (t) => {
    if (process.getuid?.() !== 0) return t.skip('creating another user needs root');
    created = ensureOtherUser() || created;
    const paths = LAB.paths;
    const topic = `intruder-${process.pid}`;
    const probe = path.join(ROOT, 'test', 'e2e', 'kafkaProbe.mjs');
    const args = (login: string) => [probe, LAB.kafka, `127.0.0.1:${LAB.config.kafkaControllerPort}`, topic, login];
    const undo = [openTheWayTo(probe), openTheWayTo(require.resolve('kafkajs'))];
    const admin = labKafkaClient().admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      // Without a login (the login file is not theirs to read): every request is refused.
      const other = asOtherUser([process.execPath, ...args('-')]);
      const refused = JSON.parse(other.output.trim().split('\n').pop() ?? '{}') as ProbeResult;
      assert.equal(other.code, 0, other.output);
      assert.match(refused.produce, /^refused: /, `produce without a login: ${other.output}`);
      assert.match(refused.createTopicViaController, /^refused: /, `CreateTopics on the controller listener without a login: ${other.output}`);
      const stolen = asOtherUser([process.execPath, ...args(paths.kafkaClientConfigFile)]);
      assert.match(stolen.output, /EACCES|permission denied/i, `the other user reading the lab's Kafka login: ${stolen.output}`);
      assert.equal((await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0), 0, 'nothing of the other user\'s is in the topic');
      assert.ok(!(await admin.listTopics()).includes(`${topic}-via-controller`), 'no topic was created through the controller listener');
      // The same probe as the owner with the lab's login does both: the refusals above are the listeners', not the probe's.
      const owner = spawnSync(process.execPath, args(paths.kafkaClientConfigFile), { encoding: 'utf8' });
      const ok = JSON.parse(owner.stdout.trim().split('\n').pop() ?? '{}') as ProbeResult;
      assert.deepEqual(ok, { produce: 'produced', createTopicViaController: 'created' }, `the owner with the lab's login: ${owner.stdout}${owner.stderr}`);
      assert.equal((await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0), 1, 'the owner\'s record');
    } finally {
      await admin.deleteTopics({ topics: [topic, `${topic}-via-controller`] }).catch(() => undefined);
      await admin.disconnect();
      spawnSync('pkill', ['-KILL', '-u', OTHER_USER]);
      undo.forEach((u) => u());
    }
  });

  it("another Unix user cannot kill the lab's application from the master's UI; its driver's UI has no kill buttons", async (t) => {
    if (process.getuid?.() !== 0) return t.skip('creating another user needs root');
    created = ensureOtherUser() || created;
    const app = (await getJson<MasterApps>(`${LAB.masterUi}/json/`)).activeapps.find((a) => a.name === 'LogsProcessor');
    assert.ok(app, "the lab's job runs");
    // What the master UI's kill button sends (Spark's MasterPage: POST /app/kill/ with id and terminate).
    const post = (token?: string) =>
      ['node', '-e', `fetch(process.argv[1], { method: 'POST', headers: process.argv[3] ? { 'X-Sparktop-Token': process.argv[3] } : {}, body: new URLSearchParams({ id: process.argv[2], terminate: 'true' }), redirect: 'manual' }).then((r) => console.log(r.status), (e) => console.log('error', e.message))`, `${LAB.masterUi}/app/kill/`, app.id, ...(token ? [token] : [])];
    const bare = asOtherUser(post());
    assert.equal(bare.output.trim(), '403', bare.output);
    const guessed = asOtherUser(post('0'.repeat(64)));
    assert.equal(guessed.output.trim(), '403', guessed.output);
    const still = (await getJson<MasterApps>(`${LAB.masterUi}/json/`)).activeapps.find((a) => a.id === app.id);
    assert.equal(still?.state, 'RUNNING', 'the application still runs');
    // Reading stays open: the monitor of anyone who can reach the port still works.
    assert.equal(asOtherUser(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `${LAB.masterUi}/json/`]).output.trim(), '200');
    const env = await getJson<{ sparkProperties: Array<[string, string]> }>(`${LAB.driverUi}/api/v1/applications/${app.id}/environment`);
    assert.ok(env.sparkProperties.some(([k, v]) => k === 'spark.ui.killEnabled' && v === 'false'), 'the driver runs with spark.ui.killEnabled=false');
  });
}
