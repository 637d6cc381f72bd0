/** A sweep's results as Markdown: the answer first (table and best configuration), then every step. */
import { resourceFlags } from '../domain/resources.js';
import { MIN_VERDICT_BATCHES } from '../model/experimentRows.js';
import { formatDuration, formatInt as num } from '../text/format.js';
import { bestOf, type ConfigurationResult, type SweepResults, type SweepStepResult } from './results.js';
import { FEW_BATCHES } from './verdict.js';

const secs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const signed = (n: number | null) => (n === null ? '–' : `${n >= 0 ? '+' : '−'}${num(Math.abs(n))}`);
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function sustainableCell(c: ConfigurationResult): string {
  if (c.status === 'failed') return `failed: ${c.error ?? 'unknown'}`;
  if (c.status === 'running') return 'running';
  if (c.maxSustainableRps === null) return c.end === 'inconclusive' ? 'inconclusive' : 'none';
  // The search stopped before it found where Spark stops keeping up: the max is at least this.
  const atLeast = c.end === 'generator-bound' || c.end === 'max-rps reached' || c.end === 'inconclusive' ? '≥ ' : '';
  return `${atLeast}${num(c.maxSustainableRps)}`;
}

function limitCell(c: ConfigurationResult): string {
  if (c.limitingFactor === 'generator-bound') return 'generator-bound (the generators, not Spark, ran out)';
  return (c.limitingFactor ?? '–').replace(/\|/g, '\\|');
}

/** "51 s (extended from 30 s)": the window a step measured, and how long it was planned when it was measured longer. */
function windowText(s: SweepStepResult): string {
  const length = formatDuration(s.measurement.to - s.measurement.from);
  return s.extendedFromMs === null ? length : `${length} (extended from ${formatDuration(s.extendedFromMs)})`;
}

/** The batches the verdict at the max rate rests on: "14 in 2:00", "3 in 51 s (few; extended from 30 s)". */
function batchesAtMaxCell(c: ConfigurationResult): string {
  const step = c.steps.find((s) => s.outcome === 'sustainable' && s.rate === c.maxSustainableRps);
  if (!step) return '–';
  const notes = [...(step.fewBatches ? ['few'] : []), ...(step.extendedFromMs === null ? [] : [`extended from ${formatDuration(step.extendedFromMs)}`])];
  return `${step.measurement.batches} in ${formatDuration(step.measurement.to - step.measurement.from)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

function stepsTable(c: ConfigurationResult): string[] {
  const lines = [
    '| rate asked | generators | produced | Spark in | Spark out | lag trend /s | p95 batch | batches | window | outcome | why |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|',
  ];
  for (const s of c.steps) {
    const m = s.measurement;
    const why = [...s.reasons, ...(s.findings.length > 0 ? [`advisor: ${s.findings.join(', ')}`] : [])].join('; ');
    lines.push(
      `| ${num(s.rate)} | ${s.generators.count} × ${num(s.generators.ratePerGenerator)} | ${num(m.produceRps)} | ${num(m.inputRps)} | ${num(m.processedRps)} | ${signed(m.lagSlope)} | ${secs(m.p95Ms)} | ${m.batches}${s.fewBatches ? ' (few)' : ''} | ${windowText(s)} | ${s.outcome} | ${why.replace(/\|/g, '\\|')} |`,
    );
  }
  return lines;
}

/** How the window grows when it holds too few batches, and when a verdict is marked few. */
function windowRule(s: SweepResults['settings']): string {
  const few = `A verdict on fewer than ${FEW_BATCHES} batches is marked *few*.`;
  if (s.maxMeasureMs <= s.measureMs) return `A window with fewer than ${MIN_VERDICT_BATCHES} batches is not measured longer (\`--max-measure\` ${secs(s.maxMeasureMs)}): its step is *inconclusive*. ${few}`;
  return `A window with fewer than ${MIN_VERDICT_BATCHES} batches (long batches or a long trigger interval) is measured longer, until it has them, up to ${formatDuration(s.maxMeasureMs)} (\`--max-measure\`); a step still short of them is *inconclusive*, neither sustainable nor not, and ends that configuration's search. ${few}`;
}

export function sweepMarkdown(r: SweepResults): string {
  const s = r.settings;
  const out: string[] = [
    '# sparktop sweep',
    '',
    `Started ${time(r.startedAt)} UTC, updated ${time(r.updatedAt)} UTC${r.complete ? '' : ' — **not finished** (resume with `sparktop sweep --resume` and the .json file)'}.`,
    `Topic \`${r.topic}\`. A rate is sustainable when, over a ${secs(s.measureMs)} window after ${secs(s.settleMs)} of settling, Spark processed at least its input, the lag did not grow and the p95 batch stayed under ${secs(s.targetBatchMs)}. ${windowRule(s)} Rates from ${num(s.startRps)} rec/s (×2 up, then bisection to ${Math.round(s.resolution * 100)} %), at most ${num(s.maxRps)} rec/s and ${s.maxSteps} steps per configuration.`,
    r.recordings.length > 0 ? `Recording${r.recordings.length > 1 ? 's' : ''}: ${r.recordings.map((f) => `\`${f}\``).join(', ')} (\`sparktop report\` / \`sparktop replay\`).` : '',
    '',
    '| # | configuration | max sustainable rec/s | p95 batch at it | batches at it | limiting factor | steps |',
    '|---:|---|---:|---:|---|---|---:|',
  ];
  r.configurations.forEach((c, i) => {
    const res = r.results.find((x) => x.key === c.key);
    if (!res) out.push(`| ${i + 1} | ${c.key} | not run | – | – | – | 0 |`);
    else out.push(`| ${i + 1} | ${c.key} | ${sustainableCell(res)} | ${secs(res.p95AtMaxMs)} | ${batchesAtMaxCell(res)} | ${limitCell(res)} | ${res.steps.length} |`);
  });
  out.push('');
  const best = bestOf(r.results);
  if (best) {
    out.push(`**Best:** ${best.key} — ${sustainableCell(best)} rec/s with p95 batch ${secs(best.p95AtMaxMs)}.`);
    if (best.limitingFactor === 'generator-bound') {
      out.push('', 'The generators, not Spark, set this limit: Spark kept up with everything they could produce. Run more generators (`--max-generators`) or on another machine to find Spark\'s limit.');
    }
    out.push('', `Run it again with \`sparktop submit ${resourceFlags(best.resources).join(' ')}\`${best.partitions !== null ? ` (topic with ${best.partitions} partitions)` : ''}; the exact spark-submit line:`);
    if (best.commandLine) out.push('', '```', best.commandLine, '```');
  } else {
    out.push('**Best:** none — no configuration was found sustainable at any rate tried.');
  }
  if (r.skipped.length > 0) {
    out.push('', '## Skipped', '');
    for (const k of r.skipped) out.push(`- ${k.key}: ${k.reason}`);
  }
  for (const res of r.results) {
    out.push('', `## ${res.key}`, '');
    out.push(`App \`${res.appId ?? '–'}\`, ${time(res.startedAt)}–${res.finishedAt ? time(res.finishedAt) : '…'} UTC; search ended: ${res.end ?? (res.status === 'failed' ? 'failed' : '–')}.`);
    if (res.error) out.push('', `Failed: ${res.error}`);
    if (res.steps.length > 0) out.push('', ...stepsTable(res));
  }
  return `${out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n')}\n`;
}
