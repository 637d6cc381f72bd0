/**
 * `sparktop serve --metrics HOST:PORT` through the built CLI (`npm run build` first): no screen,
 * `/metrics` from the model, stopped by a signal. Pointed at closed ports, so it never reads a lab
 * the user has running: every source is down, and says so.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/tempDir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'sparktop.js');
const cache = tempDir('sparktop-serve-');
const env = { ...process.env, XDG_CACHE_HOME: cache };
const NOWHERE = ['--kafka', '127.0.0.1:1', '--spark-ui', 'http://127.0.0.1:1', '--spark-master', 'http://127.0.0.1:1', '--progress-url', 'http://127.0.0.1:1'];

after(() => fs.rmSync(cache, { recursive: true, force: true }));

describe('sparktop serve', () => {
  it('serves /metrics until SIGTERM, then exits 0; every source down is 0, nothing unknown is 0', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--metrics', '127.0.0.1:0', '--refresh', '500ms', ...NOWHERE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let url: string | undefined;
      for (let i = 0; i < 300 && !url; i++) {
        url = /serving (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(out)?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(url, `no URL printed:\n${out}`);
      let text = '';
      for (let i = 0; i < 100 && !/sparktop_source_up\{source="kafka"\} 0/.test(text); i++) {
        const res: Response = await fetch(url!);
        assert.equal(res.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
        text = await res.text();
        if (!/source="kafka"\} 0/.test(text)) await new Promise((r) => setTimeout(r, 200));
      }
      for (const source of ['kafka', 'driver', 'master', 'progress']) assert.match(text, new RegExp(`^sparktop_source_up\\{source="${source}"\\} 0$`, 'm'), source);
      assert.doesNotMatch(text, /^sparktop_partition_lag_records/m, 'no lag when nothing is known');
      assert.ok(text.endsWith('# EOF\n'));
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
  });

  it('without --metrics, or with a bad address: a usage error naming the flag, exit 2', () => {
    for (const args of [['serve'], ['serve', '--metrics', 'nowhere']]) {
      const r = spawnSync(process.execPath, [BIN, ...args, ...NOWHERE], { env, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /--metrics|metrics/);
    }
  });
});
