/**
 * The generator image's steps without Docker: compile as the Dockerfile's `npm run build` does, lay
 * out the runtime stage (package.json, bin/, dist/, node_modules), then run the Dockerfile's
 * ENTRYPOINT with the environment docker/load-generator/docker-compose.yaml gives it. With no broker
 * named `kafka` here it must say, naming the broker, that it cannot reach it, and stop on SIGTERM
 * as `docker stop` sends it.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { it } from 'node:test';
import { interpolate, yamlParser } from '../support/composeFiles.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerfile = fs.readFileSync(path.join(ROOT, 'docker', 'generator', 'Dockerfile'), 'utf8').split('\n').map((l) => l.trim());

it('the generator runs from the entry point the image uses, with the compose file\'s environment', { timeout: 180_000 }, async (t) => {
  const yaml = await yamlParser();
  if (!yaml) return t.skip('no YAML parser: add the `yaml` devDependency (or install PyYAML)');
  const compose = yaml.parse(fs.readFileSync(path.join(ROOT, 'docker', 'load-generator', 'docker-compose.yaml'), 'utf8')) as {
    services: { generator: { environment: Record<string, string> } };
  };
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-gen-image-'));
  // build stage: `npm run build` is `tsc -p tsconfig.json`, here into the runtime layout
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', path.join(app, 'dist')]);
  // runtime stage: COPY package.json, bin; node_modules and dist from the build stage
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(app, 'bin'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));

  const imageEnv = Object.fromEntries(
    dockerfile.filter((l) => l.startsWith('ENV ')).map((l) => l.slice(4).split('=') as [string, string]),
  );
  const composeEnv = Object.fromEntries(Object.entries(compose.services.generator.environment).map(([k, v]) => [k, interpolate(String(v))]));
  const [command, ...args] = JSON.parse(dockerfile.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)) as string[];
  assert.equal(command, 'node');
  const child = spawn(process.execPath, args, { cwd: app, env: { PATH: process.env.PATH, ...imageEnv, ...composeEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!/cannot reach Kafka at kafka:9092/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    assert.match(out, /cannot reach Kafka at kafka:9092: .*; retrying/, out);
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    assert.notEqual(code, 'hung', 'stops on SIGTERM');
    assert.match(out, /SIGTERM: stopping/);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(app, { recursive: true, force: true });
  }
});
