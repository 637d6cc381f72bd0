/**
 * A jar compiled by the JDK from Java sources under spark-apps/ against the jars pyspark ships,
 * built once per source hash into `<cacheDir>/<cacheFolder>/<hash16>/`: the progress listener
 * (listenerJar.ts) and the lab master's UI guard (uiGuardJar.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run } from './exec.js';

export interface JavaJarSpec {
  /** What it is, for messages: "the sparktop listener jar". */
  what: string;
  sourceDir: string;
  /** javac --release. */
  release: string;
  jarName: string;
  /** Folder of the cache folder the builds go to. */
  cacheFolder: string;
}

export interface BuiltJar {
  jar: string;
  sourceHash: string;
}

/** javac or jar is missing or failed; `output` is what it printed. */
export class JavaBuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(output ? `${message}\n${output}` : message);
    this.name = 'JavaBuildError';
  }
}

function javaSources(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaSources(full, base));
    else if (entry.name.endsWith('.java')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** sha256 over the sorted relative paths and contents of the Java sources, and the javac release. */
export function javaSourceHash(sourceDir: string, release: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(`javac --release ${release}\0`);
  for (const rel of javaSources(sourceDir)) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(sourceDir, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The JDK's tool: from $JAVA_HOME when it has one, else from the PATH. */
function jdkTool(name: string): string {
  const home = process.env.JAVA_HOME;
  const inHome = home ? path.join(home, 'bin', name) : '';
  return inHome && fs.existsSync(inHome) ? inHome : name;
}

async function runTool(spec: JavaJarSpec, tool: string, args: string[]): Promise<void> {
  let result;
  try {
    result = await run(jdkTool(tool), args);
  } catch (err) {
    throw new JavaBuildError(`${tool} is needed to build ${spec.what} and could not be run (${(err as Error).message}); install a JDK (${spec.release} or newer)`, '');
  }
  if (result.code !== 0) throw new JavaBuildError(`${tool} failed (exit code ${result.code}):`, `${result.stdout}${result.stderr}`.trim());
}

/**
 * The jar of the current sources. It is compiled in a temporary folder renamed into place when
 * complete, so a half-built jar is never returned, also when two builds race.
 */
export async function ensureJavaJar(spec: JavaJarSpec, cacheDir: string, sparkHome: string, log: (line: string) => void): Promise<BuiltJar> {
  const sourceHash = javaSourceHash(spec.sourceDir, spec.release);
  const finalDir = path.join(cacheDir, spec.cacheFolder, sourceHash.slice(0, 16));
  const jar = path.join(finalDir, spec.jarName);
  if (fs.existsSync(jar)) return { jar, sourceHash };

  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  const tmpDir = fs.mkdtempSync(`${finalDir}.partial-`);
  try {
    const classes = path.join(tmpDir, 'classes');
    fs.mkdirSync(classes);
    const started = Date.now();
    log(`  building ${spec.what} (javac --release ${spec.release})`);
    const sources = javaSources(spec.sourceDir).map((rel) => path.join(spec.sourceDir, rel));
    const classpath = path.join(sparkHome, 'jars', '*'); // javac expands the wildcard itself
    await runTool(spec, 'javac', ['--release', spec.release, '-nowarn', '-encoding', 'UTF-8', '-cp', classpath, '-d', classes, ...sources]);
    await runTool(spec, 'jar', ['--create', '--file', path.join(tmpDir, spec.jarName), '-C', classes, '.']);
    fs.rmSync(classes, { recursive: true, force: true });
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (err) {
      // another build of the same sources finished first: use its jar
      if (!fs.existsSync(jar)) throw err;
    }
    log(`  ${spec.what} built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${jar}`);
    return { jar, sourceHash };
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
