import fs from 'node:fs';
import path from 'node:path';
import { PINNED } from '../versions.js';
import { run } from './exec.js';

export interface PythonEnv {
  python: string;
  sparkHome: string;
  pysparkVersion: string;
}

const MARKER = '.sparktop-provisioned.json';

/** The provisioned virtual environment, or null when it is missing, half-built or of another version. */
export function readPythonEnv(venvDir: string): PythonEnv | null {
  try {
    const env = JSON.parse(fs.readFileSync(path.join(venvDir, MARKER), 'utf8')) as PythonEnv;
    if (env.pysparkVersion !== PINNED.pyspark) return null;
    if (!fs.existsSync(env.python) || !fs.existsSync(path.join(env.sparkHome, 'bin', 'spark-submit'))) return null;
    return env;
  } catch {
    return null;
  }
}

/**
 * Creates a virtual environment with the pinned pyspark. The marker file is written last, so an
 * interrupted install is never taken for a finished one: it is deleted and redone next time.
 */
export async function ensurePythonEnv(venvDir: string, basePython: string, log: (line: string) => void): Promise<PythonEnv> {
  const existing = readPythonEnv(venvDir);
  if (existing) return existing;
  if (fs.existsSync(venvDir)) {
    log(`  removing incomplete environment ${venvDir}`);
    fs.rmSync(venvDir, { recursive: true, force: true });
  }
  log(`  creating Python virtual environment ${venvDir}`);
  const mk = await run(basePython, ['-m', 'venv', venvDir]);
  if (mk.code !== 0) {
    throw new Error(
      `cannot create a virtual environment with ${basePython} (install python3-venv): ${(mk.stderr || mk.stdout).trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  const python = path.join(venvDir, 'bin', 'python');
  log(`  installing pyspark==${PINNED.pyspark} from PyPI (about 430 MB, built once and cached)`);
  let lastShown = '';
  const pip = await run(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', `pyspark==${PINNED.pyspark}`],
    {
      onLine: (line) => {
        const t = line.trim();
        if (/^(Collecting|Downloading|Building|Installing|Successfully)/.test(t) && t !== lastShown) {
          lastShown = t;
          log(`    ${t}`);
        }
      },
    },
  );
  if (pip.code !== 0) {
    throw new Error(`pip could not install pyspark==${PINNED.pyspark}: ${(pip.stderr || pip.stdout).trim().split('\n').slice(-5).join('\n')}`);
  }
  const where = await run(python, ['-c', 'import os, pyspark; print(os.path.dirname(pyspark.__file__)); print(pyspark.__version__)']);
  const [sparkHome, version] = where.stdout.trim().split('\n');
  if (where.code !== 0 || !sparkHome || version !== PINNED.pyspark) {
    throw new Error(`pyspark did not import after installation: ${where.stderr.trim()}`);
  }
  if (!fs.existsSync(path.join(sparkHome, 'bin', 'spark-submit')) || !fs.existsSync(path.join(sparkHome, 'jars'))) {
    throw new Error(`pyspark at ${sparkHome} has no bin/spark-submit or jars/: the package is incomplete`);
  }
  const env: PythonEnv = { python, sparkHome, pysparkVersion: version };
  fs.writeFileSync(path.join(venvDir, MARKER), JSON.stringify(env, null, 2));
  return env;
}
