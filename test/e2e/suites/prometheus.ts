/**
 * A real Prometheus (the Debian package, started by the test with its own config, data folder and
 * port) scrapes the monitor's `/metrics` on the live lab: the target is healthy (Prometheus parsed
 * the exposition), its HTTP API returns the lag of both partitions, agreeing with `status --json`
 * at the same moment within one batch of records, `promtool check metrics` accepts the exposition,
 * and a resubmission keeps the same series (same labels) going.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { eventually, getJson, runCli } from '../helpers.js';
import { APP_NAME, masterJson, statusJson, TOPIC } from '../labProbe.js';
import { TmuxSession } from '../tmux.js';
import { freeLoopbackPort } from '../../../src/lab/ports.js';

const MIN = 60_000;

interface PromVector {
  status: string;
  data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}
interface PromMatrix {
  status: string;
  data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}
interface PromTargets {
  data: { activeTargets: Array<{ health: string; lastError: string; scrapeUrl: string }> };
}

export function prometheusSuite(): void {
  let dir = '';
  let prometheus: ChildProcess | null = null;
  let prometheusLog = '';
  let monitor: TmuxSession | null = null;
  let metricsUrl = '';
  let api = '';

  const query = (q: string, at?: number) => getJson<PromVector>(`${api}/api/v1/query?query=${encodeURIComponent(q)}${at === undefined ? '' : `&time=${at / 1000}`}`);
  const lagSeries = async (at?: number) => (await query('sparktop_partition_lag_records', at)).data.result;

  before(async () => {
    // Said at once, not after the readiness wait: .ci/run installs Debian's prometheus.
    const installed = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
    if (installed.error) throw new Error(`prometheus cannot be run (${installed.error.message}): install it (Debian: apt-get install prometheus)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-prometheus-'));
    const metricsPort = await freeLoopbackPort();
    const apiPort = await freeLoopbackPort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    api = `http://127.0.0.1:${apiPort}`;
    monitor = new TmuxSession(120, 40, ['--metrics', `127.0.0.1:${metricsPort}`]);
    await eventually('the monitor serving /metrics', async () => ((await fetch(metricsUrl)).ok ? true : undefined), MIN, 500);
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: sparktop', '    static_configs:', `      - targets: ['127.0.0.1:${metricsPort}']`, ''].join('\n'),
    );
    prometheus = spawn('prometheus', ['--config.file', config, '--storage.tsdb.path', path.join(dir, 'data'), '--web.listen-address', `127.0.0.1:${apiPort}`, '--log.level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      prometheusLog = (prometheusLog + chunk.toString()).slice(-8000);
    };
    prometheus.stdout!.on('data', keep);
    prometheus.stderr!.on('data', keep);
    await eventually(
      'Prometheus ready',
      async () => {
        if (prometheus!.exitCode !== null) throw new Error(`prometheus exited ${prometheus!.exitCode}: ${prometheusLog}`);
        return (await fetch(`${api}/-/ready`)).ok ? true : undefined;
      },
      2 * MIN,
      500,
    );
  });

  after(async () => {
    monitor?.kill();
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus scrapes the monitor: the target is up and promtool accepts the exposition', async () => {
    const target = await eventually(
      'a healthy scrape of the monitor',
      async () => {
        const t = (await getJson<PromTargets>(`${api}/api/v1/targets`)).data.activeTargets[0];
        if (t && t.health === 'down') throw new Error(`the scrape failed: ${t.lastError}`);
        return t && t.health === 'up' ? t : undefined;
      },
      MIN,
      500,
    );
    assert.equal(target.lastError, '');
    const body = await (await fetch(metricsUrl)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
  });

  it('its API returns the lag of both partitions, agreeing with status --json at the same moment within one batch of records', async () => {
    const series = await eventually('lag series of both partitions', async () => {
      const s = await lagSeries();
      return s.length === 2 ? s : undefined;
    }, 2 * MIN, 500);
    for (const s of series) {
      assert.equal(s.metric.app, APP_NAME);
      assert.equal(s.metric.topic, TOPIC);
      assert.equal(s.metric.job, 'sparktop');
      assert.ok(!Object.values(s.metric).some((v) => /^app-\d/.test(v)), `no application id in the labels: ${JSON.stringify(s.metric)}`);
    }
    assert.deepEqual(series.map((s) => s.metric.partition).sort(), ['0', '1']);

    // status --json samples on its own; Prometheus is asked for the value at the moment status took.
    const st = await eventually('status with lag and a batch', async () => {
      const s = await statusJson();
      return s.kafka.totalLag !== null && s.spark.batch?.numInputRows ? s : undefined;
    }, MIN);
    const at = Date.parse(st.at);
    await eventually('a scrape after the status', async () => ((await query('timestamp(sparktop_partition_lag_records)')).data.result.some((r) => Number(r.value[1]) * 1000 > at + 1000) ? true : undefined), MIN, 500);
    const atStatus = await lagSeries(at);
    const batchRows = st.spark.batch!.numInputRows!;
    for (const p of st.kafka.partitions) {
      const fromPrometheus = atStatus.find((s) => s.metric.partition === String(p.partition));
      assert.ok(fromPrometheus, `partition ${p.partition} in Prometheus at ${st.at}`);
      // One scrape interval (1 s) and one refresh (1 s) separate the two samples: what the
      // generators wrote meanwhile is allowed on top of one batch.
      const tolerance = batchRows + 2 * (p.produceRate ?? 0);
      const diff = Math.abs(Number(fromPrometheus.value[1]) - p.lag!);
      assert.ok(diff <= tolerance, `partition ${p.partition}: Prometheus ${fromPrometheus.value[1]}, status ${p.lag}, allowed ${Math.round(tolerance)}`);
    }
  });

  it('a resubmission keeps the same series (same labels) going', async () => {
    const before = await lagSeries();
    assert.equal(before.length, 2);
    const start = Date.now();
    const oldId = (await masterJson()).activeapps[0]!.id;
    const r = await runCli(['submit'], { timeoutMs: 15 * MIN });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const newId = (await masterJson()).activeapps[0]!.id;
    assert.notEqual(newId, oldId);
    const resubmittedAt = Date.now();
    await eventually('the new run\'s lag in Prometheus', async () => {
      const s = await query('timestamp(sparktop_partition_lag_records)');
      return s.data.result.length === 2 && s.data.result.every((x) => Number(x.value[1]) * 1000 > resubmittedAt + 2000) ? true : undefined;
    }, 5 * MIN, 1000);
    const after = await lagSeries();
    const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort());
    assert.deepEqual(after.map((s) => key(s.metric)).sort(), before.map((s) => key(s.metric)).sort(), 'the same label sets after the resubmission');
    const range = await getJson<PromMatrix>(
      `${api}/api/v1/query_range?query=sparktop_partition_lag_records&start=${(start - MIN) / 1000}&end=${Date.now() / 1000}&step=1`,
    );
    assert.equal(range.data.result.length, 2, `one series per partition across the resubmission: ${range.data.result.map((s) => key(s.metric)).join(' ')}`);
    for (const s of range.data.result) {
      const times = s.values.map(([t]) => t * 1000);
      assert.ok(times.some((t) => t < start) && times.some((t) => t > resubmittedAt), `partition ${s.metric.partition}: points before and after the resubmission`);
    }
  });
}
