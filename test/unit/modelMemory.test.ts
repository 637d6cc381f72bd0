/**
 * Memory stays bounded regardless of uptime (every history is a ring), and derive stays linear:
 * ~100 000 re-timed copies of recorded samples, and one recording widened to 1000 partitions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HYSTERESIS, RULES } from '../../src/model/advisor/index.js';
import { applySample, createModel, DEFAULT_CAPACITY, derive, retainedSizes, Ring, type Sample } from '../../src/model/index.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';

describe('Ring', () => {
  it('keeps the newest `capacity` items, oldest first', () => {
    const r = new Ring<number>(3);
    assert.equal(r.push(1), undefined);
    r.push(2);
    r.push(3);
    assert.equal(r.push(4), 1);
    assert.deepEqual(r.toArray(), [2, 3, 4]);
    assert.deepEqual(r.toArray(2), [3, 4]);
    assert.equal(r.size, 3);
    assert.equal(r.at(0), 2);
    assert.equal(r.at(-1), 4);
    assert.equal(r.at(3), undefined);
    r.set(-1, 40);
    assert.equal(r.newest(), 40);
    assert.equal(r.oldest(), 2);
    r.clear();
    assert.equal(r.size, 0);
    assert.deepEqual(r.toArray(), []);
  });

  it('finds the newest item at or before a key by binary search', () => {
    const r = new Ring<{ t: number }>(4);
    for (const t of [10, 20, 30, 40, 50]) r.push({ t }); // 10 evicted
    assert.equal(r.lastIndexAtOrBefore(5, (x) => x.t), -1);
    assert.equal(r.lastIndexAtOrBefore(20, (x) => x.t), 0);
    assert.equal(r.lastIndexAtOrBefore(39, (x) => x.t), 1);
    assert.equal(r.lastIndexAtOrBefore(99, (x) => x.t), 3);
  });

  it('rejects a capacity below 1', () => {
    assert.throws(() => new Ring(0), RangeError);
  });
});

/**
 * Copy `k` of a recording, shifted `k` spans later: times, batch starts and batch ids, and Kafka
 * offsets move forward (so each copy looks like new data, not a replay), and each copy runs as
 * its own application.
 */
function retimed(samples: Sample[], k: number, span: number, offsetSpan: number): Sample[] {
  const dt = k * span;
  const shift = (iso: string) => new Date(Date.parse(iso) + dt).toISOString();
  const app = (id: string) => `${id}-copy${k}`;
  return samples.map((s): Sample => {
    const t = s.t + dt;
    switch (s.kind) {
      case 'kafka':
        return { ...s, t, data: { ...s.data, partitions: s.data.partitions.map((p) => ({ ...p, logEndOffset: p.logEndOffset + k * offsetSpan })) } };
      case 'executors':
        return { ...s, t, data: { ...s.data, appId: app(s.data.appId) } };
      case 'stages':
      case 'jobs':
        return { ...s, t, data: { ...s.data, appId: app(s.data.appId) } } as Sample;
      case 'progress':
        return {
          ...s,
          t,
          data: {
            ...s.data,
            progress: s.data.progress.map((p) => {
              const sources = p.sources.map((src) => {
                const end = src.endOffset as Record<string, Record<string, number>>;
                const moved = Object.fromEntries(
                  Object.entries(end).map(([topic, parts]) => [topic, Object.fromEntries(Object.entries(parts).map(([q, o]) => [q, o + k * offsetSpan]))]),
                );
                return { ...src, endOffset: moved };
              });
              return { ...p, timestamp: shift(p.timestamp), batchId: p.batchId + k * 100_000, sources };
            }),
            derivedBatches: s.data.derivedBatches.map((b) => ({ ...b, startedAt: b.startedAt + dt, batchId: b.batchId + k * 100_000 })),
          },
        };
      default:
        return { ...s, t } as Sample;
    }
  });
}

