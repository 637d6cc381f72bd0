/**
 * `sparktop attach --docker CONTAINER` against a real Docker engine the test starts and stops
 * itself (test/e2e/dockerEngine.ts: root, Debian's docker.io and busybox-static; no registry, the
 * image is made from busybox); and against an engine that is stopped or never answers. No lab:
 * the listener jar is the one `attach` builds from the provisioned pyspark (`sparktop lab
 * provision`; the suite's cache folder links it from the default one, test/e2e/isolation.ts);
 * skipped with the reason when any of these is missing.
 */
import './isolation.js';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureListenerJar } from '../../src/lab/provision/listenerJar.js';
import { readPythonEnv } from '../../src/lab/provision/pythonEnv.js';
import { BUSYBOX_IMAGE, busyboxUnavailable, dockerEngineUnavailable, engineLeftovers, makeBusyboxImage, startDockerEngine, type DockerEngine } from './dockerEngine.js';
import { runCli, type CliRun } from './helpers.js';
import { LAB } from './labUnderTest.js';

const MIN = 60_000;
const paths = LAB.paths;
/** attach's own listener port when none is given (src/commands/attach.ts): only printed here, nothing listens on it. */
const ATTACH_DEFAULT_PORT = 4090;
const pyEnv = readPythonEnv(paths.venvDir);
const skip = dockerEngineUnavailable() ?? busyboxUnavailable() ?? (pyEnv ? false : 'pyspark is not provisioned (sparktop lab provision)');

const JAR = 'sparktop-listener.jar';
const MOUNTED = 'sparktop-attach-mounted';
const UNMOUNTED = 'sparktop-attach-unmounted';

const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
/** The same options once per pair, as the text form prints them (`  --conf k=v \`). */
const confs = (stdout: string) => [...stdout.matchAll(/^ {2}--conf (\S+)/gm)].map((m) => m[1]);

function noOptionsAndNoTrace(r: CliRun): void {
  assert.equal(r.stdout, '', 'nothing is printed as options');
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'a message, not a stack trace');
}

