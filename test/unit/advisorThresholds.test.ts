/**
 * The advisor's thresholds set by the user (issue #7): the config file's `advisor` section,
 * `--threshold name=value`, their precedence, and their effect on recorded lab runs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseThresholdFlags } from '../../src/config/advisorConfig.js';
import { InvalidConfigFile, resolveAdvisorConfig } from '../../src/config/watchConfig.js';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import { InvalidResource } from '../../src/domain/resources.js';
import { DEFAULT_ADVISOR_THRESHOLDS, DEFAULT_HYSTERESIS } from '../../src/model/advisor/index.js';
import { differencesFromDefaults } from '../../src/model/advisor/settings.js';
import { readRecording } from '../../src/record/reader.js';
import { recordingHeader } from '../../src/record/recordingFormat.js';
import { modelOptionsOf, ReplayPlayer } from '../../src/record/replaySource.js';
import { reportMarkdown } from '../../src/record/report.js';
import { findingOf, fact, firstWith, ids, runAdvisor } from '../support/advisorFixture.js';
import { removeTempDirs, TEST_CONFIG, writeRecording } from '../support/recordingFixtures.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('sparktop-thresholds-');
const env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

/** Writes `advisor` as the config file's section and returns the file's name (relative to `dir`). */
function configWith(advisor: unknown, name = 'sparktop.test.json'): string {
  fs.writeFileSync(path.join(dir, name), JSON.stringify({ advisor }));
  return name;
}

const rejects = (fn: () => unknown, kind: typeof InvalidConfigFile | typeof InvalidResource, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof kind && message.test(e.message), String(message));

describe('the config file: "advisor": {"thresholds", "hysteresis"}', () => {
  it('takes every threshold (skew as a nested object) and the hysteresis counts; the rest stays default', () => {
    const config = configWith({ thresholds: { gcRatio: 0.2, gcError: 0.3, skew: { severe: 4 }, tinyTaskMs: 0 }, hysteresis: { raiseAfter: 5 } });
    const { advisor } = watchConfigFor({ config }, env, dir);
    assert.deepEqual(advisor.thresholds, { ...DEFAULT_ADVISOR_THRESHOLDS, gcRatio: 0.2, gcError: 0.3, tinyTaskMs: 0, skew: { ...DEFAULT_ADVISOR_THRESHOLDS.skew, severe: 4 } });
    assert.deepEqual(advisor.hysteresis, { ...DEFAULT_HYSTERESIS, raiseAfter: 5 });
    assert.deepEqual(watchConfigFor({}, env, dir).advisor, { thresholds: DEFAULT_ADVISOR_THRESHOLDS, hysteresis: DEFAULT_HYSTERESIS }, 'no file: the defaults');
  });

  it('names the path and what is expected for a bad value', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ thresholds: { gcRatio: 1.5 } }, /advisor\.thresholds\.gcRatio: expected a number between 0 and 1$/],
      [{ thresholds: { gcRatio: 0 } }, /advisor\.thresholds\.gcRatio: expected a number between 0 and 1/],
      [{ thresholds: { memoryRatio: '0.5' } }, /advisor\.thresholds\.memoryRatio: expected a number between 0 and 1/],
      [{ thresholds: { skew: { low: 0.5 } } }, /advisor\.thresholds\.skew\.low: expected a number above 1/],
      [{ thresholds: { skew: { severe: 20 } } }, /advisor\.thresholds\.skew: expected ascending skew levels low < moderate < severe < critical, got 1\.33, 1\.78, 20, 10/],
      [{ thresholds: { shufflePerCore: 2.5 } }, /advisor\.thresholds\.shufflePerCore: expected a positive integer/],
      [{ thresholds: { failureWindowMs: -1 } }, /advisor\.thresholds\.failureWindowMs: expected a number of milliseconds, 0 or more/],
      [{ hysteresis: { raiseAfter: 0 } }, /advisor\.hysteresis\.raiseAfter: expected a positive integer/],
      [{ thresholds: { gcRatoi: 0.2 } }, /advisor\.thresholds: Unrecognized key: "gcRatoi"/],
      [{ thresholds: { skew: { extreme: 20 } } }, /advisor\.thresholds\.skew: Unrecognized key: "extreme"/],
      [{ hysteresis: { evaluateEveryMs: 10 } }, /advisor\.hysteresis: Unrecognized key: "evaluateEveryMs"/],
      [{ threshold: {} }, /advisor: Unrecognized key: "threshold"/],
    ];
    for (const [advisor, message] of cases) {
      const config = configWith(advisor);
      rejects(() => watchConfigFor({ config }, env, dir), InvalidConfigFile, new RegExp(`^config file .*${config}: ${message.source}`));
    }
  });
});

