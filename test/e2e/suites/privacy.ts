/**
 * Another user on the machine, created by the test, tries to read what the running lab keeps:
 * its state, logs, Kafka's data, checkpoints and event logs are all below the lab's 0700 folder.
 * Creating a user needs root (CI runs as root); elsewhere the test says why it cannot run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { LAB } from '../labUnderTest.js';

const OTHER_USER = 'sparktop-e2e-other';

function asOtherUser(argv: string[]): { code: number | null; output: string } {
  const r = spawnSync('runuser', ['-u', OTHER_USER, '--', ...argv], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

export function privacySuite(): void {
  let created = false;
  after(() => {
    if (created) spawnSync('userdel', [OTHER_USER]);
  });

  it("another Unix user can read none of the lab's files (state, logs, Kafka data, checkpoints, event logs)", (t) => {
    if (process.getuid?.() !== 0) return t.skip('creating another user needs root');
    if (spawnSync('id', [OTHER_USER]).status !== 0) {
      const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', OTHER_USER], { encoding: 'utf8' });
      assert.equal(add.status, 0, add.stderr);
      created = true;
    }
    const paths = LAB.paths;
    const targets = [paths.stateFile, paths.logsDir, paths.kafkaDataDir, paths.checkpointsDir, paths.eventLogsDir];
    for (const target of targets) assert.ok(fs.existsSync(target), `${target} exists while the lab runs`);
    // The owner reads them: the refusals below are about who asks, not about missing files.
    assert.ok(fs.readFileSync(paths.stateFile, 'utf8').length > 0);
    // The suite's cache lives in a private temporary folder: open the way to the lab's folder for
    // the time of the test, so that only the lab folder's own mode can refuse.
    const ancestors = [path.dirname(paths.cacheDir), paths.cacheDir];
    const modes = ancestors.map((d) => fs.statSync(d).mode & 0o777);
    try {
      ancestors.forEach((d, i) => fs.chmodSync(d, modes[i]! | 0o011));
      const reach = asOtherUser(['stat', '-c', '%a', paths.labDir]);
      assert.equal(reach.code, 0, `${OTHER_USER} reaches ${paths.labDir}: ${reach.output}`);
      assert.equal(reach.output.trim(), '700');
      for (const target of targets) {
        const r = asOtherUser(fs.statSync(target).isDirectory() ? ['ls', target] : ['cat', target]);
        assert.notEqual(r.code, 0, `${OTHER_USER} read ${target}: ${r.output}`);
        assert.match(r.output, /Permission denied/, target);
      }
    } finally {
      ancestors.forEach((d, i) => fs.chmodSync(d, modes[i]!));
    }
    assert.equal(fs.statSync(paths.labDir).mode & 0o777, 0o700);
  });
}
