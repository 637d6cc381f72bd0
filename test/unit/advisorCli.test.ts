/** The advisor's findings in `status --json` and in `check` (exit codes, --fail-on). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { judge, parseFailOn, parseThresholds } from '../../src/commands/check.js';
import { formatStatusText } from '../../src/commands/statusText.js';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import { InvalidResource } from '../../src/domain/resources.js';
import { SNAPSHOT_HYSTERESIS } from '../../src/model/advisor/index.js';
import { derive, toStatusJson } from '../../src/model/index.js';
import { runAdvisor } from '../support/advisorFixture.js';
import { modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { tempDir } from '../support/tempDir.js';

const printed = (d: Parameters<typeof toStatusJson>[0]) => JSON.parse(JSON.stringify(toStatusJson(d))) as ReturnType<typeof toStatusJson>;

describe('status --json findings', () => {
  it('each finding has id, severity, message, title, evidence {facts, text}, suggestion and since (ISO)', () => {
    const d = runAdvisor('steady').end;
    const s = printed(d);
    assert.deepEqual(
      s.findings.map((f) => [f.id, f.severity]),
      [
        ['batch-over-target', 'warn'],
        ['shuffle-partitions', 'info'],
      ],
    );
    const f = s.findings[1]!;
    assert.equal(f.title, 'Too many shuffle partitions for the cores');
    assert.deepEqual(f.evidence.facts[1], { label: 'executor cores', value: '2' });
    assert.match(f.evidence.text, /200 shuffle partitions for 2 core\(s\)/);
    assert.match(f.suggestion, /--conf spark\.sql\.shuffle\.partitions=4/);
    assert.equal(f.since, new Date(d.findings[1]!.since).toISOString());
  });

  it('a snapshot (status, check: one derive after two polls) reports what holds without waiting for hysteresis', () => {
    const answers = answersFromFixture('steady');
    const { model, now } = modelFromAnswers(answers, { model: { advisor: { hysteresis: SNAPSHOT_HYSTERESIS } } });
    const d = derive(model, now);
    assert.deepEqual(
      d.findings.map((f) => [f.id, f.since]),
      [
        ['batch-over-target', now],
        ['shuffle-partitions', now],
      ],
    );
    const healthy = modelFromAnswers(answersFromFixture('kafka-down'), { model: { advisor: { hysteresis: SNAPSHOT_HYSTERESIS } } });
    assert.deepEqual(
      derive(healthy.model, healthy.now).findings.map((f) => f.id),
      ['healthy'],
    );
  });
});

describe('status (text) findings', () => {
  it('each finding with its line, the evidence sentence and the suggestion', () => {
    const dir = tempDir('sparktop-status-');
    const config = watchConfigFor({ cacheDir: dir }, {}, dir);
    const lines = formatStatusText(runAdvisor('steady').end, config).split('\n');
    const at = lines.indexOf('findings');
    assert.ok(at > 0);
    assert.deepEqual(lines.slice(at + 1, at + 4), [
      '  WARN batch-over-target: Batches take longer than the target (p95 batch 39 s, target 20 s)',
      "      p95 batch duration 39 s is above the target 20 s (over the app's recent batches).",
      '      → Cap a batch with --max-offsets-per-trigger 170000 (about 20 s at 8.5k rec/s), or add cores (--total-executor-cores); if the target is too strict for this job, raise --target-batch.',
    ]);
    assert.match(lines[at + 4]!, /^ {2}INFO shuffle-partitions: /);
  });
});

describe('check with the advisor', () => {
  const steady = runAdvisor('steady').end;
  const loose = { maxBatchMs: null, minRatio: null };
  /** STALL with Kafka back (kafka-down: the hung batch 102 has not committed yet). */
  const stall = runAdvisor('kafka-down').moments.find((d) => d.sources.kafka.ok && d.sources.driver.ok && d.findings.some((f) => f.id === 'partitions-stall'))!;

  it('fails on error findings by default (exit 1), not on warnings (exit 0)', () => {
    assert.equal(judge(steady, loose).code, 0);
    assert.ok(stall);
    const v = judge(stall, loose);
    assert.equal(v.code, 1);
    assert.ok(v.reasons.some((r) => /^error partitions-stall: /.test(r)), v.reasons.join('\n'));
  });

  it('nothing to judge by (another application took over and has not committed yet): exit 2, saying so', () => {
    const taken = runAdvisor('resubmit').moments.find((d) => d.sources.driver.ok && d.app.id?.endsWith('0001') && d.health === 'unknown')!;
    assert.ok(taken);
    const v = judge(taken, loose);
    assert.equal(v.code, 2);
    assert.deepEqual(v.reasons, ["neither the lag nor Spark's rates are known"]);
  });

  it('--fail-on warn (or worse) and --fail-on <id>', () => {
    const warn = judge(steady, { ...loose, failOn: parseFailOn('warn') });
    assert.equal(warn.code, 1);
    assert.deepEqual(warn.reasons, ['warn batch-over-target: Batches take longer than the target (p95 batch 39 s, target 20 s)']);
    const byId = judge(steady, { ...loose, failOn: parseFailOn('shuffle-partitions') });
    assert.equal(byId.code, 1);
    assert.match(byId.reasons[0]!, /^info shuffle-partitions: /);
    assert.equal(judge(steady, { ...loose, failOn: parseFailOn('skew,gc-pressure') }).code, 0);
  });

  it('healthy never fails, even with --fail-on info; none turns the findings off', () => {
    const healthy = runAdvisor('kafka-down').end;
    assert.deepEqual(healthy.findings.map((f) => f.id), ['healthy']);
    assert.equal(judge(healthy, { ...loose, failOn: parseFailOn('info') }).code, 0);
    const quiet = judge(stall, { ...loose, failOn: parseFailOn('none') });
    assert.ok(!quiet.reasons.some((r) => r.includes('partitions-stall')), quiet.reasons.join('\n'));
  });

  it('parses --fail-on: severities keep the lowest, ids are checked', () => {
    assert.deepEqual(parseFailOn(undefined), { severity: 'error', ids: [] });
    assert.deepEqual(parseFailOn('error,warn,skew'), { severity: 'warn', ids: ['skew'] });
    assert.deepEqual(parseFailOn('none'), { severity: null, ids: [] });
    assert.throws(() => parseFailOn('skewed'), (e: unknown) => e instanceof InvalidResource && e.flag === 'fail-on' && /skew, gc-pressure/.test(e.message));
    assert.deepEqual(parseThresholds({ failOn: 'idle-cores' }).failOn, { severity: null, ids: ['idle-cores'] });
  });
});
