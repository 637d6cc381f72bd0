/**
 * What the Docker suite needs beside a private engine (test/e2e/dockerEngine.ts), made here as a
 * user's machine would have it, from the registries this machine reaches:
 *
 * - Compose v2 (`docker compose`): the plugin the docker CLI already finds, or else Compose built
 *   from its Go module (the Go module proxy) once into the suite's cache folder and given to the
 *   docker CLI through a `DOCKER_CONFIG` folder of the suite's own (the user's ~/.docker is untouched);
 * - the Debian base the Dockerfiles start from (`DEBIAN_IMAGE`): no image registry is reachable, so
 *   `debootstrap` makes a bookworm root filesystem from the Debian mirror apt uses, and `docker
 *   import` gives it the tag the Dockerfiles name. Nothing else is made up: the images themselves are
 *   built from docker/*\/Dockerfile by `docker compose up --build`;
 * - the lab's variables: host ports of its own (free now), the worker's cores and memory from this
 *   machine, and the certificates this machine trusts beyond Debian's, for the builds' downloads
 *   (`SPARKTOP_EXTRA_CA_CERTS`, empty where there are none).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../src/lab/ports.js';
import { run as runCommand, type RunResult } from '../../src/lab/provision/exec.js';
import { findExecutable, importRootfs, type DockerEngine } from '../e2e/dockerEngine.js';

/** The Compose release built when the docker CLI has no compose plugin (a Go module the proxy serves). */
export const COMPOSE_MODULE = { path: 'github.com/docker/compose/v5', version: 'v5.6.0' } as const;
/** The tag the Dockerfiles' `ARG DEBIAN_IMAGE` names (docker/*\/Dockerfile, docker-compose.yaml). */
export const DEBIAN_IMAGE = 'debian:bookworm-20250520-slim';

/** The project's runner (argument arrays, no shell) with this process's environment plus `env`, killed after `timeoutMs`. */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return runCommand(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, signal: AbortSignal.timeout(opts.timeoutMs ?? 600_000) });
}

const lastLines = (r: RunResult, n = 5) => (r.stderr || r.stdout).trim().split('\n').slice(-n).join('\n');

/** Why the suite cannot make what it needs here (a skip reason), or null. */
export function dockerLabToolsUnavailable(): string | null {
  if (!findExecutable('debootstrap')) return 'debootstrap is not installed (Debian package debootstrap): it makes the Debian base image';
  if (!findExecutable('tar')) return 'tar is not installed';
  return null;
}

/** Does `docker compose` answer with this DOCKER_CONFIG? Returns its version line or null. */
async function composeVersion(dockerConfig: string): Promise<string | null> {
  const r = await run('docker', ['compose', 'version'], { env: { DOCKER_CONFIG: dockerConfig }, timeoutMs: 30_000 }).catch(() => null);
  return r && r.code === 0 ? r.stdout.trim() : null;
}

/**
 * A DOCKER_CONFIG folder (inside `dir`) with which `docker compose` works: the system's plugin when
 * the docker CLI finds one, else Compose built from its Go module into `cacheDir` (once).
 */
export async function composeConfig(dir: string, cacheDir: string, log: (line: string) => void): Promise<{ dockerConfig: string; version: string }> {
  const dockerConfig = path.join(dir, 'docker-config');
  fs.mkdirSync(path.join(dockerConfig, 'cli-plugins'), { recursive: true });
  const system = await composeVersion(dockerConfig);
  if (system) return { dockerConfig, version: system };

  const binary = path.join(cacheDir, `docker-compose-${COMPOSE_MODULE.version}`, 'docker-compose');
  if (!fs.existsSync(binary)) {
    const go = findExecutable('go');
    if (!go) throw new Error('the docker CLI has no compose plugin and Go is missing to build it (Compose v2 is not packaged in Debian bookworm)');
    const t0 = Date.now();
    log(`  building Compose ${COMPOSE_MODULE.version} from the Go module proxy`);
    const dl = await run(go, ['mod', 'download', '-json', `${COMPOSE_MODULE.path}@${COMPOSE_MODULE.version}`], { env: { GOFLAGS: '-mod=mod' } });
    if (dl.code !== 0) throw new Error(`go mod download ${COMPOSE_MODULE.path}@${COMPOSE_MODULE.version} failed:\n${lastLines(dl)}`);
    const moduleDir = (JSON.parse(dl.stdout) as { Dir?: string }).Dir;
    if (!moduleDir) throw new Error(`go mod download printed no folder for ${COMPOSE_MODULE.path}`);
    // Built in a copy: the module cache is read-only, and its go.mod's exclude directives keep `go install pkg@version` from working.
    const src = fs.mkdtempSync(path.join(dir, 'compose-src-'));
    try {
      fs.cpSync(moduleDir, src, { recursive: true });
      makeWritable(src);
      const out = `${binary}.partial`;
      fs.mkdirSync(path.dirname(binary), { recursive: true });
      const ldflags = `-s -w -X ${COMPOSE_MODULE.path}/internal.Version=${COMPOSE_MODULE.version}`;
      const build = await run(go, ['build', '-trimpath', '-ldflags', ldflags, '-o', out, './cmd'], { cwd: src, env: { GOFLAGS: '-mod=mod', CGO_ENABLED: '0' } });
      if (build.code !== 0) throw new Error(`building Compose failed:\n${lastLines(build, 10)}`);
      fs.renameSync(out, binary);
    } finally {
      fs.rmSync(src, { recursive: true, force: true });
    }
    log(`  Compose built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  fs.symlinkSync(binary, path.join(dockerConfig, 'cli-plugins', 'docker-compose'));
  const version = await composeVersion(dockerConfig);
  if (!version) throw new Error(`${binary} does not answer \`docker compose version\``);
  return { dockerConfig, version };
}

/** The module cache's copy is read-only: folders 0755 and files 0644 so the build can write beside them. */
function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isSymbolicLink()) fs.chmodSync(file, entry.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(dir, 0o755);
}

