import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { logLevel } from 'kafkajs';
import { describeError, kafkaLogCreator } from '../../src/generator/kafkaLog.js';
import {
  GeneratorOptionsError,
  resolveGeneratorOptions,
  type GeneratorOverrides,
} from '../../src/generator/options.js';
import { parseGeneratorControl } from '../../src/generator/controlFile.js';
import { Pacer } from '../../src/generator/pacer.js';
import { createRecordFactory, mulberry32, type LogRecord } from '../../src/generator/records.js';
import { GeneratorStats, RateWindow, formatFinalLine, formatStatusLine, groupDigits, writeJsonAtomic } from '../../src/generator/stats.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const SEVERITIES = new Set(['Low', 'Medium', 'High', 'Critical']);

function assertShape(r: unknown, now: number): asserts r is LogRecord {
  assert.ok(typeof r === 'object' && r !== null);
  const o = r as Record<string, unknown>;
  assert.deepEqual(Object.keys(o).sort(), ['content', 'severity', 'source_ip', 'status', 'timestamp', 'user_id']);
  assert.equal(o.timestamp, now);
  assert.match(String(o.status), /^[1-5]\d\d$/);
  assert.equal(typeof o.status, 'string');
  assert.ok(SEVERITIES.has(String(o.severity)), `severity ${String(o.severity)}`);
  assert.match(String(o.source_ip), IPV4);
  assert.match(String(o.user_id), /^user_\d+$/);
  assert.equal(typeof o.content, 'string');
  assert.ok(String(o.content).length > 0 && String(o.content).length < 200);
}

describe('records', () => {
  it('has the documented shape, as object and as JSON', () => {
    const f = createRecordFactory({ seed: 1 });
    for (let i = 0; i < 2000; i++) assertShape(f.next(1_700_000_000_000 + i), 1_700_000_000_000 + i);
    for (let i = 0; i < 200; i++) assertShape(JSON.parse(f.nextJson(42)), 42);
  });

  it('nextJson is exactly JSON.stringify(next()) for the same draw, also with a term needing escapes', () => {
    for (const term of [null, 'crash', 'cr"a\\sh ü']) {
      const a = createRecordFactory({ seed: 21, additionalTerm: term, additionalTermRate: 3000 });
      const b = createRecordFactory({ seed: 21, additionalTerm: term, additionalTermRate: 3000 });
      for (let i = 0; i < 5000; i++) {
        const json = a.nextJson(1_700_000_000_000 + i);
        assert.equal(json, JSON.stringify(b.next(1_700_000_000_000 + i)));
        if (term) JSON.parse(json);
      }
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRecordFactory({ seed: 7 });
    const b = createRecordFactory({ seed: 7 });
    const c = createRecordFactory({ seed: 8 });
    const sa = Array.from({ length: 50 }, () => a.nextJson(1));
    const sb = Array.from({ length: 50 }, () => b.nextJson(1));
    const sc = Array.from({ length: 50 }, () => c.nextJson(1));
    assert.deepEqual(sa, sb);
    assert.notDeepEqual(sa, sc);
  });

  it('mulberry32 gives floats in [0,1) spread over the range', () => {
    const r = mulberry32(123);
    let lo = 0;
    for (let i = 0; i < 10000; i++) {
      const x = r();
      assert.ok(x >= 0 && x < 1);
      if (x < 0.5) lo++;
    }
    assert.ok(lo > 4700 && lo < 5300, `lo=${lo}`);
  });

  it('puts ADDITIONAL_TERM into ADDITIONAL_TERM_RATE records per 10,000 (100k records)', () => {
    // "failed" also occurs in ordinary lines: those must be filtered out, so only term records count
    for (const [term, rate] of [
      ['crash', 100],
      ['failed', 100],
      ['crash', 2500],
    ] as const) {
      const f = createRecordFactory({ seed: 99, additionalTerm: term, additionalTermRate: rate });
      const n = 100_000;
      let hits = 0;
      for (let i = 0; i < n; i++) if (f.next(0).content.toLowerCase().includes(term)) hits++;
      const p = rate / 10000;
      const mean = n * p;
      const sd = Math.sqrt(n * p * (1 - p));
      assert.ok(Math.abs(hits - mean) < 5 * sd, `${term}@${rate}: ${hits} hits, expected ${mean} ± ${5 * sd}`);
    }
  });

  it('rate 0 never and rate 10000 always carries the term; no term without ADDITIONAL_TERM', () => {
    const none = createRecordFactory({ seed: 3, additionalTerm: 'crash', additionalTermRate: 0 });
    const all = createRecordFactory({ seed: 3, additionalTerm: 'crash', additionalTermRate: 10000 });
    const noTerm = createRecordFactory({ seed: 3, additionalTerm: null, additionalTermRate: 5000 });
    for (let i = 0; i < 20000; i++) {
      assert.ok(!none.next(0).content.includes('crash'));
      assert.ok(all.next(0).content.includes('crash'));
      assert.ok(!noTerm.next(0).content.includes('crash'));
    }
    assert.equal(noTerm.term, null);
  });

  it('"vulnerability" with severity High occurs at a useful rate', () => {
    const f = createRecordFactory({ seed: 5, additionalTerm: 'crash', additionalTermRate: 100 });
    const n = 100_000;
    let vuln = 0;
    let vulnHigh = 0;
    for (let i = 0; i < n; i++) {
      const r = f.next(0);
      if (r.content.toLowerCase().includes('vulnerability')) {
        vuln++;
        if (r.severity === 'High') vulnHigh++;
      }
    }
    assert.ok(vuln / n > 0.03 && vuln / n < 0.08, `vulnerability share ${vuln / n}`);
    assert.ok(vulnHigh / n > 0.015 && vulnHigh / n < 0.05, `vulnerability+High share ${vulnHigh / n}`);
  });

  it('uses a bounded pool of source IPs and several severities and statuses', () => {
    const f = createRecordFactory({ seed: 11, ipPoolSize: 50 });
    const ips = new Set<string>();
    const sev = new Set<string>();
    const status = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const r = f.next(0);
      ips.add(r.source_ip);
      sev.add(r.severity);
      status.add(r.status);
    }
    assert.equal(ips.size, 50);
    assert.equal(sev.size, 4);
    assert.ok(status.size >= 8);
  });

  it('rejects an out-of-range term rate', () => {
    assert.throws(() => createRecordFactory({ additionalTerm: 'x', additionalTermRate: 10001 }), RangeError);
  });
});

