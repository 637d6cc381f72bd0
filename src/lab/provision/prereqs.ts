import { MIN_JAVA_MAJOR, MIN_PYTHON } from '../versions.js';
import { run } from './exec.js';

export class MissingPrerequisite extends Error {}

export function parseJavaMajor(versionOutput: string): number | null {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return null;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

export function parsePythonVersion(versionOutput: string): [number, number] | null {
  const m = /Python (\d+)\.(\d+)/.exec(versionOutput);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export interface Prerequisites {
  java: string;
  javaMajor: number;
  python: string;
  pythonVersion: string;
}

export async function checkPrerequisites(python: string): Promise<Prerequisites> {
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  let javaOut: string;
  try {
    const r = await run(java, ['-version']);
    javaOut = r.stderr + r.stdout;
  } catch {
    throw new MissingPrerequisite(
      `Java ${MIN_JAVA_MAJOR} or newer is needed and was not found (${java}). Install a JDK, e.g. \`apt-get install openjdk-17-jdk-headless\`, or set JAVA_HOME.`,
    );
  }
  const javaMajor = parseJavaMajor(javaOut);
  if (javaMajor === null || javaMajor < MIN_JAVA_MAJOR) {
    throw new MissingPrerequisite(
      `Java ${MIN_JAVA_MAJOR} or newer is needed; found ${javaMajor ?? 'an unknown version'} (${java}). Install e.g. openjdk-17-jdk-headless or point JAVA_HOME at a newer JDK.`,
    );
  }
  let pyOut: string;
  try {
    const r = await run(python, ['--version']);
    pyOut = r.stdout + r.stderr;
  } catch {
    throw new MissingPrerequisite(
      `Python ${MIN_PYTHON.join('.')} or newer is needed and was not found (${python}). Install python3 and python3-venv, or pass --python.`,
    );
  }
  const pv = parsePythonVersion(pyOut);
  if (!pv || pv[0] < MIN_PYTHON[0] || (pv[0] === MIN_PYTHON[0] && pv[1] < MIN_PYTHON[1])) {
    throw new MissingPrerequisite(`Python ${MIN_PYTHON.join('.')} or newer is needed; found ${pyOut.trim() || 'nothing'} (${python}).`);
  }
  return { java, javaMajor, python, pythonVersion: `${pv[0]}.${pv[1]}` };
}
