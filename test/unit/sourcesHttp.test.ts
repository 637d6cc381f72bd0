import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { HttpEndpoint, isLoopback } from '../../src/sources/http.js';

describe('HttpEndpoint', () => {
  it('knows loopback addresses', () => {
    for (const url of ['http://127.0.0.1:4040', 'http://localhost:8080/', 'http://[::1]:4090', 'http://127.1.2.3']) assert.equal(isLoopback(url), true, url);
    for (const url of ['http://spark-master:8080', 'http://10.0.0.5:4040', 'not a url']) assert.equal(isLoopback(url), false, url);
  });

  it('asks a loopback server for uncompressed answers and parses JSON', async () => {
    let encoding: string | undefined;
    const server = http.createServer((req, res) => {
      encoding = req.headers['accept-encoding'];
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new HttpEndpoint(`http://127.0.0.1:${port}`).get('/x');
      assert.deepEqual(answer, { status: 200, body: { ok: true } });
      assert.equal(encoding, 'identity');
    } finally {
      server.close();
    }
  });
});
