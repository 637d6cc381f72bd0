/**
 * `sparktop report` on recordings written from real lab fixtures: the report's figures against
 * values the test recomputes from the samples themselves (not through the model), its sections,
 * its charts, marks, findings, and a run longer than the model's windows.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import type { ExecutorsSample, ProgressSample, QueryProgress, Sample } from '../../src/model/samples.js';
import { openRecording, readRecording } from '../../src/record/reader.js';
import { reportMarkdown, reportMarkdownOfStream } from '../../src/record/report.js';
import { formatCompact, formatDuration, formatInt, formatPercent } from '../../src/text/format.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, writeRecording } from '../support/recordingFixtures.js';

after(removeTempDirs);

const SECTIONS = [
  '## Run summary',
  '## Experiments',
  '## Charts',
  '### Input vs processed rate (rows/s)',
  '### Batch duration (╌ target 20s)',
  '### Total lag (records)',
  '## Executors',
  '## Stages',
  '## Batch duration breakdown',
  '## Findings',
  '## Experiment settings',
];

async function reportOf(samples: readonly Sample[], edit?: (text: string) => string): Promise<string> {
  const file = await writeRecording(samples);
  if (edit) fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  // As `sparktop report` reads it: one pass over the file (the whole-array form is compared below).
  return reportMarkdownOfStream(await openRecording(file), { source: 'run.jsonl' });
}

const reports = new Map<string, Promise<string>>();
function fixtureReport(scenario: string): Promise<string> {
  if (!reports.has(scenario)) reports.set(scenario, reportOf(samplesFromFixture(scenario)));
  return reports.get(scenario)!;
}

/** The text of a `## ` section (up to the next one). */
function section(md: string, heading: string): string {
  const from = md.indexOf(`${heading}\n`);
  assert.ok(from >= 0, `no section ${heading}`);
  const next = md.indexOf('\n## ', from + heading.length);
  return md.slice(from, next < 0 ? undefined : next);
}

/** The cells of the experiments table row of segment `index`. */
function experimentRow(md: string, index: number): Record<string, string> {
  const lines = section(md, '## Experiments').split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0]!.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').trim());
  const row = lines.find((l) => new RegExp(`^\\| ${index}( \\(current\\))? \\|`).test(l));
  assert.ok(row, `no experiment row ${index}`);
  const cells = row.slice(2, -2).split(' | ');
  return Object.fromEntries(header.map((h, i) => [h, cells[i]!.trim()]));
}