/** Simulate the run loop: ticks with jittered spacing, sending everything due (up to cap). */
function simulate(p: Pacer, from: number, to: number, sent: number, cap = Infinity, seed = 1): { sent: number; maxDue: number; t: number } {
  const r = mulberry32(seed);
  let t = from;
  let maxDue = 0;
  while (t < to) {
    t = Math.min(to, t + 10 + r() * 40); // 10..50 ms
    const d = p.due(t, sent, cap);
    maxDue = Math.max(maxDue, d);
    sent += d;
  }
  return { sent, maxDue, t };
}

describe('pacer', () => {
  it('is accurate over simulated time at several rates', () => {
    for (const rate of [1, 37, 5000, 10_000, 123_457, 10_000_000]) {
      const p = new Pacer({ rate, startMs: 1000 });
      const { sent } = simulate(p, 1000, 1000 + 60_000, 0, Infinity, rate);
      const expected = rate * 60;
      assert.ok(Math.abs(sent - expected) <= 1, `rate ${rate}: sent ${sent}, expected ${expected}`);
    }
  });

  it('sends nothing before time passes and never more than is due', () => {
    const p = new Pacer({ rate: 1000, startMs: 0 });
    assert.equal(p.due(0, 0), 0);
    assert.equal(p.due(0.5, 0), 0);
    assert.equal(p.due(10, 0), 10);
    assert.equal(p.due(10, 10), 0); // already sent
    assert.equal(p.due(15, 10), 5);
  });

  it('caps what is due per call', () => {
    const p = new Pacer({ rate: 10_000, startMs: 0 });
    assert.equal(p.due(100, 0, 250), 250); // 1000 due, cap 250
    assert.equal(p.due(100, 250, 250), 250); // the rest stays due
    assert.equal(p.due(100, 500), 500);
  });

  it('lets the achieved rate drop instead of bursting after a stall', () => {
    const rate = 10_000;
    const p = new Pacer({ rate, startMs: 0 });
    let { sent } = simulate(p, 0, 5000, 0);
    // stall: no sends for 10 s (broker slow / in-flight limit)
    const d = p.due(15_000, sent);
    assert.ok(d <= rate * 1 + 1, `after a 10 s stall ${d} due, cap is 1 s worth`);
    assert.ok(d >= rate * 1 - 1);
    sent += d;
    ({ sent } = simulate(p, 15_000, 20_000, sent));
    // 5 s + 1 s backlog + 5 s, not 20 s worth
    assert.ok(Math.abs(sent - rate * 11) <= 2, `sent ${sent}`);
    assert.ok(p.slipped > rate * 8, `slipped ${p.slipped}`);
  });

  it('with a persistent cap the achieved rate is the capped rate', () => {
    const p = new Pacer({ rate: 100_000, startMs: 0 });
    // ticks every 20 ms, 1000 per tick max → 50 000/s
    let sent = 0;
    for (let t = 20; t <= 10_000; t += 20) sent += p.due(t, sent, 1000);
    assert.ok(Math.abs(sent - 500_000) <= 1000, `sent ${sent}`);
  });

  it('changes rate mid-run without a burst and stays accurate', () => {
    const p = new Pacer({ rate: 1000, startMs: 0 });
    let { sent } = simulate(p, 0, 10_000, 0, Infinity, 2);
    assert.ok(Math.abs(sent - 10_000) <= 1);
    p.setRate(10_000, 5000, sent);
    const first = p.due(10_020, sent);
    assert.ok(first <= 5000 * 0.02 + 1, `first due after raising the rate: ${first}`);
    sent += first;
    ({ sent } = simulate(p, 10_020, 20_000, sent, Infinity, 3));
    assert.ok(Math.abs(sent - (10_000 + 50_000)) <= 2, `sent ${sent}`);
    // lower it again, between ticks (the fraction already accrued is kept)
    p.setRate(20_005, 100, sent);
    ({ sent } = simulate(p, 20_005, 30_005, sent, Infinity, 4));
    assert.ok(Math.abs(sent - (60_000 + 25 + 1000)) <= 2, `sent ${sent}`);
  });

  it('pauses at rate 0 and resumes without a burst', () => {
    const p = new Pacer({ rate: 10_000, startMs: 0 });
    let { sent } = simulate(p, 0, 1000, 0);
    p.setRate(1000, 0, sent);
    const paused = simulate(p, 1000, 6000, sent);
    assert.equal(paused.sent, sent);
    assert.equal(paused.maxDue, 0);
    p.setRate(6000, 10_000, sent);
    const resumed = simulate(p, 6000, 7000, sent);
    assert.ok(resumed.maxDue <= 10_000 * 0.05 + 1, `max due per tick after resume ${resumed.maxDue}`);
    assert.ok(Math.abs(resumed.sent - 20_000) <= 1, `sent ${resumed.sent}`);
  });

  it('rejects a negative rate', () => {
    assert.throws(() => new Pacer({ rate: -1, startMs: 0 }), RangeError);
    const p = new Pacer({ rate: 1, startMs: 0 });
    assert.throws(() => p.setRate(1, Number.NaN, 0), RangeError);
  });
});

