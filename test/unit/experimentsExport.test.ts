/** The `e` export: Markdown and CSV of the experiments table of a real recording. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { csvField, CSV_COLUMNS, experimentsCsv, experimentsMarkdown, writeExperiments } from '../../src/record/experimentsExport.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';
import { tempDir } from '../support/tempDir.js';

/** A small RFC 4180 reader, to check that what is written reads back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + record.join(''), '', 'the last record ends with CRLF');
  return records;
}

describe('experiments export', () => {
  const d = derivedFromFixture('experiments');
  const meta = { at: d.at, targetBatchMs: d.batches.targetMs, source: 'experiments.jsonl' };

  it('quotes CSV fields with a comma, a quote or a line break (RFC 4180), and leaves unknown empty', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi", ok'), '"say ""hi"", ok"');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(Number.NaN), '');
    assert.equal(csvField(0), '0');
    assert.equal(csvField(false), 'false');
  });

  it('writes one CSV record per segment that reads back to the rows, spark-submit line included', () => {
    const records = parseCsv(experimentsCsv(d.experiments));
    assert.deepEqual(records[0], [...CSV_COLUMNS]);
    assert.equal(records.length, d.experiments.length + 1);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    d.experiments.forEach((r, i) => {
      const rec = records[i + 1]!;
      assert.equal(rec.length, CSV_COLUMNS.length);
      assert.equal(rec[col('index')], String(r.index));
      assert.equal(rec[col('app_id')], r.appId);
      assert.equal(rec[col('sustainable')], r.verdict.sustainable === null ? '' : String(r.verdict.sustainable));
      assert.equal(rec[col('reasons')], r.verdict.reasons.join('; '));
      assert.equal(rec[col('p95_ms')], r.p95Ms === null ? '' : String(r.p95Ms));
      assert.equal(rec[col('input_rps')], r.inputRps === null ? '' : r.inputRps.toFixed(1).replace(/\.0$/, ''));
      assert.equal(rec[col('command_line')], r.resources.commandLine ?? '');
    });
    const last = d.experiments.at(-1)!;
    assert.ok(last.resources.commandLine!.includes(','), 'the --jars list has commas');
    assert.ok(experimentsCsv(d.experiments).includes(`"${last.resources.commandLine}"`), 'so the field is quoted');
  });

  it('writes a Markdown table with a row per segment, the submissions and how the figures are made', () => {
    const md = experimentsMarkdown(d.experiments, meta);
    assert.match(md, /^# sparktop experiments\n/);
    assert.match(md, /from experiments\.jsonl; target batch duration 20 s\./);
    const rows = md.split('\n').filter((l) => /^\| \d/.test(l));
    assert.equal(rows.length, d.experiments.length);
    for (const [i, r] of d.experiments.entries()) {
      const cells = rows[i]!.split(' | ');
      assert.equal(cells.length, 18);
      assert.match(cells[0]!, new RegExp(`^\\| ${r.index}${r.current ? ' \\(current\\)' : ''}$`));
      assert.equal(cells[4], r.resourcesLabel);
      assert.equal(cells[16], r.verdict.sustainable === true ? 'yes' : r.verdict.sustainable === false ? 'NO' : '–');
    }
    assert.match(md, /## Submissions\n\nSegment 4:\n\n```\n.*spark-submit .*--total-executor-cores 1/);
    assert.match(md, /first two batches of each run/);
  });

  it('writes experiments.md and experiments.csv into the directory and returns their paths', () => {
    const dir = tempDir('sparktop-exp-');
    try {
      const paths = writeExperiments(dir, d.experiments, meta);
      assert.deepEqual(paths, { md: path.join(dir, 'experiments.md'), csv: path.join(dir, 'experiments.csv') });
      assert.equal(fs.readFileSync(paths.csv, 'utf8'), experimentsCsv(d.experiments));
      assert.equal(fs.readFileSync(paths.md, 'utf8'), experimentsMarkdown(d.experiments, meta));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the `e` key never writes over an earlier export: the next free number, one for both files', () => {
    const dir = tempDir('sparktop-exp-');
    try {
      fs.writeFileSync(path.join(dir, 'experiments.csv'), 'the user\'s own csv');
      const second = writeExperiments(dir, d.experiments, meta);
      assert.deepEqual(second, { md: path.join(dir, 'experiments-2.md'), csv: path.join(dir, 'experiments-2.csv') });
      assert.equal(fs.readFileSync(path.join(dir, 'experiments.csv'), 'utf8'), 'the user\'s own csv');
      assert.equal(fs.existsSync(path.join(dir, 'experiments.md')), false, 'the pair stays a pair');
      const third = writeExperiments(dir, d.experiments.slice(0, 1), meta);
      assert.deepEqual(third, { md: path.join(dir, 'experiments-3.md'), csv: path.join(dir, 'experiments-3.csv') });
      assert.equal(fs.readFileSync(second.csv, 'utf8'), experimentsCsv(d.experiments));
      assert.equal(fs.readFileSync(third.csv, 'utf8'), experimentsCsv(d.experiments.slice(0, 1)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
