/**
 * A new application's listener on the port the monitor reads (a resubmission): the monitor's
 * `since` names the old run, which the new listener does not know, so by the `since`-only rule it
 * would leave out the new run's batches up to the old run's last id. The sampler then reads
 * everything the new listener holds: every batch of the new run arrives, in order. Real listener
 * stores (the JVM one, as the lab's job runs it) fed the recorded runs; a forwarding proxy stands
 * for the port that passes from the old driver to the new one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Sample } from '../../src/model/samples.js';
import { Sampler } from '../../src/sources/sampler.js';
import { compileHarness, fixture, progressEvent, serveWithJava, stop, type Progress, type Served } from './listenerHarness.js';
import { tempDir } from '../support/tempDir.js';

const RUN1 = fixture<Progress[]>('rate-count-run1.json');
const RUN3 = fixture<Progress[]>('rate-count-run3-fresh-checkpoint.json');

describe("a new application's listener on the monitor's listener port", () => {
  const dir = tempDir('sparktop-listener-takeover-');
  const classes = path.join(dir, 'classes');
  const served: Served[] = [];
  let proxy: http.Server;
  let target = 0;

  before(async () => {
    fs.mkdirSync(classes);
    await compileHarness(classes);
    proxy = http.createServer((req, res) => {
      const upstream = http.get({ host: '127.0.0.1', port: target, path: req.url }, (u) => {
        res.writeHead(u.statusCode ?? 502, u.headers);
        u.pipe(res);
      });
      upstream.on('error', () => res.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });

  after(() => {
    for (const s of served) stop(s);
    proxy?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the new run from its batch 0 though the old run had reached the same batch ids', async () => {
    const oldRun = RUN1.filter((p) => p.batchId <= 1);
    assert.ok(RUN3[0]!.batchId === 0 && RUN3.length >= 3 && RUN3[0]!.runId !== oldRun[0]!.runId, 'a fresh run from batch 0');
    const started = (p: Progress) => ({ kind: 'started' as const, id: p.id, runId: p.runId, name: p.name });
    const old = await serveWithJava(classes, dir, 'old', [started(oldRun[0]!), ...oldRun.map(progressEvent)], { capacity: 2000, settings: {} });
    served.push(old);
    const fresh = await serveWithJava(classes, dir, 'new', [started(RUN3[0]!), ...RUN3.map(progressEvent)], { capacity: 2000, settings: {} });
    served.push(fresh);

    const delivered: Array<[string, number]> = [];
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const sampler = new Sampler({
      kafka: '127.0.0.1:1',
      kafkaLogin: { auth: null },
      topic: 'logs',
      group: null,
      sparkUi: 'http://127.0.0.1:1',
      sparkMaster: 'http://127.0.0.1:1',
      progressUrl: url,
      refreshMs: 1000,
      generatorsDir: null,
      onSample: (s: Sample) => {
        if (s.kind === 'progress') for (const p of s.data.progress) delivered.push([p.runId, p.batchId]);
      },
    });
    try {
      target = old.port;
      await sampler.poll();
      assert.deepEqual(delivered, oldRun.map((p) => [p.runId, p.batchId]), "the old run's batches");
      // The port now answers for the new application, which already finished batches 0..n.
      target = fresh.port;
      await sampler.poll();
      await sampler.poll();
    } finally {
      await sampler.stop();
    }
    assert.deepEqual(delivered.slice(oldRun.length), RUN3.map((p) => [p.runId, p.batchId]), 'every batch of the new run, from 0, in order, once');
  });
});