describe('--threshold name=value (repeatable)', () => {
  it('sets thresholds, skew levels and hysteresis by name; the last of a name wins', () => {
    assert.deepEqual(parseThresholdFlags(['gcRatio=0.2', 'skew.severe=4', 'raiseAfter=5', 'skew.critical=12', 'gcRatio=.25']), {
      thresholds: { gcRatio: 0.25, skew: { severe: 4, critical: 12 } },
      hysteresis: { raiseAfter: 5 },
    });
    assert.deepEqual(parseThresholdFlags(['failureWindowMs=6e4']), { thresholds: { failureWindowMs: 60_000 } });
    assert.deepEqual(parseThresholdFlags(undefined), {});
  });

  it('an unknown name lists the known ones', () => {
    rejects(() => parseThresholdFlags(['gcratio=0.2']), InvalidResource, /^--threshold: unknown name "gcratio"; known: skew\.low, skew\.moderate, skew\.severe, skew\.critical, gcRatio, .*raiseAfter, clearAfter, healthyAfter$/);
    rejects(() => parseThresholdFlags(['evaluateEveryMs=10']), InvalidResource, /unknown name "evaluateEveryMs"/);
  });

  it('a bad value names the flag, the setting and what it expects', () => {
    const cases: Array<[string, RegExp]> = [
      ['gcRatio=2', /^--threshold: gcRatio expects a number between 0 and 1, got "2"$/],
      ['gcRatio=abc', /gcRatio expects a number between 0 and 1, got "abc"/],
      ['gcRatio=', /gcRatio expects a number between 0 and 1, got ""/],
      ['raiseAfter=1.5', /raiseAfter expects a positive integer, got "1\.5"/],
      ['tinyTaskMs=-5', /tinyTaskMs expects a number of milliseconds, 0 or more, got "-5"/],
      ['skew.severe=1', /skew\.severe expects a number above 1 \(max ÷ median\), got "1"/],
      ['gcRatio=0x1', /gcRatio expects a number between 0 and 1, got "0x1"/],
      ['gcRatio', /^--threshold: expected name=value \(e\.g\. gcRatio=0\.2\), got "gcRatio"$/],
      ['=0.2', /expected name=value/],
    ];
    for (const [value, message] of cases) rejects(() => parseThresholdFlags([value]), InvalidResource, message);
  });

  it('the skew levels must ascend once the flags are applied over the file and the defaults', () => {
    rejects(() => watchConfigFor({ threshold: ['skew.severe=12'] }, env, dir), InvalidResource, /^--threshold: expected ascending skew levels .*got 1\.33, 1\.78, 12, 10$/);
    rejects(() => resolveAdvisorConfig({ threshold: ['skew.moderate=1.2'] }, dir), InvalidResource, /got 1\.33, 1\.2, 3\.16, 10/);
    // together they ascend: 1.33 < 1.78 < 12 < 20
    assert.deepEqual(watchConfigFor({ threshold: ['skew.severe=12', 'skew.critical=20'] }, env, dir).advisor.thresholds.skew, { low: 1.33, moderate: 1.78, severe: 12, critical: 20 });
    const config = configWith({ thresholds: { skew: { critical: 30 } } });
    assert.equal(watchConfigFor({ config, threshold: ['skew.severe=12'] }, env, dir).advisor.thresholds.skew.severe, 12, 'the file raised critical');
  });
});

