/**
 * A private Docker engine for tests: `dockerd` started by the test itself in a fresh temp folder
 * (its own data-root, exec-root, pidfile, socket, config file and address pool; no iptables, no
 * default bridge, the vfs storage driver), never the system's engine and never the host's
 * firewall. Installs nothing: `docker.io` (dockerd, containerd, runc) and a `docker` CLI must be
 * there (`.ci/run` installs them), and it must run as root. No registry is reachable where the
 * tests run, so images are made locally: a root filesystem folder → `docker import`
 * (`importRootfs`), e.g. busybox from Debian's `busybox-static` (`makeBusyboxImage`).
 *
 * `stop()` leaves nothing behind, also after a failed test: it removes the containers, stops
 * dockerd by its pid (SIGTERM, then SIGKILL), then whatever it started that outlived it (containerd,
 * the per-container shims and their processes: every process whose command line names the
 * folder, and their descendants), unmounts what is still mounted under the folder (deepest first)
 * and deletes it. Outside the folder dockerd and containerd only make the empty folders
 * /run/docker/plugins and /run/containerd/s (fixed paths, shared with any other engine).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { isAlive, processStartTime, tailFile, type ProcessRecord } from '../../src/lab/processes.js';

export interface DockerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout as text (utf-8); `stdoutBytes` has it as it came (e.g. a file `docker exec … cat` printed). */
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface DockerRunOptions {
  /** What docker reads on stdin (`docker import -`, `docker load`). */
  input?: Buffer | string | Readable;
  /** Default 120 s; the docker CLI is then killed (SIGKILL) and the call fails. */
  timeoutMs?: number;
  /** Default true: a non-zero exit throws `DockerCommandError`. false: the result is returned whatever the exit. */
  check?: boolean;
}

export class DockerCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: DockerResult,
  ) {
    const why = result.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ') || `exit code ${result.code}${result.signal ? `, ${result.signal}` : ''}`;
    super(`docker ${args.join(' ')} failed: ${why}`);
    this.name = 'DockerCommandError';
  }
}

export interface DockerEngineOptions {
  /** Parent of the engine's temp folder (default os.tmpdir()); unix socket paths must stay short. */
  tmpRoot?: string;
  /** `--default-address-pool` of the engine's own networks (default base=10.213.0.0/16,size=24). */
  addressPool?: string;
  /** How long dockerd may take to answer (default 60 s), polled with `docker version`. */
  readyTimeoutMs?: number;
  /** The docker CLI (default `docker` on PATH: the one sparktop runs). */
  dockerCli?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /**
   * dockerd's storage driver (default vfs: works everywhere, copies every layer whole). overlay2 is
   * many times faster for images of hundreds of MB; `overlayMountWorks()` tells whether it can work here.
   */
  storageDriver?: 'vfs' | 'overlay2';
}

export interface DockerEngine {
  /** The engine's temp folder: data-root `root/`, exec-root `exec/`, `dockerd.log`, `docker.sock`. */
  dir: string;
  /** Environment for clients of this engine (sparktop, the docker CLI): DOCKER_HOST. */
  env: { DOCKER_HOST: string };
  /** dockerd's version, as `docker version` reports it. */
  serverVersion: string;
  logFile: string;
  dockerd: ProcessRecord;
  /** Runs the docker CLI against this engine; arguments as an array, never a shell string. */
  docker(args: string[], opts?: DockerRunOptions): Promise<DockerResult>;
  /** Stops everything and deletes the folder; safe to call twice, concurrently, or after a failed start. */
  stop(): Promise<void>;
}

export const DEFAULT_ADDRESS_POOL = 'base=10.213.0.0/16,size=24';
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** An executable by name on PATH (and the sbin folders, which a non-login PATH may lack); null when missing. */
export function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SBIN];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** Why a private engine cannot be started here (a skip reason), or null when it can. */
export function dockerEngineUnavailable(): string | null {
  if (process.platform !== 'linux') return 'a private Docker engine needs Linux';
  if (process.getuid?.() !== 0) return 'a private Docker engine needs root (dockerd)';
  for (const tool of ['dockerd', 'containerd', 'runc']) if (!findExecutable(tool)) return `${tool} is not installed (Debian package docker.io)`;
  if (!findExecutable('docker')) return 'the docker CLI is not installed (Debian package docker.io)';
  return null;
}