/** The listener's progress events, each once, in delivery order, with their delivery time. */
function listenerEvents(samples: readonly Sample[]): Array<{ t: number; p: QueryProgress }> {
  const seen = new Set<string>();
  const out: Array<{ t: number; p: QueryProgress }> = [];
  for (const s of samples) {
    if (s.kind !== 'progress' || s.data.origin !== 'listener') continue;
    for (const p of s.data.progress) {
      const key = `${p.runId}/${p.batchId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ t: s.t, p });
    }
  }
  return out;
}

/** Row-weighted rates: Σ rows ÷ Σ seconds Spark measured for them. */
function rowWeighted(events: readonly QueryProgress[]): { input: number; processed: number; perBatch: number } {
  const rows = events.reduce((n, p) => n + p.numInputRows, 0);
  const inputSeconds = events.reduce((n, p) => n + p.numInputRows / p.inputRowsPerSecond!, 0);
  const processSeconds = events.reduce((n, p) => n + p.numInputRows / p.processedRowsPerSecond!, 0);
  const withRows = events.filter((p) => p.numInputRows > 0).length;
  return { input: rows / inputSeconds, processed: rows / processSeconds, perBatch: rows / withRows };
}

/** Nearest-rank percentile. */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** The last sample of a kind. */
function lastOf<K extends Sample['kind']>(samples: readonly Sample[], kind: K): Extract<Sample, { kind: K }> {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i]!.kind === kind) return samples[i] as Extract<Sample, { kind: K }>;
  throw new Error(`no ${kind} sample`);
}

const lastExecutors = (samples: readonly Sample[]): ExecutorsSample => lastOf(samples, 'executors').data;

const durationOf = (p: QueryProgress) => p.durationMs.triggerExecution!;
const started = (p: QueryProgress) => Date.parse(p.timestamp);

/**
 * `part` `times` over, the k-th time shifted by k × (its span + 1 s) — sample times and batch start
 * times — with its progress samples changed by `change` (fresh run or batch ids, say).
 */
function repeated(part: readonly Sample[], times: number, change: (d: ProgressSample, k: number) => ProgressSample): Sample[] {
  const period = part.at(-1)!.t - part[0]!.t + 1000;
  const out: Sample[] = [];
  for (let k = 0; k < times; k++) {
    const shift = k * period;
    for (const s of part) {
      if (s.kind !== 'progress') {
        out.push({ ...s, t: s.t + shift } as Sample);
        continue;
      }
      const d = change(s.data, k);
      out.push({ ...s, t: s.t + shift, data: { ...d, progress: d.progress.map((p) => ({ ...p, timestamp: new Date(started(p) + shift).toISOString() })) } });
    }
  }
  return out;
}

describe('report: sections', () => {
  for (const scenario of ['steady', 'experiments', 'resubmit']) {
    it(`${scenario}: every section, in order, and one table row per experiment segment`, async () => {
      const md = await fixtureReport(scenario);
      assert.match(md, /^# sparktop report: run\.jsonl\n/);
      let at = 0;
      for (const heading of SECTIONS) {
        const i = md.indexOf(`\n${heading}\n`, at);
        assert.ok(i > at, `${heading} after the previous section`);
        at = i;
      }
      assert.doesNotMatch(md, /undefined|NaN|\[object Object\]/);
    });
  }
});

describe('report: numbers recomputed from the samples', () => {
  it('experiments: the 2×12k segment — rates, max and p95 batch from its progress events', async () => {
    const samples = samplesFromFixture('experiments');
    // The segment: from the generators' change to 12k each, to the second application's first answer.
    const from = samples.find((s) => s.kind === 'generators' && s.data.generators.every((g) => g.targetRps === 12_000))!.t;
    const to = samples.find((s) => s.kind === 'executors' && s.data.appId !== samples.find((x) => x.kind === 'executors')!.data.appId)!.t;
    const events = listenerEvents(samples).map((e) => e.p).filter((p) => started(p) >= from && started(p) < to && p.batchId >= 2);
    assert.ok(events.length >= 5, `${events.length} batches in the segment`);
    const { input, processed, perBatch } = rowWeighted(events);
    const row = experimentRow(await fixtureReport('experiments'), 3);
    assert.equal(row.load, '2×12k');
    assert.equal(row['in/s'], formatCompact(input));
    assert.equal(row['out/s'], formatCompact(processed));
    assert.equal(row['rows/batch'], formatCompact(perBatch));
    assert.equal(row.max, formatDuration(Math.max(...events.map(durationOf))));
    assert.equal(row.p95, formatDuration(nearestRank(events.map(durationOf), 0.95)));
    assert.equal(row.batches, `${events.length} (+0 warm-up)`);
  });

  it('resubmit: the new application\'s segment leaves out its first two batches; lag end from the last samples', async () => {
    const samples = samplesFromFixture('resubmit');
    const md = await fixtureReport('resubmit');
    const all = listenerEvents(samples);
    const newRun = all.at(-1)!.p.runId;
    const counted = all.map((e) => e.p).filter((p) => p.runId === newRun && p.batchId >= 2);
    const row = experimentRow(md, 2);
    const { input, processed, perBatch } = rowWeighted(counted);
    assert.equal(row['in/s'], formatCompact(input));
    assert.equal(row['out/s'], formatCompact(processed));
    assert.equal(row['rows/batch'], formatCompact(perBatch));
    assert.equal(row.max, formatDuration(Math.max(...counted.map(durationOf))));
    assert.equal(row.p50, formatDuration(nearestRank(counted.map(durationOf), 0.5)));
    assert.equal(row.batches, `${counted.length} (+2 warm-up)`);

    // Lag at the end: Kafka's last log-end offsets − the end offsets of the newest batch delivered before.
    const lastKafka = lastOf(samples, 'kafka');
    const delivered = all.filter((e) => e.t <= lastKafka.t).map((e) => e.p);
    const newest = delivered.reduce((a, b) => (started(b) >= started(a) ? b : a));
    const ends = (newest.sources[0]!.endOffset as Record<string, Record<string, number>>).logs!;
    const lag = lastKafka.data.partitions.reduce((n, p) => n + Math.max(0, p.logEndOffset - ends[String(p.partition)]!), 0);
    assert.ok(lag > 0);
    assert.equal(row['lag end'], formatInt(lag));
  });

  it('resubmit: the breakdown of the whole run and of each application, from the progress events', async () => {
    const samples = samplesFromFixture('resubmit');
    const breakdown = section(await fixtureReport('resubmit'), '## Batch duration breakdown');
    const events = listenerEvents(samples).map((e) => e.p);
    const share = (phase: string, of: readonly QueryProgress[]) => of.reduce((n, p) => n + p.durationMs[phase]!, 0) / of.reduce((n, p) => n + durationOf(p), 0);
    const [whole, ...perApp] = breakdown.split('\n### ');
    assert.match(whole!, new RegExp(`Over ${events.length} batches`));
    assert.match(whole!, new RegExp(`\\| addBatch \\| [^|]+ \\| [^|]+ \\| ${formatPercent(share('addBatch', events))} \\|`));
    assert.match(whole!, new RegExp(`\\| walCommit \\| [^|]+ \\| [^|]+ \\| ${formatPercent(share('walCommit', events))} \\|`));
    // One table per application: its run's batches (a run belongs to one driver).
    const runs = [...new Set(events.map((p) => p.runId))];
    assert.equal(perApp.length, runs.length);
    runs.forEach((runId, i) => {
      const ofRun = events.filter((p) => p.runId === runId);
      assert.match(perApp[i]!, new RegExp(`Over ${ofRun.length} batches`));
      assert.match(perApp[i]!, new RegExp(`\\| addBatch \\| ${formatDuration(ofRun.reduce((n, p) => n + p.durationMs.addBatch!, 0) / ofRun.length).replace('.', '\\.')} \\|`));
    });
  });

  it('resubmit: two applications in the summary, each with its start', async () => {
    const samples = samplesFromFixture('resubmit');
    const apps = [...new Set(samples.flatMap((s) => (s.kind === 'executors' ? [s.data.appId] : [])))];
    assert.equal(apps.length, 2);
    const summary = section(await fixtureReport('resubmit'), '## Run summary');
    assert.match(summary, /\| applications \| 2 \|/);
    for (const id of apps) assert.match(summary, new RegExp(`\\| ${id} \\| LogsProcessor \\| \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\|`));
    const first = samples[0]!.t;
    const last = samples.at(-1)!.t;
    assert.match(summary, new RegExp(`\\| recorded \\| .* \\(${Math.floor((last - first) / 60_000)}:${String(Math.floor(((last - first) % 60_000) / 1000)).padStart(2, '0')}\\) \\|`));
  });

  it('resubmit: tasks of the new application\'s executor from its counters; the longest stage from the stage lists', async () => {
    const samples = samplesFromFixture('resubmit');
    const md = await fixtureReport('resubmit');
    const newApp = lastExecutors(samples);
    const exec0 = newApp.executors.find((e) => e.id === '0')!;
    const table = section(md, '## Executors').split(`### ${newApp.appId}`)[1]!;
    // Added after the recording began: everything it did counts.
    assert.match(table, new RegExp(`\\| 0 \\| [^|]+ \\| ${exec0.totalCores} \\| ${formatInt(exec0.completedTasks)} \\|`));

    let longest = 0;
    for (const s of samples) {
      if (s.kind !== 'stages') continue;
      for (const st of s.data.stages) {
        if (st.submissionTime && st.completionTime) longest = Math.max(longest, Date.parse(st.completionTime.replace('GMT', 'Z')) - Date.parse(st.submissionTime.replace('GMT', 'Z')));
      }
    }
    assert.match(section(md, '## Stages'), new RegExp(`took \\*\\*${formatDuration(longest).replace('.', '\\.')}\\*\\*`));
  });

  it('the breakdown covers every listener batch, however many the model keeps (a 30-minute run)', async () => {
    // The resubmit fixture 12 times over with fresh run ids: ~780 batches, more than the model's 500.
    const base = samplesFromFixture('resubmit');
    const run = (id: string, k: number) => `${id}-${k}`;
    const samples = repeated(base, 12, (d, k) => ({
      ...d,
      queries: d.queries.map((q) => ({ ...q, runId: run(q.runId, k) })),
      progress: d.progress.map((p) => ({ ...p, runId: run(p.runId, k) })),
      derivedBatches: d.derivedBatches.map((b) => ({ ...b, runId: run(b.runId, k) })),
    }));
    const events = listenerEvents(samples);
    assert.ok(events.length > 500, `${events.length} batches`);
    const md = await reportOf(samples);
    assert.match(section(md, '## Batch duration breakdown'), new RegExp(`Over ${events.length} batches reported by the listener`));
    const mean = events.reduce((n, e) => n + durationOf(e.p), 0) / events.length;
    assert.match(section(md, '## Batch duration breakdown'), new RegExp(`triggerExecution ${formatDuration(mean).replace('.', '\\.')} on average`));
    assert.match(section(md, '### Input vs processed rate (rows/s)'), new RegExp(`, ${events.length} points \\(one column`));
  });

  it('p50/p95 of a segment longer than the model keeps durations for (512): over all its batches', async () => {
    // The resubmit fixture's second application, 12 times over as one run (batch ids continue),
    // the k-th time with batches (k + 1) times as long: the newest 512 alone would give other percentiles.
    const base = samplesFromFixture('resubmit');
    const appId = lastExecutors(base).appId;
    const from = base.findIndex((s) => s.kind === 'executors' && s.data.appId === appId);
    const part = base.slice(from);
    const samples = [
      ...base.slice(0, from),
      ...repeated(part, 12, (d, k) => ({
        ...d,
        progress: d.progress.map((p) => ({ ...p, batchId: p.batchId + k * 1000, durationMs: { ...p.durationMs, triggerExecution: durationOf(p) * (k + 1) } })),
        derivedBatches: d.derivedBatches.map((b) => ({ ...b, batchId: b.batchId + k * 1000 })),
      })),
    ];
    const runId = listenerEvents(part).at(-1)!.p.runId;
    const counted = listenerEvents(samples).map((e) => e.p).filter((p) => p.runId === runId && p.batchId >= 2);
    assert.ok(counted.length > 600, `${counted.length} batches`);
    const durations = counted.map(durationOf);
    const newest = durations.slice(-512);
    assert.notEqual(formatDuration(nearestRank(durations, 0.5)), formatDuration(nearestRank(newest, 0.5)), 'the test tells the two apart');
    const md = await reportOf(samples);
    const row = experimentRow(md, 2);
    assert.equal(row.batches, `${counted.length} (+2 warm-up)`);
    assert.equal(row.p50, formatDuration(nearestRank(durations, 0.5)));
    assert.equal(row.p95, formatDuration(nearestRank(durations, 0.95)));
    assert.equal(row.max, formatDuration(Math.max(...durations)));
  });
});

