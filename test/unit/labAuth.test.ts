import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { labPaths } from '../../src/lab/paths.js';
import { UI_GUARD_CLASS } from '../../src/lab/provision/uiGuardJar.js';
import { guardedMasterEnv } from '../../src/lab/sparkCluster.js';
import { existingLabUiToken, labAccessArgs, labSparkDefaults, labSparkSecret, labUiToken, writeLabSparkDefaults } from '../../src/lab/sparkAuth.js';
import { tempDir } from '../support/tempDir.js';
import { writeLabKafkaClientConfig } from '../../src/lab/kafkaAuth.js';
import { kafkaClientProperties } from '../../src/domain/kafkaClientAuth.js';

function freshLab() {
  const paths = labPaths(tempDir('sparktop-auth-'));
  fs.mkdirSync(paths.sparkConfDir, { recursive: true });
  return paths;
}
const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe("the lab's Spark authentication and UI guard", () => {
  it('writes spark-defaults.conf with authentication, the secret, no kill buttons and no REST submission, both files 0600', () => {
    const paths = freshLab();
    assert.equal(labAccessArgs(paths), null, 'no lab started: nothing to give a job');
    const kafka = kafkaClientProperties(writeLabKafkaClientConfig(paths));
    writeLabSparkDefaults(paths, kafka);
    const secret = fs.readFileSync(paths.sparkSecretFile, 'utf8').trim();
    assert.match(secret, /^[0-9a-f]{64}$/);
    const props = fs.readFileSync(paths.sparkDefaultsFile, 'utf8');
    assert.equal(props, labSparkDefaults(secret, kafka));
    // The job's Kafka login (src/lab/kafkaAuth.ts), as confs it copies into its source's kafka.* options.
    assert.match(props, /^spark\.sparktop\.kafka\.security\.protocol SASL_PLAINTEXT$/m);
    assert.match(props, /^spark\.sparktop\.kafka\.sasl\.mechanism PLAIN$/m);
    const password = fs.readFileSync(paths.kafkaPasswordFile, 'utf8').trim();
    assert.match(props, new RegExp(`^spark\\.sparktop\\.kafka\\.sasl\\.jaas\\.config org\\.apache\\.kafka\\.common\\.security\\.plain\\.PlainLoginModule required username="sparktop" password="${password}";$`, 'm'));
    assert.match(props, /^spark\.authenticate true$/m);
    assert.match(props, new RegExp(`^spark\\.authenticate\\.secret ${secret}$`, 'm'));
    assert.match(props, /^spark\.ui\.killEnabled false$/m);
    assert.match(props, /^spark\.master\.rest\.enabled false$/m);
    assert.equal(mode(paths.sparkSecretFile), 0o600);
    assert.equal(mode(paths.sparkDefaultsFile), 0o600);
    assert.deepEqual(labAccessArgs(paths), ['--properties-file', paths.sparkDefaultsFile]);
  });

  it('keeps the secret across writes (running daemons hold it), tightens a loosened file, replaces a damaged one', () => {
    const paths = freshLab();
    writeLabSparkDefaults(paths, {});
    const first = labSparkSecret(paths);
    fs.chmodSync(paths.sparkSecretFile, 0o644);
    writeLabSparkDefaults(paths, {});
    assert.equal(labSparkSecret(paths), first);
    assert.equal(mode(paths.sparkSecretFile), 0o600);
    fs.writeFileSync(paths.sparkSecretFile, 'half-writ');
    const replaced = labSparkSecret(paths);
    assert.match(replaced, /^[0-9a-f]{64}$/);
    assert.notEqual(replaced, first);
  });

  it("puts the guard on the master's class path with the token file's path, never the token, on its command line", () => {
    const paths = freshLab();
    assert.equal(existingLabUiToken(paths), undefined);
    const env = guardedMasterEnv({ PATH: '/bin' }, '/jars/guard.jar', paths);
    const token = labUiToken(paths);
    assert.equal(existingLabUiToken(paths), token);
    assert.notEqual(token, labSparkSecret(paths), 'the UI token is not the Spark secret');
    assert.equal(env.SPARK_DAEMON_CLASSPATH, '/jars/guard.jar');
    assert.equal(env.PATH, '/bin');
    assert.equal(env.SPARK_MASTER_OPTS, `-Dspark.ui.filters=${UI_GUARD_CLASS} -Dspark.${UI_GUARD_CLASS}.param.tokenFile=${paths.uiTokenFile} -Dspark.ui.killEnabled=true`);
    assert.ok(!JSON.stringify(env).includes(token));
    assert.equal(mode(paths.uiTokenFile), 0o600);
    assert.equal(path.dirname(paths.uiTokenFile), paths.labDir);
  });
});
