import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { Sample } from '../../../src/model/samples.js';
import type { HttpEndpoint } from '../../../src/sources/http.js';
import { KafkaOffsetsReader } from '../../../src/sources/kafka.js';
import { Sampler } from '../../../src/sources/sampler.js';
import { LAB, labKafkaAuth, labKafkaClient } from '../labUnderTest.js';

const KAFKA = LAB.kafka;

/** The sources against the live lab: request budget on the driver, read-only consumer-group offsets. */
export function sourcesSuite(): void {
  it('asks the driver at most ~4 requests/s at the default 1 s refresh, one in flight per endpoint', async () => {
    const samples: Sample[] = [];
    const sampler = new Sampler({
      kafka: KAFKA,
      kafkaLogin: { auth: labKafkaAuth() },
      topic: 'logs',
      group: null,
      sparkUi: LAB.driverUi,
      sparkMaster: LAB.masterUi,
      progressUrl: LAB.listener,
      refreshMs: 1000,
      generatorsDir: null,
      onSample: (s) => samples.push(s),
    });
    const driver = (sampler as unknown as { driver: HttpEndpoint }).driver;
    const realGet = driver.get.bind(driver);
    let requests = 0;
    let inFlight = 0;
    let maxInFlightPerPath = 0;
    const perPath = new Map<string, number>();
    driver.get = async (path: string) => {
      if (driver.busy(path)) return realGet(path); // skipped by the endpoint itself: not a request
      requests++;
      inFlight++;
      perPath.set(path, (perPath.get(path) ?? 0) + 1);
      maxInFlightPerPath = Math.max(maxInFlightPerPath, perPath.get(path)!);
      try {
        return await realGet(path);
      } finally {
        inFlight--;
        perPath.set(path, perPath.get(path)! - 1);
      }
    };
    const t0 = Date.now();
    sampler.start();
    await new Promise((r) => setTimeout(r, 20_000));
    await sampler.stop();
    const perSecond = requests / ((Date.now() - t0) / 1000);
    assert.ok(perSecond <= 4, `${perSecond.toFixed(2)} requests/s to the driver`);
    assert.ok(requests > 10, 'the driver was polled');
    assert.equal(maxInFlightPerPath, 1, 'never two requests for the same endpoint at once');
    assert.equal(inFlight, 0);
    for (const kind of ['kafka', 'executors', 'master', 'progress']) assert.ok(samples.some((s) => s.kind === kind), `${kind} samples`);
    assert.ok(!samples.some((s) => s.kind === 'source-error'), 'no source error against the healthy lab');
  });

  it("is dropped without the lab's Kafka login, says why, and gets in with it as its other way in", async () => {
    const auth = labKafkaAuth();
    assert.ok(auth, 'the lab\'s Kafka runs with a login');
    const reader = new KafkaOffsetsReader({ bootstrap: KAFKA, auth: null, otherwise: auth }, 'logs', null);
    try {
      const refused = await reader.read();
      assert.equal(refused?.status, null, JSON.stringify(refused));
      assert.match((refused!.body as { error: string }).error, /SASL/, 'the reason names what is missing');
      const admitted = await reader.read();
      assert.equal(admitted?.status, 0, JSON.stringify(admitted));
      assert.equal((admitted!.body as { offsets: unknown[] }).offsets.length, 2);
    } finally {
      await reader.close();
    }
  });

  it('reads a consumer group\'s offsets for --group without committing anything', async () => {
    const groupId = `sparktop-test-group-${Date.now()}`;
    const admin = labKafkaClient({ brokers: [KAFKA] }).admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId, topic: 'logs', partitions: [{ partition: 0, offset: '5' }, { partition: 1, offset: '7' }] });
      const reader = new KafkaOffsetsReader({ bootstrap: KAFKA, auth: labKafkaAuth() }, 'logs', groupId);
      const first = await reader.read();
      const second = await reader.read();
      await reader.close();
      for (const answer of [first, second]) {
        assert.equal(answer?.status, 0);
        const group = (answer!.body as { group: { groupId: string; offsets: Array<{ partition: number; offset: number | null }> } }).group;
        assert.equal(group.groupId, groupId);
        assert.deepEqual(group.offsets.sort((a, b) => a.partition - b.partition), [
          { partition: 0, offset: 5 },
          { partition: 1, offset: 7 },
        ]);
      }
      const after = await admin.fetchOffsets({ groupId, topics: ['logs'] });
      assert.deepEqual(after[0]!.partitions.map((p) => p.offset).sort(), ['5', '7'], 'the group\'s offsets are unchanged');
    } finally {
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  });
}