describe('e2e: sparktop attach --docker on a real Docker engine', { skip }, () => {
  let engine: DockerEngine | undefined;
  let work = '';
  let engineDir = '';
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const attach = (args: string[]) => runCli(['attach', ...args], { timeoutMs: 5 * MIN, env: engine!.env });
  /** The jar attach built (it exists by then: attach built it, or found it). */
  const builtJar = async () => fs.readFileSync((await ensureListenerJar(paths.cacheDir, pyEnv!.sparkHome, log)).jar);
  /** A file inside a container, read with the image's own busybox (`cat`), and its size as `ls -l` shows it. */
  async function inContainer(container: string, file: string): Promise<{ bytes: Buffer; lsSize: number }> {
    const bytes = (await engine!.docker(['exec', container, 'cat', file])).stdoutBytes;
    const ls = (await engine!.docker(['exec', container, 'ls', '-l', file])).stdout;
    return { bytes, lsSize: Number(ls.trim().split(/\s+/)[4]) };
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-docker-attach-'));
    engine = await startDockerEngine({ log });
    engineDir = engine.dir;
    const t0 = Date.now();
    await makeBusyboxImage(engine);
    log(`  ${BUSYBOX_IMAGE} imported in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    try {
      await engine?.stop();
    } finally {
      if (work) fs.rmSync(work, { recursive: true, force: true });
    }
    if (engineDir) {
      assert.deepEqual(engineLeftovers(engineDir), { processes: [], mounts: [], bridges: [] }, 'the engine left no process, mount or bridge');
      assert.equal(fs.existsSync(engineDir), false, 'the engine folder is deleted');
    }
  });

  it('a container mounting a host folder: the jar goes into that folder, the listener binds 0.0.0.0', { timeout: 10 * MIN }, async () => {
    const host = path.join(work, 'mounted');
    fs.mkdirSync(host);
    await engine!.docker(['run', '-d', '--name', MOUNTED, '-v', `${host}:/work`, BUSYBOX_IMAGE, 'sleep', '3600']);
    assert.equal((await engine!.docker(['exec', MOUNTED, 'cat', '/proc/1/comm'])).stdout.trim(), 'sleep');

    const r = await attach(['--docker', MOUNTED]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Copied the listener jar to ${re(path.join(host, JAR))} \\(${MOUNTED}:/work/${re(JAR)}, a folder it mounts\\)\\.$`, 'm'));
    assert.match(r.stdout, new RegExp(`^ {2}--jars /work/${JAR} \\\\$`, 'm'));
    assert.ok(confs(r.stdout).includes('spark.sql.streaming.streamingQueryListeners=sparktop.listener.SparktopProgressListener'), r.stdout);
    assert.ok(confs(r.stdout).includes('spark.sparktop.listener.host=0.0.0.0'), r.stdout);
    assert.ok(confs(r.stdout).includes(`spark.sparktop.listener.port=${ATTACH_DEFAULT_PORT}`), r.stdout);
    assert.match(r.stdout, new RegExp(`sparktop --progress-url http://127\\.0\\.0\\.1:${ATTACH_DEFAULT_PORT} `));

    const jar = await builtJar();
    assert.equal(sha256(fs.readFileSync(path.join(host, JAR))), sha256(jar), 'on the host, under the mounted folder');
    const inside = await inContainer(MOUNTED, `/work/${JAR}`);
    assert.equal(inside.lsSize, jar.length, 'ls -l in the container: the built jar\'s size');
    assert.equal(sha256(inside.bytes), sha256(jar), 'in the container, the built jar');

    // --json, with the jar gone from the folder: put there again; and the port given.
    fs.rmSync(path.join(host, JAR));
    const j = await attach(['--docker', MOUNTED, '--json', '--listener-port', String(LAB.listenerPort)]);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout) as { args: string[]; progressUrl: string };
    assert.deepEqual(out.args.slice(0, 2), ['--jars', `/work/${JAR}`]);
    assert.ok(out.args.includes('spark.sparktop.listener.host=0.0.0.0'), j.stdout);
    assert.ok(out.args.includes(`spark.sparktop.listener.port=${LAB.listenerPort}`), j.stdout);
    assert.equal(out.progressUrl, `http://127.0.0.1:${LAB.listenerPort}`);
    assert.equal((await inContainer(MOUNTED, `/work/${JAR}`)).lsSize, jar.length);
  });

  it('a container mounting nothing: the jar is copied in (docker cp), to be copied again once the container is recreated', { timeout: 10 * MIN }, async () => {
    const run = ['run', '-d', '--name', UNMOUNTED, BUSYBOX_IMAGE, 'sleep', '3600'];
    await engine!.docker(run);
    const r = await attach(['--docker', UNMOUNTED]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Copied the listener jar into ${UNMOUNTED}:/tmp/${JAR} \\(it mounts no host folder; copy again after the container is recreated\\)\\.$`, 'm'));
    assert.match(r.stdout, new RegExp(`^ {2}--jars /tmp/${JAR} \\\\$`, 'm'));
    assert.ok(confs(r.stdout).includes('spark.sparktop.listener.host=0.0.0.0'), r.stdout);
    const jar = await builtJar();
    const inside = await inContainer(UNMOUNTED, `/tmp/${JAR}`);
    assert.equal(inside.lsSize, jar.length);
    assert.equal(sha256(inside.bytes), sha256(jar));

    // What the message warns of: a recreated container does not have it.
    await engine!.docker(['rm', '-f', UNMOUNTED]);
    await engine!.docker(run);
    assert.equal((await engine!.docker(['exec', UNMOUNTED, 'test', '-f', `/tmp/${JAR}`], { check: false })).code, 1);
    const j = await attach(['--docker', UNMOUNTED, '--json']);
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual((JSON.parse(j.stdout) as { args: string[] }).args.slice(0, 2), ['--jars', `/tmp/${JAR}`]);
    assert.equal(sha256((await inContainer(UNMOUNTED, `/tmp/${JAR}`)).bytes), sha256(jar));
  });

  it('a container that does not exist (or is an image): a non-zero exit naming it, no options', { timeout: 5 * MIN }, async () => {
    for (const name of ['sparktop-attach-nosuch', BUSYBOX_IMAGE]) {
      for (const json of [[], ['--json']]) {
        const r = await attach(['--docker', name, ...json]);
        assert.equal(r.code, 1, r.stderr);
        noOptionsAndNoTrace(r);
        assert.match(r.stderr, new RegExp(`^sparktop: no container named "${re(name)}" on the Docker engine at ${re(engine!.env.DOCKER_HOST)} \\(\`docker ps -a\` lists them; docker said: .*No such container`, 'm'));
      }
    }
  });

  it('the engine stopped: says it does not answer, naming the container, no options', { timeout: 5 * MIN }, async () => {
    await engine!.stop();
    const r = await attach(['--docker', MOUNTED]);
    assert.equal(r.code, 1, r.stderr);
    noOptionsAndNoTrace(r);
    assert.match(r.stderr, new RegExp(`^sparktop: the Docker engine at ${re(engine!.env.DOCKER_HOST)} does not answer, so the listener jar cannot be put into container "${MOUNTED}" \\(docker said: Cannot connect to the Docker daemon`, 'm'));
  });

  it('an engine that accepts and never answers: the same after attach\'s 30 s wait', { timeout: 5 * MIN }, async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    const socket = path.join(work, 'silent.sock');
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    try {
      const host = `unix://${socket}`;
      const r = await runCli(['attach', '--docker', MOUNTED], { timeoutMs: 2 * MIN, env: { DOCKER_HOST: host } });
      assert.equal(r.code, 1, r.stderr);
      noOptionsAndNoTrace(r);
      assert.match(r.stderr, new RegExp(`^sparktop: the Docker engine at ${re(host)} does not answer, so the listener jar cannot be put into container "${MOUNTED}" \\(no answer within 30 s\\)$`, 'm'));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