function runDockerCli(cli: string, env: NodeJS.ProcessEnv, args: string[], opts: DockerRunOptions = {}): Promise<DockerResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {}); // docker may exit before reading all of stdin; its exit code says why
    if (opts.input === undefined) child.stdin.end();
    else if (typeof opts.input === 'string' || Buffer.isBuffer(opts.input)) child.stdin.end(opts.input);
    else opts.input.pipe(child.stdin);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cli}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const result: DockerResult = { code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: timedOut ? `${stderr}\n(no answer within ${timeoutMs / 1000} s)` : stderr };
      if (opts.check !== false && code !== 0) reject(new DockerCommandError(args, result));
      else resolve(result);
    });
  });
}

interface ProcInfo {
  pid: number;
  ppid: number;
  startTime: string;
  cmdline: string;
}

function processTable(): ProcInfo[] {
  const table: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // exited, not yet reaped
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      table.push({ pid: Number(name), ppid: Number(fields[1]), startTime: fields[19] ?? '', cmdline });
    } catch {
      /* gone meanwhile */
    }
  }
  return table;
}

/** The processes whose command line names `dir` (containerd, its shims, docker-proxy), `extra`, and all their descendants. */
function processesOf(dir: string, extra: ProcessRecord[] = []): ProcessRecord[] {
  const table = processTable();
  const roots = new Set(table.filter((p) => p.pid !== process.pid && (p.cmdline.includes(`${dir}/`) || p.cmdline.endsWith(dir))).map((p) => p.pid));
  for (const e of extra) if (isAlive(e)) roots.add(e.pid);
  const found = new Map<number, ProcInfo>();
  let frontier = table.filter((p) => roots.has(p.pid));
  while (frontier.length > 0) {
    for (const p of frontier) found.set(p.pid, p);
    frontier = table.filter((p) => !found.has(p.pid) && found.has(p.ppid));
  }
  return [...found.values()].map((p) => ({ pid: p.pid, startTime: p.startTime }));
}

function signal(rec: ProcessRecord, sig: NodeJS.Signals): void {
  if (!isAlive(rec)) return;
  try {
    process.kill(rec.pid, sig);
  } catch {
    /* gone */
  }
}

async function waitGone(recs: ProcessRecord[], timeoutMs: number): Promise<ProcessRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = recs.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await delay(100);
  }
}

/** `/proc/self/mountinfo`'s mount points at or under `dir` (octal escapes decoded), deepest first. */
export function mountsUnder(dir: string): string[] {
  const decode = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const points = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => decode(line.split(' ')[4] ?? ''))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

/** Unmounts everything under `dir`, deepest first (stacked mounts: again, until none is left); lazily when busy. */
function unmountAll(dir: string, log: (line: string) => void): void {
  for (let pass = 0; pass < 10; pass++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const p of points) {
      log(`  unmounting ${p}`);
      if (spawnSync('umount', [p], { stdio: 'ignore' }).status !== 0) spawnSync('umount', ['-l', p], { stdio: 'ignore' });
    }
  }
}

/**
 * The bridges of the engine's networks that exist in the host's network namespace: the names in
 * its network store (`root/network/files/local-kv.db`, where each network's JSON has its
 * "BridgeName"). Empty once the folder is deleted.
 */
export function bridgesOf(dir: string): string[] {
  let store: string;
  try {
    store = fs.readFileSync(path.join(dir, 'root', 'network', 'files', 'local-kv.db')).toString('latin1');
  } catch {
    return [];
  }
  const names = new Set([...store.matchAll(/"BridgeName":"([\w.-]{1,15})"/g)].map((m) => m[1]!));
  return [...names].filter((n) => fs.existsSync(path.join('/sys/class/net', n, 'bridge')));
}

/** What is left of an engine in `dir`: processes naming it (and their descendants), mounts under it, its networks' bridges. All empty after `stop()`. */
export function engineLeftovers(dir: string): { processes: number[]; mounts: string[]; bridges: string[] } {
  return { processes: processesOf(dir).map((p) => p.pid), mounts: mountsUnder(dir), bridges: bridgesOf(dir) };
}

