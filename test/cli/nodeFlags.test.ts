/**
 * The monitor's Node flags (SPARKTOP_NODE_FLAGS) reach every way of starting it: the installed
 * `sparktop` command (bin/sparktop.js's shebang), `npm start`, and the tests and benchmarks that
 * start it as a person would.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT, SPARKTOP_BIN, SPARKTOP_NODE_FLAGS } from '../../src/lab/paths.js';

describe('the monitor\'s Node flags', () => {
  it('are in the shebang of bin/sparktop.js, which runs as a command', () => {
    const firstLine = fs.readFileSync(SPARKTOP_BIN, 'utf8').split('\n')[0];
    assert.equal(firstLine, `#!/usr/bin/env -S node ${SPARKTOP_NODE_FLAGS.join(' ')}`);
    const out = execFileSync(SPARKTOP_BIN, ['--version'], { encoding: 'utf8' });
    assert.match(out.trim(), /^\d+\.\d+\.\d+$/);
  });

  it('are in npm start', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.start, `node ${SPARKTOP_NODE_FLAGS.join(' ')} bin/sparktop.js start`);
  });

  it('keep the young generation small under allocation churn', () => {
    const churn = 'const k = []; for (let i = 0; i < 3000; i++) { const a = []; for (let j = 0; j < 2000; j++) a.push({ j, s: "x" + j }); if (i % 100 === 0) k.push(a.length); }'
      + ' console.log(require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size)';
    const newSpace = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, '-e', churn], { encoding: 'utf8' }));
    const withFlags = newSpace(SPARKTOP_NODE_FLAGS);
    assert.ok(withFlags <= 8 * 1048576, `new space ${withFlags} bytes with ${SPARKTOP_NODE_FLAGS.join(' ')}`);
    assert.ok(newSpace([]) > withFlags, 'the flags make a difference');
  });

  it('keep the old generation close to what is live', () => {
    // About 12 MB stay live (the last ten batches of objects), everything older is garbage.
    const churn = 'const v8 = require("v8"); const ring = []; let peak = 0;'
      + ' for (let i = 0; i < 400; i++) { const a = []; for (let j = 0; j < 20000; j++) a.push({ j, s: "x" + j });'
      + ' ring.push(a); if (ring.length > 10) ring.shift();'
      + ' peak = Math.max(peak, v8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space").space_size); }'
      + ' console.log(peak)';
    const oldSpacePeak = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, '-e', churn], { encoding: 'utf8' }));
    const withFlags = oldSpacePeak(SPARKTOP_NODE_FLAGS);
    assert.ok(withFlags <= 48 * 1048576, `old space peaked at ${withFlags} bytes with ${SPARKTOP_NODE_FLAGS.join(' ')}`);
    assert.ok(oldSpacePeak(['--max-semi-space-size=4']) > withFlags * 1.5, 'the growing limit makes a difference');
  });
});