describe('bounded memory', () => {
  it('keeps every history bounded over ~100 000 samples (re-timed copies of the resubmit recording)', () => {
    const base = samplesFromFixture('resubmit');
    const first = base[0]!.t;
    const last = base[base.length - 1]!.t;
    const span = last - first + 1000;
    const kafka = base.filter((s): s is Extract<Sample, { kind: 'kafka' }> => s.kind === 'kafka');
    const offsetSpan = kafka[kafka.length - 1]!.data.partitions[0]!.logEndOffset - kafka[0]!.data.partitions[0]!.logEndOffset + 1;

    const model = createModel();
    let applied = 0;
    let maxExecutors = 0;
    for (let k = 0; applied < 100_000; k++) {
      for (const s of retimed(base, k, span, offsetSpan)) {
        applySample(model, s);
        applied++;
        if (s.kind === 'executors') maxExecutors = Math.max(maxExecutors, s.data.executors.length);
      }
      for (const m of [1, 2, 3]) applySample(model, { t: first + k * span + 500 + m, kind: 'mark', data: { note: `copy ${k}.${m}` } });
      applySample(model, {
        t: first + k * span + 600,
        kind: 'control',
        data: { action: 'resubmit', detail: { copy: k }, result: 'ok', durationMs: 1000, message: null },
      });
      if (k % 10 === 0) derive(model, model.lastT!);
    }
    const d = derive(model, model.lastT!);
    const sizes = retainedSizes(model);
    const c = DEFAULT_CAPACITY;

    assert.ok(applied >= 100_000);
    assert.equal(sizes.kafkaHistory, c.kafkaHistory);
    assert.equal(sizes.lagSeries, c.lagSeries);
    assert.equal(sizes.commits, c.commits);
    assert.equal(sizes.batchRows, c.batches);
    assert.equal(sizes.batchEvents, c.batches);
    assert.ok(sizes.batchIndex <= c.batches, `batch index ${sizes.batchIndex}`);
    assert.equal(sizes.events, c.events);
    assert.equal(sizes.marks, c.marks);
    assert.equal(sizes.appChanges, c.appChanges);
    assert.ok(sizes.seenRuns <= 50 && sizes.terminatedRuns <= 50);
    assert.ok(sizes.executors <= maxExecutors, `executors ${sizes.executors}`);
    assert.ok(sizes.executorPoints <= c.executorHistory);
    assert.ok(sizes.movedPartitions <= 2);
    assert.ok(sizes.memo <= 12, `memo ${sizes.memo}`);
    assert.ok(sizes.advisorTracks <= RULES.length + 1, `advisor tracks ${sizes.advisorTracks}`);
    assert.ok(sizes.advisorCleared <= DEFAULT_HYSTERESIS.cleared);
    assert.ok(sizes.advisorFailures <= 128);

    assert.equal(d.batches.rows.length, c.batches);
    assert.equal(d.rates.series.length, c.rateSeries);
    assert.equal(d.partitions.lagSeries.length, c.lagSeries);
    assert.equal(d.events.length, c.events);
    assert.equal(d.marks.length, c.marks);
    assert.equal(d.appChanges.length, c.appChanges);
    // still a working model at the end
    assert.equal(d.partitions.rows.length, 2);
    assert.ok(d.partitions.rows.every((r) => r.lag !== null));
  });
});

describe('derive cost', () => {
  it('stays linear: 1000 partitions × 200 executors derive in well under a frame', () => {
    const P = 1000;
    const E = 200;
    const widened = samplesFromFixture('resubmit').map((s): Sample => {
      if (s.kind === 'kafka') {
        const p0 = s.data.partitions[0]!;
        return { ...s, data: { ...s.data, partitions: Array.from({ length: P }, (_, i) => ({ ...p0, partition: i })) } };
      }
      if (s.kind === 'executors') {
        const worker = s.data.executors.find((e) => e.id !== 'driver');
        if (!worker) return s;
        const copies = Array.from({ length: E }, (_, i) => ({ ...worker, id: String(i), totalDuration: worker.totalDuration * (1 + (i % 7) / 10) }));
        return { ...s, data: { ...s.data, executors: [...s.data.executors.filter((e) => e.id === 'driver'), ...copies] } };
      }
      if (s.kind === 'progress') {
        const progress = s.data.progress.map((p) => {
          const src = p.sources[0]!;
          const end = (src.endOffset as Record<string, Record<string, number>>).logs!;
          const wide = Object.fromEntries(Array.from({ length: P }, (_, i) => [String(i), end['0']!]));
          return { ...p, sources: [{ ...src, endOffset: { logs: wide } }] };
        });
        return { ...s, data: { ...s.data, progress } };
      }
      return s;
    });
    const model = createModel();
    for (const s of widened) applySample(model, s);
    const now = model.lastT!;
    derive(model, now);
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) {
      model.memo.clear(); // no cache: the full cost
      derive(model, now + i);
    }
    const perDerive = (performance.now() - started) / runs;
    const d = derive(model, now);
    assert.equal(d.partitions.rows.length, P);
    assert.equal(d.executors.rows.length, E + 1);
    assert.ok(perDerive < 50, `derive took ${perDerive.toFixed(1)} ms`);
  });
});