describe('precedence: --threshold > config file > defaults', () => {
  it('field by field, in the monitor/status/check configuration and in replay/report', () => {
    const config = configWith({ thresholds: { gcRatio: 0.2, memoryRatio: 0.5, skew: { severe: 4 } }, hysteresis: { raiseAfter: 5, clearAfter: 2 } });
    const threshold = ['gcRatio=0.3', 'skew.critical=8', 'clearAfter=7'];
    for (const advisor of [watchConfigFor({ config, threshold }, env, dir).advisor, resolveAdvisorConfig({ config, threshold }, dir)]) {
      assert.equal(advisor.thresholds.gcRatio, 0.3, 'flag over file');
      assert.equal(advisor.thresholds.memoryRatio, 0.5, 'file over default');
      assert.equal(advisor.thresholds.gcError, 0.15, 'default');
      assert.deepEqual(advisor.thresholds.skew, { low: 1.33, moderate: 1.78, severe: 4, critical: 8 });
      assert.deepEqual([advisor.hysteresis.raiseAfter, advisor.hysteresis.clearAfter, advisor.hysteresis.healthyAfter], [5, 7, 5]);
    }
  });

  it('replay and report read sparktop.config.json in the current directory like the other commands', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'cwd-'));
    fs.writeFileSync(path.join(cwd, 'sparktop.config.json'), JSON.stringify({ kafka: 'broker:9092', advisor: { thresholds: { gcRatio: 0.05 } } }));
    assert.equal(resolveAdvisorConfig({}, cwd).thresholds.gcRatio, 0.05);
    assert.equal(resolveAdvisorConfig({ threshold: ['gcRatio=0.06'] }, cwd).thresholds.gcRatio, 0.06);
    assert.deepEqual(resolveAdvisorConfig({}, path.join(dir, 'no-such-dir')).thresholds, DEFAULT_ADVISOR_THRESHOLDS);
  });
});

describe('a threshold changes what the advisor says on a recorded lab run', () => {
  // The steady run's executors spend at most 3.2 % of their task time in GC, below the default 10 %.
  const steady = (threshold: string[]) => runAdvisor('steady', { model: { advisor: watchConfigFor({ threshold }, env, dir).advisor } });

  it('gcRatio below the observed GC ratio makes gc-pressure appear; with the defaults it never does', () => {
    assert.equal(firstWith(runAdvisor('steady'), 'gc-pressure'), undefined);
    const d = firstWith(steady(['gcRatio=0.02']), 'gc-pressure');
    assert.ok(d, 'gc-pressure raised');
    assert.equal(findingOf(d, 'gc-pressure')!.severity, 'warn');
    assert.equal(fact(d, 'gc-pressure', 'threshold'), '2.0 %');
    assert.equal(fact(d, 'gc-pressure', 'GC ÷ task time'), '3.2 %');
    assert.equal(firstWith(steady(['gcRatio=0.04']), 'gc-pressure'), undefined, 'above the observed 3.2 %');
  });

  it('gcError makes it an error', () => {
    const d = firstWith(steady(['gcRatio=0.02', 'gcError=0.03']), 'gc-pressure');
    assert.equal(findingOf(d, 'gc-pressure')!.severity, 'error');
  });

  it('raiseAfter delays a finding, or holds back one that does not last', () => {
    // the resubmit run ends healthy; its GC ratio (under 1 %) is over 0.5 % from ~5 s on
    const at = (raiseAfter: number) => {
      const run = runAdvisor('resubmit', { model: { advisor: resolveAdvisorConfig({ threshold: ['gcRatio=0.005', `raiseAfter=${raiseAfter}`] }, dir) } });
      assert.deepEqual(ids(run.end), ['gc-pressure'], 'no longer healthy at the end');
      return firstWith(run, 'gc-pressure')!.at - run.moments[0]!.at;
    };
    assert.ok(at(10) >= at(3) + 7000, `raiseAfter=10 at ${at(10)} ms, raiseAfter=3 at ${at(3)} ms`);
    // on the steady run the GC ratio is over 2 % for fewer than 10 refreshes
    assert.equal(firstWith(steady(['gcRatio=0.02', 'raiseAfter=10']), 'gc-pressure'), undefined);
  });

  it('shufflePerCore / tinyTaskMs take the shuffle-partitions finding away (200 partitions of ~118 ms tasks on 2 cores)', () => {
    assert.deepEqual(ids(steady([]).end), ['batch-over-target', 'shuffle-partitions']);
    assert.deepEqual(ids(steady(['shufflePerCore=100']).end), ['batch-over-target']);
    assert.deepEqual(ids(steady(['tinyTaskMs=50']).end), ['batch-over-target']);
  });
});

