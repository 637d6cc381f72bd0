/** `/metrics` (OpenMetrics text) from the model's snapshot, on recorded lab moments. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { openMetricsRenderer, openMetricsText, OPENMETRICS_CONTENT_TYPE } from '../../src/metrics/openMetrics.js';
import { parseMetricsAddress, startMetricsServer, type MetricsServer } from '../../src/commands/metricsServer.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';

/** name{labels} → value, for the samples of the exposition. */
function samplesOf(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('OpenMetrics exposition of the snapshot', () => {
  const d = derivedFromFixture('steady');
  const text = openMetricsText(d);
  const samples = samplesOf(text);
  // The application's and the query's names (the classroom job names its query after the app).
  const labels = (extra: string) => `{app="LogsProcessor",query="LogsProcessor"${extra}}`;

  it('per partition: lag in records and seconds, log end, produce rate, as the panel shows them', () => {
    for (const p of d.partitions.rows) {
      const l = labels(`,topic="logs",partition="${p.partition}"`);
      assert.equal(samples.get(`sparktop_partition_lag_records${l}`), p.lag);
      assert.equal(samples.get(`sparktop_partition_log_end_offset${l}`), p.logEndOffset);
      assert.ok(Math.abs(samples.get(`sparktop_partition_produce_rate${l}`)! - p.produceRps!) < 1e-6 * p.produceRps!);
    }
  });

  it('rates and the last completed batch of the application, and a summary over its recent batches', () => {
    assert.ok(Math.abs(samples.get(`sparktop_input_rows_per_second${labels('')}`)! - d.rates.inputRps!) < 1e-6 * d.rates.inputRps!);
    const done = d.batches.rows.filter((r) => r.appId === d.app.id && r.durationMs !== null);
    assert.equal(samples.get(`sparktop_batch_duration_seconds${labels('')}`), done.at(-1)!.durationMs! / 1000);
    assert.equal(samples.get(`sparktop_batch_duration_window_seconds_count${labels('')}`), done.length);
    assert.ok(samples.has(`sparktop_batch_duration_window_seconds${labels(',quantile="0.95"')}`));
  });

  it('executors, findings, sources; the app id is never a label or a name part', () => {
    for (const e of d.executors.rows) assert.equal(samples.has(`sparktop_executor_task_share${labels(`,executor="${e.id}"`)}`), e.taskShare !== null, e.id);
    assert.ok(d.executors.rows.some((e) => e.taskShare === null), 'the driver runs no tasks: its share is absent, not 0');
    for (const f of d.findings) assert.equal(samples.get(`sparktop_finding_active${labels(`,id="${f.id}",severity="${f.severity}"`)}`), 1);
    assert.equal(samples.get('sparktop_source_up{source="kafka"}'), 1);
    assert.ok(!text.includes(d.app.id!), 'no application id anywhere');
    assert.match(text, /^# TYPE sparktop_partition_lag_seconds gauge\n# UNIT sparktop_partition_lag_seconds seconds\n/m);
    assert.ok(text.endsWith('# EOF\n'));
  });

  it('unknown values are left out, never 0 (the steady recording before its first batch)', () => {
    const early = derivedFromFixture('steady', { at: 100 });
    assert.equal(early.partitions.lagUnknown, 'no-commit-yet');
    const s = samplesOf(openMetricsText(early));
    assert.equal([...s.keys()].filter((k) => k.startsWith('sparktop_partition_lag_records')).length, 0);
    assert.equal([...s.keys()].filter((k) => k.startsWith('sparktop_batch_duration')).length, 0);
    assert.equal([...s.keys()].filter((k) => k.startsWith('sparktop_partition_log_end_offset')).length, early.partitions.rows.length);
  });
});

describe('the /metrics server', () => {
  const servers: MetricsServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it('reads HOST:PORT, [IPv6]:PORT or a port (loopback), and refuses anything else', () => {
    assert.deepEqual(parseMetricsAddress('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(parseMetricsAddress('[::1]:9464'), { host: '::1', port: 9464 });
    assert.deepEqual(parseMetricsAddress('9464'), { host: '127.0.0.1', port: 9464 });
    for (const bad of ['', 'host', ':', '1:2:3', '127.0.0.1:99999', 'http://x:1']) assert.throws(() => parseMetricsAddress(bad), /expected HOST:PORT/, bad);
  });

  it('answers GET /metrics with the exposition, at each scrape anew; other paths 404; a taken port is a clear error', async () => {
    let n = 0;
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0 }, () => `# TYPE x gauge\nx ${++n}\n# EOF\n`);
    servers.push(server);
    const get = (path: string) =>
      new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
        http.get(server.url.replace('/metrics', path), (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
        }).on('error', reject);
      });
    const first = await get('/metrics');
    assert.deepEqual([first.status, first.type], [200, OPENMETRICS_CONTENT_TYPE]);
    assert.match(first.body, /^x 1$/m);
    assert.match((await get('/metrics')).body, /^x 2$/m);
    assert.equal((await get('/')).status, 404);
    const port = Number(new URL(server.url).port);
    await assert.rejects(startMetricsServer({ host: '127.0.0.1', port }, () => ''), /already in use/);
  });
});

describe('OpenMetrics series across a moment without a running application', () => {
  it('keep the last known application and query names (a resubmission), and take the next application\'s', () => {
    const render = openMetricsRenderer();
    const running = derivedFromFixture('steady');
    // The same recording's first answers: the master lists no application yet, Kafka's offsets are read.
    const none = derivedFromFixture('steady', { at: 1 });
    assert.equal(none.app.name, null);
    assert.ok(none.partitions.rows.length > 0);
    const first = samplesOf(render(running));
    const gap = samplesOf(render(none));
    const ends = (s: Map<string, number>) => [...s.keys()].filter((k) => k.startsWith('sparktop_partition_log_end_offset'));
    assert.ok(ends(first).length > 0 && ends(gap).length === ends(first).length);
    for (const k of ends(gap)) assert.match(k, /\{app="LogsProcessor",query="LogsProcessor",topic="logs",partition="\d+"\}/);
    // Without the renderer's memory, the moment's own names: label-less series a dashboard would see as new ones.
    for (const k of ends(samplesOf(openMetricsText(none)))) assert.doesNotMatch(k, /app=/);
    // Another application: its own names (the apps recording: CrashCounts and its query severity_counts).
    const other = derivedFromFixture('apps', { at: 20 });
    assert.equal(other.app.name, 'CrashCounts');
    const next = [...samplesOf(render(other)).keys()].filter((k) => k.startsWith('sparktop_partition_log_end_offset'));
    assert.ok(next.length > 0);
    for (const k of next) assert.match(k, /\{app="CrashCounts",query="severity_counts",/);
  });
});
