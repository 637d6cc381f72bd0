/** The advisor's thresholds through the built CLI: the settings table, --help, usage errors, report with --threshold. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseThresholdFlags } from '../../src/config/advisorConfig.js';
import { ADVISOR_SETTINGS, defaultValue } from '../../src/model/advisor/settings.js';
import { removeTempDirs, writeRecording } from '../support/recordingFixtures.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { tempDir } from '../support/tempDir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = tempDir('sparktop-thresholds-');
const env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});


describe('the settings table, the CLI and the README', () => {
  it('every setting has a default that fits it', () => {
    assert.equal(ADVISOR_SETTINGS.length, 16);
    for (const s of ADVISOR_SETTINGS) assert.equal(typeof defaultValue(s), 'number', s.name);
    assert.doesNotThrow(() => parseThresholdFlags(ADVISOR_SETTINGS.map((s) => `${s.name}=${defaultValue(s)}`)));
  });

  it("the README's table lists every name with its default", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const s of ADVISOR_SETTINGS) assert.match(readme, new RegExp(`^\\| \`${s.name.replace('.', '\\.')}\` \\| ${defaultValue(s)} \\|`, 'm'), s.name);
  });

  const bin = path.join(ROOT, 'bin', 'sparktop.js');
  const sparktop = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });

  it('--help lists --threshold; a bad one is a usage error (exit 2) on every command that takes it', () => {
    assert.match(sparktop('--help').stdout, /--threshold name=value/);
    for (const args of [['status'], ['check'], ['monitor'], ['report', 'x.jsonl'], ['replay', 'x.jsonl']]) {
      const r = sparktop(...args, '--threshold', 'gcRatio=2');
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--threshold: gcRatio expects a number between 0 and 1, got "2"/);
      assert.match(r.stderr, /Usage/);
    }
    const r = sparktop('lab', 'status', '--threshold', 'gcRatio=0.2');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--threshold does not apply to `sparktop lab status`/);
  });

  it('sparktop report FILE --threshold gcRatio=0.02 --threshold raiseAfter=1', async () => {
    const file = await writeRecording(samplesFromFixture('steady'));
    const r = sparktop('report', file, '--threshold', 'gcRatio=0.02', '--threshold=raiseAfter=1');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Advisor thresholds: differ from the defaults in `gcRatio=0\.02`, `raiseAfter=1`/);
    assert.match(r.stdout, /### `gc-pressure` \(warn\)/);
  });
});