describe('recordings, replay and report', () => {
  const custom = resolveAdvisorConfig({ threshold: ['gcRatio=0.02', 'raiseAfter=1'] }, dir);

  it('the recording header carries the advisor options the monitor ran with', async () => {
    assert.deepEqual(recordingHeader(TEST_CONFIG, 0).config.advisor, { thresholds: DEFAULT_ADVISOR_THRESHOLDS, hysteresis: DEFAULT_HYSTERESIS });
    const { header } = await readRecording(await writeRecording(samplesFromFixture('steady').slice(0, 10), { ...TEST_CONFIG, advisor: custom }));
    assert.deepEqual(header.config.advisor, custom);
    assert.deepEqual(differencesFromDefaults(header.config.advisor), ['gcRatio=0.02', 'raiseAfter=1']);
  });

  it('replay uses the thresholds it is given, not the recorded ones', async () => {
    const { header, samples } = await readRecording(await writeRecording(samplesFromFixture('steady'), { ...TEST_CONFIG, advisor: custom }));
    const seen = (advisor?: typeof custom) => {
      const player = new ReplayPlayer(samples, { model: { ...modelOptionsOf(header.config), advisor } });
      const found = new Set<string>();
      for (let t = player.start; t <= player.end; t += 1000) {
        player.seek(t);
        for (const f of player.derive().findings) found.add(f.id);
      }
      return found.has('gc-pressure');
    };
    assert.equal(seen(), false, 'defaults');
    assert.equal(seen(custom), true);
  });

  it('the report replays with the given thresholds and says which differ from the defaults (and from the live run)', async () => {
    const recording = await readRecording(await writeRecording(samplesFromFixture('steady')));
    const plain = reportMarkdown(recording);
    assert.match(plain, /## Findings\n\nAdvisor thresholds: the defaults\.\n/);
    assert.doesNotMatch(plain, /gc-pressure/);
    assert.match(plain, /\| advisor \| default thresholds \|/);
    const tuned = reportMarkdown(recording, { advisor: custom });
    assert.match(tuned, /## Findings\n\nAdvisor thresholds: differ from the defaults in `gcRatio=0\.02`, `raiseAfter=1` \(the live run used the defaults\)\.\n/);
    assert.match(tuned, /### `gc-pressure` \(warn\)/);
    const recordedTuned = await readRecording(await writeRecording(samplesFromFixture('steady'), { ...TEST_CONFIG, advisor: custom }));
    assert.match(reportMarkdown(recordedTuned, { advisor: custom }), /Advisor thresholds: differ from the defaults in `gcRatio=0\.02`, `raiseAfter=1`\.\n/);
    assert.match(reportMarkdown(recordedTuned), /Advisor thresholds: the defaults \(the live run used `gcRatio=0\.02`, `raiseAfter=1`\)\.\n/);
    assert.match(reportMarkdown(recordedTuned), /\| advisor \| thresholds differ from the defaults: gcRatio=0\.02, raiseAfter=1 \|/);
  });
});