export async function startDockerEngine(opts: DockerEngineOptions = {}): Promise<DockerEngine> {
  const unavailable = dockerEngineUnavailable();
  if (unavailable) throw new Error(unavailable);
  const log = opts.log ?? (() => {});
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(opts.tmpRoot ?? os.tmpdir(), 'sparktop-dockerd-')));
  const socket = path.join(dir, 'docker.sock');
  // containerd's socket lives at exec/containerd/containerd.sock; a unix socket path has at most 107 bytes.
  if (Buffer.byteLength(path.join(dir, 'exec', 'containerd', 'containerd.sock.ttrpc')) > 100) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${dir} is too long a path for the engine's unix sockets; give a shorter tmpRoot`);
  }
  const env = { DOCKER_HOST: `unix://${socket}` };
  const cli = opts.dockerCli ?? 'docker';
  const logFile = path.join(dir, 'dockerd.log');
  // Its own config file: /etc/docker/daemon.json is not read, and the trust key (/etc/docker/key.json by default) stays in the folder.
  const configFile = path.join(dir, 'daemon.json');
  fs.writeFileSync(configFile, `${JSON.stringify({ 'deprecated-key-path': path.join(dir, 'key.json') })}\n`);
  // prettier-ignore
  const args = [
    '--config-file', configFile,
    '--data-root', path.join(dir, 'root'),
    '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'dockerd.pid'),
    '-H', env.DOCKER_HOST,
    '--iptables=false', '--ip6tables=false',
    '--bridge=none',
    `--storage-driver=${opts.storageDriver ?? 'vfs'}`,
    '--default-address-pool', opts.addressPool ?? DEFAULT_ADDRESS_POOL,
  ];
  const fd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(findExecutable('dockerd')!, args, { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const early: { exited: string | null } = { exited: null };
  child.once('exit', (code, sig) => (early.exited = `dockerd exited (${sig ?? `code ${code}`})`));
  child.once('error', (err) => (early.exited = `dockerd could not be started: ${err.message}`));
  const dockerd: ProcessRecord = { pid: child.pid ?? -1, startTime: child.pid ? processStartTime(child.pid) : null };
  let containerd: ProcessRecord[] = [];
  const started = Date.now();
  log(`  dockerd (pid ${dockerd.pid}) in ${dir}`);

  let stopping: Promise<void> | null = null;
  const docker = (a: string[], o?: DockerRunOptions) => runDockerCli(cli, env, a, o);

  async function stopOnce(): Promise<void> {
    const t0 = Date.now();
    const problems: string[] = [];
    if (dockerd.pid > 0 && isAlive(dockerd)) {
      // The containers first, while the engine answers: their shims are not dockerd's children.
      try {
        const ids = (await docker(['ps', '-aq'], { timeoutMs: 30_000 })).stdout.split('\n').filter(Boolean);
        if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids], { timeoutMs: 60_000 });
      } catch (err) {
        problems.push(`removing the containers: ${(err as Error).message}`);
      }
      // Networks outlive dockerd (their bridges stay in the host's network namespace): removed while it answers.
      try {
        const nets = (await docker(['network', 'ls', '-q', '--filter', 'type=custom'], { timeoutMs: 30_000 })).stdout.split('\n').filter(Boolean);
        if (nets.length > 0) await docker(['network', 'rm', ...nets], { timeoutMs: 60_000 });
      } catch (err) {
        problems.push(`removing the networks: ${(err as Error).message}`);
      }
      containerd = processesOf(dir).filter((p) => p.pid !== dockerd.pid);
      signal(dockerd, 'SIGTERM');
      if ((await waitGone([dockerd], 30_000)).length > 0) {
        problems.push('dockerd did not stop within 30 s of SIGTERM; killed');
        signal(dockerd, 'SIGKILL');
        await waitGone([dockerd], 10_000);
      }
    }
    // What outlived dockerd: containerd, shims, the containers' processes.
    const rest = processesOf(dir, containerd);
    if (rest.length > 0) {
      for (const p of rest) signal(p, 'SIGTERM');
      const alive = await waitGone(rest, 10_000);
      for (const p of alive) signal(p, 'SIGKILL');
      const survivors = await waitGone(alive, 10_000);
      if (survivors.length > 0) problems.push(`processes survived SIGKILL: ${survivors.map((p) => p.pid).join(', ')}`);
    }
    // A bridge left by a dockerd that could not remove its networks (killed): named in its network store.
    for (const name of bridgesOf(dir)) {
      log(`  deleting the bridge ${name}`);
      spawnSync('ip', ['link', 'delete', name, 'type', 'bridge'], { stdio: 'ignore' });
    }
    unmountAll(dir, log);
    const left = engineLeftovers(dir);
    if (left.mounts.length > 0) problems.push(`still mounted: ${left.mounts.join(', ')}`);
    if (left.bridges.length > 0) problems.push(`bridges not deleted: ${left.bridges.join(', ')}`);
    else fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    if (left.processes.length > 0) problems.push(`still running: ${left.processes.join(', ')}`);
    log(`  docker engine stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s${problems.length ? ` (${problems.join('; ')})` : ''}`);
    // Nothing may be left running or mounted; a container that could not be removed is gone with the folder.
    if (left.processes.length > 0 || left.mounts.length > 0 || left.bridges.length > 0) throw new Error(`the test's Docker engine in ${dir} left something behind: ${problems.join('; ')}`);
  }

  const engine: DockerEngine = {
    dir,
    env,
    serverVersion: '',
    logFile,
    dockerd,
    docker,
    stop: () => (stopping ??= stopOnce()),
  };

  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  let last = '';
  try {
    for (;;) {
      if (early.exited) throw new Error(early.exited);
      const r = await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000, check: false });
      if (r.code === 0 && r.stdout.trim()) {
        engine.serverVersion = r.stdout.trim();
        break;
      }
      last = r.stderr.trim().split('\n').at(-1) ?? '';
      if (Date.now() - started > timeoutMs) throw new Error(`no answer within ${timeoutMs / 1000} s (last: ${last})`);
      await delay(250);
    }
  } catch (err) {
    const tail = tailFile(logFile, 15);
    await engine.stop().catch(() => {});
    throw new Error(`the test's Docker engine did not start: ${(err as Error).message}\n${tail}`);
  }
  log(`  dockerd ${engine.serverVersion} answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return engine;
}

/** True when this kernel mounts an overlay filesystem here (tried in a temp folder, then unmounted): dockerd's overlay2 can work. */
export function overlayMountWorks(tmpRoot = os.tmpdir()): boolean {
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'sparktop-overlay-'));
  try {
    for (const d of ['lower', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d));
    const opts = `lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work`;
    if (spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', opts, path.join(dir, 'merged')], { stdio: 'ignore' }).status !== 0) return false;
    spawnSync('umount', [path.join(dir, 'merged')], { stdio: 'ignore' });
    return true;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes an image of a root filesystem folder: `tar -C dir -c .` piped into `docker import - tag` (`changes`: its --change lines). */
export async function importRootfs(engine: DockerEngine, rootfs: string, tag: string, changes: string[] = []): Promise<string> {
  const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tarErr = '';
  tar.stderr.on('data', (c: Buffer) => (tarErr += c.toString()));
  const tarDone = new Promise<number | null>((resolve) => tar.once('close', resolve));
  const imported = await engine.docker(['import', ...changes.flatMap((c) => ['--change', c]), '-', tag], { input: tar.stdout, timeoutMs: 600_000 });
  const tarCode = await tarDone;
  if (tarCode !== 0) throw new Error(`tar of ${rootfs} failed (exit code ${tarCode}): ${tarErr.trim()}`);
  return imported.stdout.trim();
}

/** /bin/busybox of Debian's busybox-static, or the first busybox on PATH. */
export function findBusybox(): string | null {
  return fs.existsSync('/bin/busybox') ? '/bin/busybox' : findExecutable('busybox');
}

/** True when an ELF executable has no program interpreter (PT_INTERP): it runs in an empty root filesystem. */
export function isStaticElf(file: string): boolean {
  const buf = fs.readFileSync(file);
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) return false; // 64-bit little-endian ELF only
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > buf.length) return false;
    if (buf.readUInt32LE(at) === 3) return false; // PT_INTERP
  }
  return true;
}

/** Why `makeBusyboxImage` cannot work here (a skip reason), or null. */
export function busyboxUnavailable(): string | null {
  const bb = findBusybox();
  if (!bb) return 'busybox is not installed (Debian package busybox-static)';
  if (!isStaticElf(bb)) return `${bb} is not statically linked (install the Debian package busybox-static instead of busybox)`;
  return null;
}

/** A root filesystem in `dir`: a static busybox as /bin/busybox, a symlink per applet in /bin, and the usual empty folders. */
export function busyboxRootfs(dir: string, busybox = findBusybox()): void {
  if (!busybox) throw new Error('busybox is not installed (Debian package busybox-static)');
  for (const d of ['bin', 'dev', 'etc', 'proc', 'root', 'sys', 'tmp', 'var']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.copyFileSync(busybox, path.join(dir, 'bin', 'busybox'));
  fs.chmodSync(path.join(dir, 'bin', 'busybox'), 0o755);
  const list = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`${busybox} --list failed: ${list.stderr}`);
  for (const applet of list.stdout.split('\n').filter((a) => /^[\w.[-]+$/.test(a) && a !== 'busybox')) {
    fs.symlinkSync('busybox', path.join(dir, 'bin', applet));
  }
}

export const BUSYBOX_IMAGE = 'sparktop-test/busybox:latest';

/** A tiny image without a registry: busybox-static's /bin/busybox and its applets (sh, ls, cat, sleep, test, …). */
export async function makeBusyboxImage(engine: DockerEngine, tag = BUSYBOX_IMAGE): Promise<string> {
  const rootfs = fs.mkdtempSync(path.join(engine.dir, 'rootfs-'));
  try {
    busyboxRootfs(rootfs);
    await importRootfs(engine, rootfs, tag, ['CMD ["sh"]']);
    return tag;
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
}
