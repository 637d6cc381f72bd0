/**
 * `sparktop sweep` on the live lab: two configurations with short windows. The first runs in the
 * monitor (tmux) and is stopped with q once its first configuration is done; `--resume` skips that
 * one and finishes the other. The table's numbers are recomputed here from the recordings.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { isAlive } from '../../../src/lab/processes.js';
import type { Sample } from '../../../src/model/samples.js';
import { readRecording } from '../../../src/record/reader.js';
import { eventually, runCli } from '../helpers.js';
import { TmuxSession } from '../tmux.js';
import { tempDir } from '../../support/tempDir.js';

const MIN = 60_000;

interface StepJson {
  rate: number;
  settleFrom: number;
  outcome: string;
  measurement: { from: number; to: number; produceRps: number | null; batches: number; p95Ms: number | null; batchIds: string[] };
}
interface ResultsJson {
  complete: boolean;
  recordings: string[];
  configurations: Array<{ key: string }>;
  results: Array<{ key: string; status: string; steps: StepJson[]; maxSustainableRps: number | null; appId: string | null; commandLine: string | null }>;
}

const readJson = (file: string): ResultsJson | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsJson;
  } catch {
    return undefined;
  }
};

async function samplesOf(files: string[]): Promise<Sample[]> {
  const all: Sample[] = [];
  for (const f of files) {
    const r = await readRecording(f);
    for await (const s of r.samples) all.push(s);
  }
  return all.sort((a, b) => a.t - b.t);
}

/** The step's figures, straight from the recorded samples: Kafka offsets and the listener's batches. */
function recomputed(samples: readonly Sample[], step: StepJson) {
  const { from, to } = step.measurement;
  const kafka = samples.filter((s): s is Extract<Sample, { kind: 'kafka' }> => s.kind === 'kafka' && s.t >= from && s.t <= to);
  const total = (s: Extract<Sample, { kind: 'kafka' }>) => s.data.partitions.reduce((a, p) => a + p.logEndOffset, 0);
  const first = kafka[0]!;
  const last = kafka.at(-1)!;
  const produceRps = (total(last) - total(first)) / ((last.t - first.t) / 1000);
  const batches = new Map<string, number>();
  for (const s of samples) {
    if (s.kind !== 'progress' || s.data.origin !== 'listener' || s.t < from || s.t > to) continue;
    for (const p of s.data.progress) if (Date.parse(p.timestamp) >= from) batches.set(`${p.runId}/${p.batchId}`, p.durationMs.triggerExecution!);
  }
  const sorted = [...batches.values()].sort((a, b) => a - b);
  const p95 = sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { produceRps, batchIds: [...batches.keys()], p95 };
}

export function sweepSuite(): void {
  const dir = tempDir('sparktop-sweep-');
  const md = path.join(dir, 'sweep.md');
  const json = path.join(dir, 'sweep.json');
  const sessions: TmuxSession[] = [];
  after(() => {
    for (const s of sessions) s.kill();
  });

  it('runs two configurations, is stopped after the first by a hang-up (its terminal closed), resumes without redoing it; the table agrees with the recordings', async () => {
    const args = ['sweep', '--executor-cores', '1', '--total-executor-cores', '1,2', '--shuffle-partitions', '2', '--start-rps', '3000', '--max-rps', '6000', '--settle', '5s', '--measure', '20s', '--steps', '2', '-o', md];
    const before = await runCli(['status', '--json'], { timeoutMs: MIN });
    const generatorsOf = (stdout: string) => {
      const g = (JSON.parse(stdout) as { generators: { count: number; targetRps: number } }).generators;
      return { count: g.count, targetRps: g.targetRps };
    };
    const generatorsBefore = generatorsOf(before.stdout);

    const tmux = new TmuxSession(120, 40, args);
    sessions.push(tmux);
    await eventually('the monitor with the sweep status line', async () => {
      const s = tmux.capture();
      return /sweep 1\/2/.test(s) && ['Rates', 'Batches', 'Partitions', 'Executors'].every((t) => s.includes(t)) ? true : undefined;
    }, MIN, 500);
    await eventually('the first configuration done', async () => (readJson(json)?.results[0]?.status === 'done' ? true : undefined), 12 * MIN, 1000);
    // Its terminal closed, as when an SSH connection drops: SIGHUP, and nothing to write to.
    const pid = tmux.pid();
    tmux.kill();
    await eventually('the sweep stopped', async () => (!isAlive({ pid, startTime: null }) ? true : undefined), 5 * MIN, 500);
    const stopped = readJson(json)!;
    assert.equal(stopped.complete, false);
    assert.equal(stopped.results[0]!.status, 'done');
    assert.notEqual(stopped.results[1]?.status, 'done');
    assert.ok(fs.readFileSync(md, 'utf8').includes('not finished'));

    const resumed = await runCli(['sweep', '--resume', json, '--no-tui'], { timeoutMs: 15 * MIN });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /1\/2 already done in the results file: skipped/);
    assert.doesNotMatch(resumed.stdout, /1\/2 resubmitting/);
    const done = readJson(json)!;
    assert.equal(done.complete, true);
    assert.deepEqual(done.results.map((r) => r.status), ['done', 'done']);
    assert.equal(done.recordings.length, 2, 'one recording per run');
    assert.notEqual(done.results[0]!.appId, done.results[1]!.appId);

    const table = fs.readFileSync(md, 'utf8').split('\n').filter((l) => /^\| [12] \| executor-cores/.test(l));
    assert.equal(table.length, 2);
    assert.match(resumed.stdout, /\*\*Best:\*\*|Best: none/);

    const samples = await samplesOf(done.recordings);
    const resubmits = samples.filter((s) => s.kind === 'control' && s.data.action === 'resubmit' && s.data.result === 'ok');
    assert.equal(resubmits.length, 2, 'each configuration resubmitted once, across both recordings');
    for (const r of done.results) {
      assert.ok(r.steps.length >= 1 && r.steps.length <= 2);
      for (const step of r.steps) {
        const again = recomputed(samples, step);
        assert.deepEqual(step.measurement.batchIds, again.batchIds, `${r.key} at ${step.rate}: the same batches`);
        assert.equal(step.measurement.p95Ms, again.p95);
        assert.ok(Math.abs(step.measurement.produceRps! - again.produceRps) <= 0.01 * again.produceRps, `${step.measurement.produceRps} vs ${again.produceRps}`);
        const cell = table[done.results.indexOf(r)]!;
        if (r.maxSustainableRps !== null) assert.match(cell, new RegExp(`\\| ≥? ?${r.maxSustainableRps.toLocaleString('en-US').replace(/,/g, ' ')} \\|`));
      }
    }

    const afterwards = await runCli(['status', '--json'], { timeoutMs: MIN });
    assert.deepEqual(generatorsOf(afterwards.stdout), generatorsBefore, 'the generators are put back as they were');
  });
}
