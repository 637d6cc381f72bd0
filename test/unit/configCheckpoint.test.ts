import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import { InvalidResource } from '../../src/domain/resources.js';
import { tempDir } from '../support/tempDir.js';

describe('--checkpoint in the watch configuration', () => {
  const cwd = tempDir('sparktop-config-');
  const cacheDir = path.join(cwd, 'cache');

  it('is off by default', () => {
    assert.equal(watchConfigFor({ cacheDir }, {}, cwd).checkpoint, null);
  });

  it('flag over env over config file, resolved against the working folder; file:// accepted', () => {
    fs.writeFileSync(path.join(cwd, 'sparktop.config.json'), JSON.stringify({ checkpoint: 'from-file' }));
    try {
      assert.equal(watchConfigFor({ cacheDir }, {}, cwd).checkpoint, path.join(cwd, 'from-file'));
      assert.equal(watchConfigFor({ cacheDir }, { SPARKTOP_CHECKPOINT: '/ckpt/env' }, cwd).checkpoint, '/ckpt/env');
      assert.equal(watchConfigFor({ cacheDir, checkpoint: 'file:///ckpt/flag' }, { SPARKTOP_CHECKPOINT: '/ckpt/env' }, cwd).checkpoint, '/ckpt/flag');
    } finally {
      fs.rmSync(path.join(cwd, 'sparktop.config.json'));
    }
  });

  it('refuses a remote filesystem URL (not a mounted folder)', () => {
    assert.throws(() => watchConfigFor({ cacheDir, checkpoint: 'hdfs://nn:8020/ckpt' }, {}, cwd), InvalidResource);
  });
});
