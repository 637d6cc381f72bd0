// The PySpark side of sparktop (spark-apps/): the progress listener's store and HTTP server
// and the job's configuration, tested by the stdlib-only Python unit tests in test/python,
// plus a syntax check of both spark-apps files. Needs `python3` (>= 3.8) on PATH; no pyspark.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = process.env.PYTHON ?? 'python3';
const SPARK_APPS = [
  'spark-apps/spark_structured_streaming_logs_processing.py',
  'spark-apps/sparktop_listener.py',
];

function python(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(PYTHON, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
    // no bytecode next to the sources; unbuffered so a timeout still shows output
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', ...env },
  });
}

function report(r: SpawnSyncReturns<string>): string {
  return [
    `exit ${String(r.status)}${r.signal ? ` (signal ${r.signal})` : ''}${r.error ? ` (${r.error.message})` : ''}`,
    '--- stdout ---',
    r.stdout ?? '',
    '--- stderr ---',
    r.stderr ?? '',
  ].join('\n');
}

describe('spark-apps (python)', () => {
  it('python unit tests pass (store, HTTP server, job config)', () => {
    const r = python(['-m', 'unittest', 'discover', '-s', 'test/python', '-v']);
    if (r.status !== 0) console.error(report(r));
    assert.equal(r.error, undefined, report(r));
    assert.equal(r.status, 0, 'python -m unittest failed; output above');
    // unittest writes its summary to stderr
    assert.match(r.stderr, /\nOK\b/, report(r));
  });

  it('py_compile accepts both spark-apps files', () => {
    // compile into a scratch prefix so nothing is written under spark-apps/
    const prefix = mkdtempSync(join(tmpdir(), 'sparktop-pycompile-'));
    try {
      for (const file of SPARK_APPS) {
        const r = python(['-m', 'py_compile', file], { PYTHONPYCACHEPREFIX: prefix });
        if (r.status !== 0) console.error(report(r));
        assert.equal(r.status, 0, `py_compile rejected ${file}: ${r.stderr}`);
      }
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('the job rejects an invalid setting with exit code 2 before starting Spark', () => {
    const r = python([SPARK_APPS[0]!, '--trigger', 'whenever'], { TRIGGER: '' });
    assert.equal(r.status, 2, report(r));
    assert.match(r.stderr, /invalid --trigger/, report(r));
  });
});
