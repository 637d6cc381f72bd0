import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run } from './exec.js';

export interface MavenCoordinate {
  groupId: string;
  artifactId: string;
  version: string;
}

export interface ResolvedArtifact extends MavenCoordinate {
  file: string;
  size: number;
  sha256: string;
}

export interface ArtifactSet {
  name: string;
  artifacts: ResolvedArtifact[];
}

const MANIFEST = 'manifest.json';

/**
 * A throwaway POM whose runtime dependencies are the artifacts wanted. Spark's parent POM names a
 * repository (`gcs-maven-central-mirror`) that many networks cannot reach; redefining that id here
 * points it at Maven Central, and any mirror in the user's settings.xml still applies on top.
 */
export function buildPom(name: string, deps: MavenCoordinate[]): string {
  const depXml = deps
    .map((d) => `    <dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version></dependency>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sparktop.lab</groupId>
  <artifactId>${name}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <repositories>
    <repository><id>gcs-maven-central-mirror</id><url>https://repo.maven.apache.org/maven2</url></repository>
  </repositories>
  <dependencies>
${depXml}
  </dependencies>
</project>
`;
}

/** Reads group/artifact/version back from a path in Maven repository layout. */
export function coordinateFromRepoPath(rel: string): MavenCoordinate | null {
  const parts = rel.split(path.sep);
  if (parts.length < 4) return null;
  const version = parts[parts.length - 2]!;
  const artifactId = parts[parts.length - 3]!;
  const groupId = parts.slice(0, -3).join('.');
  return { groupId, artifactId, version };
}

function listJars(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJars(full, base));
    else if (entry.name.endsWith('.jar')) out.push(path.relative(base, full));
  }
  return out.sort();
}

/** A jar is a zip: it must end with an end-of-central-directory record. */
export function looksLikeZip(file: string): boolean {
  const size = fs.statSync(file).size;
  if (size < 22) return false;
  const len = Math.min(size, 65_557);
  const buf = Buffer.alloc(len);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, len, size - len);
  } finally {
    fs.closeSync(fd);
  }
  const head = Buffer.alloc(4);
  const fd2 = fs.openSync(file, 'r');
  try {
    fs.readSync(fd2, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd2);
  }
  return head.readUInt32LE(0) === 0x04034b50 && buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) >= 0;
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The artifact set as cached, or null when it is missing or incomplete (no network involved). */
export function readArtifactSet(dir: string): ArtifactSet | null {
  try {
    const set = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as ArtifactSet;
    for (const a of set.artifacts) {
      const st = fs.statSync(a.file);
      if (st.size !== a.size) return null;
    }
    return set;
  } catch {
    return null;
  }
}

function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/**
 * Resolves `deps` and their runtime dependencies with the machine's Maven (so settings.xml mirrors
 * and proxies apply), with strict checksums, into `dir`. Files land in a temporary folder first and
 * the manifest is written last: a half-finished download is never used.
 */
export async function ensureArtifacts(
  name: string,
  deps: MavenCoordinate[],
  dir: string,
  workDir: string,
  log: (line: string) => void,
): Promise<ArtifactSet> {
  const cached = readArtifactSet(dir);
  if (cached) return cached;
  const pomDir = path.join(workDir, name);
  fs.mkdirSync(pomDir, { recursive: true });
  fs.writeFileSync(path.join(pomDir, 'pom.xml'), buildPom(name, deps));
  const staging = `${dir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  log(`  resolving ${deps.map((d) => `${d.artifactId}:${d.version}`).join(', ')} with Maven`);
  let fetchedBytes = 0;
  let fetchedFiles = 0;
  const mvn = process.env.SPARKTOP_MVN ?? 'mvn';
  let result;
  try {
    result = await run(
      mvn,
      [
        '-B',
        '-C',
        '-f',
        path.join(pomDir, 'pom.xml'),
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
        '-DincludeScope=runtime',
        '-Dmdep.useRepositoryLayout=true',
        `-DoutputDirectory=${staging}`,
      ],
      {
        onLine: (line) => {
          const m = /Downloaded from [^:]+: (\S+) \(([\d.]+) (B|kB|MB|GB)/.exec(line);
          if (!m) return;
          const mult = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[3] as 'B' | 'kB' | 'MB' | 'GB'];
          fetchedBytes += Number(m[2]) * mult;
          fetchedFiles += 1;
          const big = m[1]!.endsWith('.jar') && Number(m[2]) * mult >= 1e6;
          if (big || fetchedFiles % 25 === 0) {
            log(`    ${big ? `fetched ${path.basename(m[1]!)} (${m[2]} ${m[3]})` : 'fetching'} — ${fetchedFiles} files, ${formatBytes(fetchedBytes)} so far`);
          }
        },
      },
    );
  } catch (err) {
    throw new Error(`Maven is needed to fetch the lab's Java artifacts and could not be run (${(err as Error).message}). Install it, e.g. \`apt-get install maven\`.`);
  }
  if (result.code !== 0) {
    const errors = result.stdout.split('\n').filter((l) => l.includes('[ERROR]')).slice(0, 4).join('\n');
    throw new Error(`Maven could not resolve ${name}:\n${errors}`);
  }
  const artifacts: ResolvedArtifact[] = [];
  for (const rel of listJars(staging)) {
    const coord = coordinateFromRepoPath(rel);
    const stagedFile = path.join(staging, rel);
    if (!coord) throw new Error(`unexpected file from Maven: ${rel}`);
    if (!looksLikeZip(stagedFile)) throw new Error(`downloaded ${rel} is not a valid jar (truncated or corrupt); delete ~/.m2/repository/${rel} and retry`);
    artifacts.push({ ...coord, file: path.join(dir, rel), size: fs.statSync(stagedFile).size, sha256: sha256(stagedFile) });
  }
  if (artifacts.length === 0) throw new Error(`Maven resolved no jars for ${name}`);
  fs.renameSync(staging, dir);
  const set: ArtifactSet = { name, artifacts };
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(set, null, 2));
  log(`  ${name}: ${artifacts.length} jars, ${formatBytes(artifacts.reduce((s, a) => s + a.size, 0))}${fetchedFiles ? `, ${formatBytes(fetchedBytes)} downloaded` : ' (from the local Maven repository)'}`);
  return set;
}