describe('options', () => {
  it('has the classroom defaults', () => {
    const o = resolveGeneratorOptions({});
    assert.deepEqual(o.brokers, ['127.0.0.1:9094']);
    assert.equal(o.topic, 'logs');
    assert.equal(o.targetRps, 10_000);
    assert.equal(o.additionalTerm, null);
    assert.equal(o.additionalTermRate, 0);
    assert.equal(o.acks, -1);
    assert.equal(o.compression, 'none');
    assert.equal(o.statsFile, null);
    assert.equal(o.controlFile, null);
  });

  it('sends with the wire producer, in batches and with requests in flight of its own, unless --producer kafkajs', () => {
    const wire = resolveGeneratorOptions({});
    assert.equal(wire.producer, 'wire');
    assert.deepEqual([wire.maxBatch, wire.maxInFlight], [2000, 32]);
    const kafkajs = resolveGeneratorOptions({}, { producer: 'kafkajs' });
    assert.deepEqual([kafkajs.producer, kafkajs.maxBatch, kafkajs.maxInFlight], ['kafkajs', 500, 8]);
    assert.deepEqual([resolveGeneratorOptions({}, { producer: 'WIRE', maxBatch: '100' }).maxBatch], [100]);
    assert.throws(() => resolveGeneratorOptions({}, { producer: 'librdkafka' }), /--producer must be one of kafkajs, wire, got "librdkafka"/);
  });

  it('writes round robin unless --partition names one partition', () => {
    assert.equal(resolveGeneratorOptions({}).partition, null);
    assert.equal(resolveGeneratorOptions({}, { partition: '0' }).partition, 0);
    assert.equal(resolveGeneratorOptions({}, { partition: 3 }).partition, 3);
    assert.throws(() => resolveGeneratorOptions({}, { partition: '-1' }), /--partition must be a partition number from 0, got "-1"/);
  });

  it('reads env and lets overrides win', () => {
    const env = {
      KAFKA_BROKER: 'kafka:9092, other:9093',
      KAFKA_TOPIC: 'logs2',
      TARGET_RPS: '60000',
      ADDITIONAL_TERM: 'crash',
      ADDITIONAL_TERM_RATE: '100',
    };
    const e = resolveGeneratorOptions(env);
    assert.deepEqual(e.brokers, ['kafka:9092', 'other:9093']);
    assert.equal(e.topic, 'logs2');
    assert.equal(e.targetRps, 60_000);
    assert.equal(e.additionalTerm, 'crash');
    assert.equal(e.additionalTermRate, 100);
    const o = resolveGeneratorOptions(env, {
      broker: '127.0.0.1:9094',
      topic: 'x',
      targetRps: 5,
      additionalTerm: 'boom',
      additionalTermRate: '7',
      acks: 'all',
      compression: 'gzip',
      statsFile: '/tmp/s.json',
      controlFile: '/tmp/c.json',
    });
    assert.deepEqual(o.brokers, ['127.0.0.1:9094']);
    assert.equal(o.topic, 'x');
    assert.equal(o.targetRps, 5);
    assert.equal(o.additionalTerm, 'boom');
    assert.equal(o.additionalTermRate, 7);
    assert.equal(o.acks, -1);
    assert.equal(o.compression, 'gzip');
    assert.equal(o.statsFile, '/tmp/s.json');
    assert.equal(o.controlFile, '/tmp/c.json');
    // an override left undefined does not hide the env value
    assert.equal(resolveGeneratorOptions(env, { targetRps: undefined }).targetRps, 60_000);
    // an empty env value counts as unset
    assert.equal(resolveGeneratorOptions({ TARGET_RPS: '' }).targetRps, 10_000);
    assert.equal(resolveGeneratorOptions({ TARGET_RPS: '0' }).targetRps, 0);
    assert.equal(resolveGeneratorOptions({ TARGET_RPS: '10000000' }).targetRps, 10_000_000);
    assert.equal(resolveGeneratorOptions({}, { acks: 1 }).acks, 1);
    assert.equal(resolveGeneratorOptions({}, { acks: '0' }).acks, 0);
  });

  const bad: [Record<string, string>, GeneratorOverrides, string, RegExp][] = [
    [{ TARGET_RPS: 'abc' }, {}, 'TARGET_RPS', /integer from 0 to 10000000/],
    [{ TARGET_RPS: '-5' }, {}, 'TARGET_RPS', /integer from 0 to 10000000/],
    [{ TARGET_RPS: '1.5' }, {}, 'TARGET_RPS', /integer/],
    [{ TARGET_RPS: '10000001' }, {}, 'TARGET_RPS', /10000000/],
    [{}, { targetRps: -1 }, '--target-rps', /integer from 0 to 10000000/],
    [{}, { targetRps: 2.5 }, '--target-rps', /integer/],
    [{ TARGET_RPS: '5' }, { targetRps: 'lots' }, '--target-rps', /integer/],
    [{ ADDITIONAL_TERM_RATE: '10001' }, {}, 'ADDITIONAL_TERM_RATE', /integer from 0 to 10000/],
    [{ ADDITIONAL_TERM_RATE: 'often' }, {}, 'ADDITIONAL_TERM_RATE', /integer from 0 to 10000/],
    [{}, { additionalTermRate: -1 }, '--additional-term-rate', /0 to 10000/],
    [{ KAFKA_BROKER: 'localhost' }, {}, 'KAFKA_BROKER', /host:port/],
    [{ KAFKA_BROKER: 'localhost:99999' }, {}, 'KAFKA_BROKER', /host:port/],
    [{ KAFKA_BROKER: 'a:1,:2' }, {}, 'KAFKA_BROKER', /host:port/],
    [{ KAFKA_BROKER: 'http://kafka:9092' }, {}, 'KAFKA_BROKER', /host:port/],
    [{}, { broker: ' , ' }, '--kafka', /host:port/],
    [{ KAFKA_TOPIC: 'bad topic' }, {}, 'KAFKA_TOPIC', /topic name/],
    [{}, { acks: 2 }, '--acks', /-1 \(all\), 1, 0/],
    [{}, { compression: 'zstd' }, '--compression', /none, gzip/],
    [{ ADDITIONAL_TERM: 'x'.repeat(201) }, {}, 'ADDITIONAL_TERM', /200/],
  ];
  for (const [env, overrides, setting, expected] of bad) {
    it(`rejects ${JSON.stringify({ ...env, ...overrides }).slice(0, 60)} naming ${setting}`, () => {
      assert.throws(
        () => resolveGeneratorOptions(env, overrides),
        (err: unknown) => {
          assert.ok(err instanceof GeneratorOptionsError, `not a GeneratorOptionsError: ${String(err)}`);
          assert.equal(err.setting, setting);
          assert.ok(err.message.startsWith(`${setting} must be `), err.message);
          assert.match(err.message, expected);
          return true;
        },
      );
    });
  }

  it('parses the control file', () => {
    assert.deepEqual(parseGeneratorControl('{"targetRps": 20000, "paused": false}'), { targetRps: 20000, paused: false });
    assert.deepEqual(parseGeneratorControl('{"paused": true}'), { paused: true });
    assert.deepEqual(parseGeneratorControl('{"targetRps": 0, "other": 1}'), { targetRps: 0 });
    for (const [text, re] of [
      ['not json', /JSON/],
      ['[1]', /object/],
      ['{"targetRps": -1}', /targetRps must be an integer/],
      ['{"targetRps": "100"}', /targetRps must be an integer/],
      ['{"targetRps": 1e9}', /targetRps/],
      ['{"paused": "yes"}', /paused must be true or false/],
    ] as const) {
      assert.throws(() => parseGeneratorControl(text), (e: unknown) => e instanceof GeneratorOptionsError && re.test(e.message), text);
    }
  });
});