describe('report: charts, marks, findings', () => {
  /** The ```text blocks of a section. */
  const blocks = (text: string) => [...text.matchAll(/```text\n([\s\S]*?)\n```/g)].map((m) => m[1]!.split('\n'));

  it('three asciichart charts in text code blocks: a y axis on every line, the target line on the duration chart', async () => {
    const md = await fixtureReport('resubmit');
    const charts = blocks(section(md, '## Charts'));
    assert.equal(charts.length, 3);
    for (const lines of charts) {
      const plot = lines.filter((l) => /^ {0,6}\S*[┤┼]/.test(l));
      assert.equal(plot.length, 12, lines.join('\n'));
      for (const l of plot) assert.match(l, /^[ \d.kMG:smh]{7}[┤┼]/);
      assert.match(plot.join(''), /[─╭╮╰╯│]/, 'a series is drawn');
      assert.equal(plot.at(-1)!.slice(0, 7).trim(), '0', 'the lowest label is 0');
    }
    assert.match(charts[1]!.join('\n'), /╌/);
    assert.match(charts[0]!.join('\n'), /·/, 'processed drawn with ·');
  });

  it('a mark at a known time: lettered under each chart and in the legend with its time and note; the app change too', async () => {
    const base = samplesFromFixture('resubmit');
    const at = base[0]!.t + 100_000;
    const i = base.findIndex((s) => s.t > at);
    const samples = [...base.slice(0, i), { t: at, kind: 'mark', data: { note: 'raised the rate' } } as Sample, ...base.slice(i)];
    const md = await reportOf(samples);
    const charts = section(md, '## Charts');
    const time = new Date(at).toISOString().slice(11, 19);
    const legend = [...charts.matchAll(/^- \*\*([A-Z])\*\* (\d\d:\d\d:\d\d) \(\+(\d+:\d\d)\): (.*)$/gm)];
    const mark = legend.find((m) => m[4] === 'mark: raised the rate');
    assert.ok(mark, charts);
    assert.equal(mark[2], time);
    assert.equal(mark[3], '1:40');
    assert.ok(legend.some((m) => m[4]!.startsWith('application changed to app-20261128183210-0001')));
    for (const lines of blocks(charts)) {
      const markerRow = lines.at(-1)!;
      assert.match(markerRow, /^[ A-Z]+$/, 'the last line of a chart is the marker row');
      assert.ok(markerRow.includes(mark[1]!), `letter ${mark[1]} under the chart:\n${lines.join('\n')}`);
      // The letter sits under the marker column of the chart (┊) or right after a neighbour's letter.
      const column = markerRow.indexOf(mark[1]!);
      assert.ok(lines.slice(0, -1).some((l) => l[column] === '┊' || l[column - 1] === '┊' || /[─╭╮╰╯│·╌]/.test(l[column] ?? '')), 'aligned with the chart');
    }
  });

  it('resubmit: the findings list partitions-stop with when it was raised and cleared, evidence and suggestion', async () => {
    const findings = section(await fixtureReport('resubmit'), '## Findings');
    const stop = findings.split('\n### ').find((f) => f.startsWith('`partitions-stop`'));
    assert.ok(stop, findings);
    assert.match(stop, /- raised \d\d:\d\d:\d\d \(\+\d+:\d\d\), (cleared \d\d:\d\d:\d\d \(\+\d+:\d\d\)|still active at the end)/);
    assert.match(stop, /- evidence: 2 partitions STOP/);
    assert.match(stop, /- suggestion: /);
  });

  it('experiments: the resubmission\'s spark-submit line and each segment\'s generators', async () => {
    const samples = samplesFromFixture('experiments');
    const control = samples.find((s) => s.kind === 'control' && s.data.action === 'resubmit')!;
    assert.equal(control.kind, 'control');
    const settings = section(await fixtureReport('experiments'), '## Experiment settings');
    assert.ok(settings.includes(`\`\`\`sh\n${String(control.data.detail.commandLine)}\n\`\`\``));
    assert.match(settings, /requested by sparktop: executorCores=1, executorMemory=1G, driverMemory=1g, totalExecutorCores=1, shufflePartitions=4/);
    assert.equal(settings.match(/\| generator-2 \| 12 000 \| no \|/g)?.length, 2, 'the two 2×12k segments');
    assert.equal(settings.match(/\| generator-1 \| 3 000 \| no \|/g)?.length, 2, 'the two 3k segments');
  });

  it('a recording with no samples: every section, each saying there was nothing', async () => {
    const md = await reportOf([]);
    for (const heading of SECTIONS) assert.ok(md.includes(`\n${heading}\n`), heading);
    assert.equal(md.match(/Nothing to chart: no .* in the recording\./g)?.length, 3);
    assert.match(md, /\| applications \| 0 \|/);
    assert.match(md, /The advisor raised no finding during the run\./);
  });

  it('a torn last line is skipped with a note', async () => {
    const md = await reportOf(samplesFromFixture('steady'), (text) => text.slice(0, text.length - 40));
    assert.match(section(md, '## Run summary'), /\| note \| the last line of the file was torn/);
  });

  it('the configuration of the header, without credentials', async () => {
    const file = await writeRecording(samplesFromFixture('steady').slice(0, 20));
    const text = fs.readFileSync(file, 'utf8').split('\n');
    const header = JSON.parse(text[0]!) as { config: Record<string, unknown> };
    header.config.sparkUi = 'http://admin:hunter2@spark.example:4040';
    fs.writeFileSync(file, [JSON.stringify(header), ...text.slice(1)].join('\n'));
    const md = reportMarkdown(await readRecording(file));
    assert.doesNotMatch(md, /hunter2/);
    assert.match(section(md, '## Run summary'), /\| sparkUi \| http:\/\/redacted@spark\.example:4040 \|/);
  });

  it('one pass over the file writes what the whole recording in memory writes, byte for byte', async () => {
    for (const scenario of ['steady', 'resubmit', 'experiments', 'kafka-down', 'apps', 'no-listener-sql', 'trigger']) {
      const file = await writeRecording(samplesFromFixture(scenario));
      const text = fs.readFileSync(file, 'utf8');
      for (const edit of [(t: string) => t, (t: string) => t.slice(0, t.length - 40)]) {
        fs.writeFileSync(file, edit(text));
        const options = { source: 'run.jsonl', at: 1_795_890_800_000 };
        assert.equal(await reportMarkdownOfStream(await openRecording(file), options), reportMarkdown(await readRecording(file), options), scenario);
      }
    }
  });
});
