/** Every command's `--help` is its own: its usage, its summary, its flags, and no other command's usage. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/commands/registry.js';
import { runCli } from '../e2e/helpers.js';

describe('--help', () => {
  it('each command prints its own usage and summary, and only its own', async () => {
    for (const c of COMMANDS) {
      const argv = c.name === 'monitor' ? ['monitor', '--help'] : [...c.name.split(' '), '--help'];
      const r = await runCli(argv, { timeoutMs: 30_000 });
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.includes(`$ sparktop ${c.usage}`), `${c.name}: its usage`);
      assert.ok(r.stdout.toLowerCase().includes(c.summary.toLowerCase()), `${c.name}: its summary`);
      const others = COMMANDS.filter((o) => o !== c && !c.usage.startsWith(o.usage));
      for (const o of others) assert.ok(!r.stdout.includes(`$ sparktop ${o.usage}`), `${c.name} --help shows ${o.name}'s usage`);
    }
  });

  it('the global help lists every command', async () => {
    const r = await runCli(['--help'], { timeoutMs: 30_000 });
    for (const c of COMMANDS) assert.ok(r.stdout.includes(`$ sparktop ${c.usage}`), c.name);
  });

  it('a usage error shows the command\'s own help', async () => {
    const r = await runCli(['attach', '--partitions', '2'], { timeoutMs: 30_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--partitions does not apply to `sparktop attach`/);
    assert.match(r.stderr, /\$ sparktop attach \[--json\]/);
    assert.doesNotMatch(r.stderr, /\$ sparktop sweep/);
  });

  it('a group\'s --help lists its commands and no other (`sparktop lab --help`); the group alone or an unknown member is a usage error with that list', async () => {
    const lab = COMMANDS.filter((c) => c.name.startsWith('lab '));
    assert.ok(lab.length >= 4, 'the lab commands are in the registry');
    const help = await runCli(['lab', '--help'], { timeoutMs: 30_000 });
    assert.equal(help.code, 0, help.stderr);
    for (const c of lab) assert.ok(help.stdout.includes(`$ sparktop ${c.usage}`), `lab --help lists ${c.name}`);
    for (const o of COMMANDS.filter((c) => !c.name.startsWith('lab '))) assert.ok(!help.stdout.includes(`$ sparktop ${o.usage}`), `lab --help shows ${o.name}`);
    const bare = await runCli(['lab'], { timeoutMs: 30_000 });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /`sparktop lab` needs a command: up, down, status, logs, provision/);
    assert.ok(bare.stderr.includes('$ sparktop lab up'), bare.stderr);
    assert.ok(!bare.stderr.includes('$ sparktop sweep'), bare.stderr);
    const unknown = await runCli(['lab', 'restart'], { timeoutMs: 30_000 });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "lab restart"/);
    assert.ok(unknown.stderr.includes('$ sparktop lab down'), unknown.stderr);
  });
});