describe('stats', () => {
  it('RateWindow measures the last 5 s, not the whole run', () => {
    const w = new RateWindow(5000, 100);
    assert.equal(w.rate(0, 0), null);
    let v = 0;
    let t = 0;
    w.add(t, v);
    for (; t < 10_000; ) {
      t += 20;
      v += 20; // 1000/s
      w.add(t, v);
    }
    assert.ok(Math.abs((w.rate(t, v) ?? 0) - 1000) < 1, `rate ${w.rate(t, v)}`);
    for (; t < 12_500; ) {
      t += 20;
      v += 60; // 3000/s
      w.add(t, v);
    }
    const mixed = w.rate(t, v) ?? 0;
    assert.ok(mixed > 1900 && mixed < 2100, `half-window mixed rate ${mixed}`);
    for (; t < 20_000; ) {
      t += 20;
      v += 60;
      w.add(t, v);
    }
    assert.ok(Math.abs((w.rate(t, v) ?? 0) - 3000) < 5, `rate ${w.rate(t, v)}`);
  });

  it('RateWindow early on uses the time since the first sample', () => {
    const w = new RateWindow(5000, 100);
    w.add(1000, 0);
    assert.equal(w.rate(1000, 0), null);
    assert.equal(w.rate(2000, 500), 500);
  });

  it('counts sent, acked, errors and in-flight', () => {
    const s = new GeneratorStats();
    s.onSent(100);
    s.onSent(50);
    assert.equal(s.inFlight, 150);
    s.onAcked(100);
    s.onFailed(50, 'KafkaJSNumberOfRetriesExceeded: boom');
    assert.deepEqual(s.snapshot(), { sent: 150, acked: 100, errors: 50, lastError: 'KafkaJSNumberOfRetriesExceeded: boom', inFlight: 0 });
    s.sample(0);
    s.onSent(1000);
    s.onAcked(1000);
    assert.equal(s.achievedRps(1000), 1000);
  });

  it('writes the stats file atomically, leaving no temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gen-stats-'));
    try {
      const path = join(dir, 'stats.json');
      await writeJsonAtomic(path, { a: 1 });
      await writeJsonAtomic(path, { a: 2, b: 'x' });
      assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { a: 2, b: 'x' });
      assert.deepEqual(await readdir(dir), ['stats.json']);
      await assert.rejects(writeJsonAtomic(join(dir, 'missing-dir', 's.json'), {}));
      assert.deepEqual(await readdir(dir), ['stats.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('formats the status line', () => {
    assert.equal(groupDigits(9998), '9 998');
    assert.equal(groupDigits(1234567.4), '1 234 567');
    assert.equal(groupDigits(12), '12');
    assert.equal(
      formatStatusLine({ achievedRps: 9998.2, targetRps: 10000, paused: false, acked: 1234567, errors: 0, inFlight: 200, lastError: null }),
      'rate 9 998/s target 10 000/s acked 1 234 567 errors 0 in-flight 200',
    );
    assert.equal(
      formatStatusLine({ achievedRps: null, targetRps: 10000, paused: true, acked: 0, errors: 3, inFlight: 0, lastError: 'x' }),
      'rate ?/s paused acked 0 errors 3 in-flight 0 last error: x',
    );
    // A rate the generator cannot make is said, not clipped silently.
    assert.equal(
      formatStatusLine({ achievedRps: 310_000, targetRps: 500_000, paused: false, acked: 9, errors: 0, inFlight: 0, lastError: null }),
      'rate 310 000/s target 500 000/s acked 9 errors 0 in-flight 0 — behind the target (62 % of it): generator-bound unless the broker is slow; more --threads or generators',
    );
    assert.equal(
      formatFinalLine({ sent: 1000, acked: 990, errors: 10, unconfirmed: 0, producingMs: 2500, averageRps: 396, lastError: 'broker gone' }, '2 thread(s)'),
      'final: sent 1 000 acked 990 errors 10 unconfirmed 0 in 2.5 s (average 396/s, 2 thread(s)); last error: broker gone',
    );
    assert.equal(formatFinalLine({ sent: 5, acked: 5, errors: 0, unconfirmed: 0, producingMs: 1000, averageRps: 5, lastError: null }), 'final: sent 5 acked 5 errors 0 unconfirmed 0 in 1.0 s (average 5/s)');
    assert.doesNotMatch(formatStatusLine({ achievedRps: 0, targetRps: 500_000, paused: true, acked: 9, errors: 0, inFlight: 0, lastError: null }), /behind/);
  });
});