/** The Debian mirror apt uses here (its sources), else deb.debian.org. */
export function debianMirror(): string {
  const files = ['/etc/apt/sources.list', ...(fs.existsSync('/etc/apt/sources.list.d') ? fs.readdirSync('/etc/apt/sources.list.d').map((f) => path.join('/etc/apt/sources.list.d', f)) : [])];
  for (const file of files) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(https?:\/\/\S+\/debian)\/?\s+bookworm\b/m.exec(text);
    if (oneLine) return oneLine[1]!;
    const deb822 = /^URIs:\s*(https?:\/\/\S+\/debian)\/?\s*$/m.exec(text);
    if (deb822) return deb822[1]!;
  }
  return 'http://deb.debian.org/debian';
}

/** debootstrap (minbase) bookworm → `docker import` as the tag the Dockerfiles start from. */
export async function makeDebianBase(engine: DockerEngine, log: (line: string) => void, tag = DEBIAN_IMAGE): Promise<void> {
  const rootfs = fs.mkdtempSync(path.join(engine.dir, 'debian-'));
  const t0 = Date.now();
  const mirror = debianMirror();
  try {
    const r = await run(findExecutable('debootstrap')!, ['--variant=minbase', 'bookworm', rootfs, mirror], { timeoutMs: 900_000 });
    if (r.code !== 0) throw new Error(`debootstrap bookworm from ${mirror} failed:\n${lastLines(r, 10)}`);
    // As Debian's own images: no downloaded packages, no package lists.
    for (const d of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const f of fs.readdirSync(path.join(rootfs, d))) if (f.endsWith('.deb') || d.endsWith('lists')) fs.rmSync(path.join(rootfs, d, f), { recursive: true, force: true });
    }
    await importRootfs(engine, rootfs, tag, ['CMD ["bash"]']);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
  log(`  ${tag}: debootstrap from ${mirror} and docker import in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** The PEM certificates this machine trusts beyond Debian's (update-ca-certificates' local ones), one text. */
export function localCaCertificates(dir = '/usr/local/share/ca-certificates'): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.crt'))
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8').trim())
    .filter((pem) => pem.includes('BEGIN CERTIFICATE'))
    .join('\n');
}

/** The host ports docker/docker-compose.yaml publishes, each moved by its variable. */
export interface DockerLabPorts {
  KAFKA_HOST_PORT: number;
  KAFKA_DOCKER_HOST_PORT: number;
  SPARK_MASTER_HOST_PORT: number;
  SPARK_MASTER_UI_HOST_PORT: number;
  SPARK_DRIVER_UI_HOST_PORT: number;
  SPARKTOP_LISTENER_HOST_PORT: number;
}

export async function freeLabPorts(): Promise<DockerLabPorts> {
  const ports = new Set<number>();
  while (ports.size < 6) ports.add(await freeLoopbackPort());
  const [a, b, c, d, e, f] = [...ports] as [number, number, number, number, number, number];
  return { KAFKA_HOST_PORT: a, KAFKA_DOCKER_HOST_PORT: b, SPARK_MASTER_HOST_PORT: c, SPARK_MASTER_UI_HOST_PORT: d, SPARK_DRIVER_UI_HOST_PORT: e, SPARKTOP_LISTENER_HOST_PORT: f };
}

/** One worker with every core of this machine and a sixth of its memory (2–4 GB: two 1 GB executors fit). */
export function workerResources(): { cores: number; memoryGb: number } {
  return { cores: os.cpus().length, memoryGb: Math.max(2, Math.min(4, Math.floor(os.totalmem() / 2 ** 30 / 6))) };
}
