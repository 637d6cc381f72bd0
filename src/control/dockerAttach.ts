/**
 * Getting the listener jar into a container whose spark-submit runs the job (the classroom's
 * `spark-client`): under a folder the container mounts from the host when there is one (nothing to
 * copy, it survives a container restart), else `docker cp` into the container. Pure, except that
 * the calls are run by the caller.
 */
import path from 'node:path';
import type { DockerCall } from './dockerCommands.js';

export interface ContainerMount {
  type: string;
  /** Host side. */
  source: string;
  /** Container side. */
  destination: string;
}

export type JarPlacement =
  | { kind: 'mount'; hostPath: string; containerPath: string; mount: ContainerMount }
  | { kind: 'copy'; containerPath: string };

/** `container inspect`, not `inspect`: an image or volume of that name is not a container. */
export const inspectMountsCall = (container: string): DockerCall => ({ args: ['container', 'inspect', '--format', '{{json .Mounts}}', container], env: {} });

export const copyIntoCall = (container: string, file: string, containerPath: string): DockerCall => ({
  args: ['cp', file, `${container}:${containerPath}`],
  env: {},
});

/** `docker inspect --format '{{json .Mounts}}'` → the mounts; a clear error for anything else. */
export function parseMounts(text: string): ContainerMount[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim() || 'null');
  } catch {
    throw new Error(`docker inspect printed no JSON: ${text.trim().slice(0, 80)}`);
  }
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw new Error('docker inspect: .Mounts is not a list');
  return raw.flatMap((m: unknown) => {
    const r = m as { Type?: unknown; Source?: unknown; Destination?: unknown };
    return typeof r?.Type === 'string' && typeof r.Source === 'string' && typeof r.Destination === 'string'
      ? [{ type: r.Type, source: r.Source, destination: r.Destination }]
      : [];
  });
}

/**
 * A bind mount of a host folder the user can write (`writable`) takes the jar; named volumes live in
 * Docker's own storage and are not the user's to write. The shortest container path wins.
 */
export function jarPlacement(mounts: ContainerMount[], jarName: string, writable: (hostDir: string) => boolean): JarPlacement {
  const binds = mounts.filter((m) => m.type === 'bind' && path.isAbsolute(m.destination) && writable(m.source)).sort((a, b) => a.destination.length - b.destination.length);
  const mount = binds[0];
  if (mount) return { kind: 'mount', mount, hostPath: path.join(mount.source, jarName), containerPath: path.posix.join(mount.destination, jarName) };
  return { kind: 'copy', containerPath: path.posix.join('/tmp', jarName) };
}

/**
 * What `attach --docker` says when docker failed, always naming the container: `kind` and `why` as
 * `DockerFailure` (src/control/dockerRunner.ts) has them — for `exit`, docker's last line of stderr,
 * which tells no such container and an engine that does not answer apart from anything else.
 */
export function attachFailureMessage(container: string, kind: 'no-cli' | 'timeout' | 'exit', why: string, dockerHost?: string): string {
  const engine = dockerHost ? `the Docker engine at ${dockerHost}` : 'the Docker engine';
  const notPut = `so the listener jar cannot be put into container "${container}"`;
  if (kind === 'no-cli') return `${why}, ${notPut}`;
  if (kind === 'timeout') return `${engine} does not answer, ${notPut} (${why})`;
  if (/no such (container|object)/i.test(why)) return `no container named "${container}" on ${engine} (\`docker ps -a\` lists them; docker said: ${why})`;
  if (/cannot connect to the docker daemon|error during connect|is the docker daemon running/i.test(why)) return `${engine} does not answer, ${notPut} (docker said: ${why})`;
  return `could not put the listener jar into container "${container}": docker said: ${why}`;
}