describe('kafkajs glue', () => {
  it('logs one line per kafkajs message at WARN and above, suppressing repeats', () => {
    const lines: string[] = [];
    const logger = kafkaLogCreator((l) => lines.push(l))(logLevel.WARN);
    const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) =>
      logger({ namespace: 'Connection', level, label: 'X', log: { timestamp: '', message, ...extra } });
    entry(logLevel.ERROR, 'Connection error', { error: 'connect ECONNREFUSED 127.0.0.1:9094', broker: '127.0.0.1:9094' });
    entry(logLevel.ERROR, 'Connection error', { error: 'connect ECONNREFUSED 127.0.0.1:9094', broker: '127.0.0.1:9094' });
    entry(logLevel.INFO, 'informational');
    entry(logLevel.WARN, 'something else');
    assert.deepEqual(lines, [
      'kafkajs error [Connection] Connection error: connect ECONNREFUSED 127.0.0.1:9094 (broker 127.0.0.1:9094)',
      'kafkajs warn [Connection] something else',
    ]);
  });

  it('describes errors with their cause', () => {
    const e = new Error('outer', { cause: new TypeError('inner') });
    assert.equal(describeError(e), 'Error: outer (cause: TypeError: inner)');
    assert.equal(describeError('plain'), 'plain');
  });
});
