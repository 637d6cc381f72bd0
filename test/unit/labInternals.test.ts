import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildPom, coordinateFromRepoPath, looksLikeZip, readArtifactSet } from '../../src/lab/provision/maven.js';
import { parseJavaMajor, parsePythonVersion } from '../../src/lab/provision/prereqs.js';
import { connectorJarsNotInSpark } from '../../src/lab/provision/provision.js';
import { acquireLabLock, acquireLock, LabBusy } from '../../src/lab/lock.js';
import { tempDir } from '../support/tempDir.js';

const tmp = () => tempDir('sparktop-unit-');

describe('provisioning helpers', () => {
  it('reads the Java major version from `java -version` of old and new JDKs', () => {
    assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
    assert.equal(parseJavaMajor('java version "1.8.0_392"'), 8);
    assert.equal(parseJavaMajor('openjdk version "21" 2023-09-19'), 21);
    assert.equal(parseJavaMajor('command not found'), null);
    assert.deepEqual(parsePythonVersion('Python 3.11.7'), [3, 11]);
  });

  it('reads coordinates back from Maven repository layout', () => {
    assert.deepEqual(coordinateFromRepoPath(path.join('org', 'apache', 'kafka', 'kafka-clients', '3.9.0', 'kafka-clients-3.9.0.jar')), {
      groupId: 'org.apache.kafka',
      artifactId: 'kafka-clients',
      version: '3.9.0',
    });
  });

  it('leaves out of --jars what pyspark already ships, whatever its version', () => {
    const a = (artifactId: string) => ({ groupId: 'g', artifactId, version: '1', file: `/x/${artifactId}.jar`, size: 1, sha256: '' });
    const jars = connectorJarsNotInSpark(
      [a('spark-sql-kafka-0-10_2.13'), a('kafka-clients'), a('scala-library'), a('spark-tags_2.13')],
      ['scala-library-2.13.16.jar', 'spark-sql_2.13-4.0.0.jar', 'spark-tags_2.13-4.0.0.jar'],
    );
    assert.deepEqual(jars, ['/x/spark-sql-kafka-0-10_2.13.jar', '/x/kafka-clients.jar']);
  });

  it('points the unreachable repository id of Spark\'s parent POM at Maven Central', () => {
    const pom = buildPom('x', [{ groupId: 'org.apache.spark', artifactId: 'spark-sql-kafka-0-10_2.13', version: '4.0.0' }]);
    assert.match(pom, /<id>gcs-maven-central-mirror<\/id><url>https:\/\/repo\.maven\.apache\.org\/maven2<\/url>/);
    assert.match(pom, /<artifactId>spark-sql-kafka-0-10_2.13<\/artifactId><version>4.0.0<\/version>/);
  });

  it('tells a whole jar from a truncated one, and a manifest with a changed file is not trusted', () => {
    const dir = tmp();
    // The smallest zip a writer emits: a local header signature up front, the end-of-central-directory record last.
    const empty = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
    const whole = path.join(dir, 'whole.jar');
    fs.writeFileSync(whole, empty);
    const truncated = path.join(dir, 'truncated.jar');
    fs.writeFileSync(truncated, empty.subarray(0, 28));
    assert.equal(looksLikeZip(whole), true);
    assert.equal(looksLikeZip(truncated), false);
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ name: 't', artifacts: [{ groupId: 'g', artifactId: 'a', version: '1', file: whole, size: empty.length, sha256: '' }] }),
    );
    assert.ok(readArtifactSet(dir));
    fs.appendFileSync(whole, 'x');
    assert.equal(readArtifactSet(dir), null);
  });
});

describe('the lab lock', () => {
  const tmpDir = () => tempDir('sparktop-lock-');

  it('is written aside and linked into place: whole from the start, nothing left beside it', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'lab.lock');
    const release = acquireLock(file, 'up');
    assert.deepEqual(fs.readdirSync(dir), ['lab.lock']);
    assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid, process.pid);
    release();
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('lives in a folder only its owner can enter: made 0700, and a folder made open by an older sparktop tightened', () => {
    const lab = path.join(tmpDir(), 'lab');
    acquireLock(path.join(lab, 'lab.lock'), 'up')();
    assert.equal(fs.statSync(lab).mode & 0o777, 0o700);
    fs.chmodSync(lab, 0o755);
    acquireLock(path.join(lab, 'lab.lock'), 'up')();
    assert.equal(fs.statSync(lab).mode & 0o777, 0o700);
  });

  it('is not taken twice by the same process (a hotkey during its own resubmission)', () => {
    const file = path.join(tmpDir(), 'lab.lock');
    const release = acquireLock(file, 'submit');
    assert.throws(() => acquireLock(file, 'generators'), (err) => err instanceof LabBusy && /this sparktop is still running `lab submit`/.test(err.message));
    release();
    acquireLock(file, 'generators')();
  });

  it('a hotkey waits out a short change, and is refused by a long one', async () => {
    const file = path.join(tmpDir(), 'lab.lock');
    const release = acquireLock(file, 'generators');
    setTimeout(release, 300);
    (await acquireLabLock(file, 'generators', 5000))();
    const held = acquireLock(file, 'submit');
    await assert.rejects(acquireLabLock(file, 'generators', 300), LabBusy);
    held();
  });

  it('a release does not remove a lock another process took since', () => {
    const file = path.join(tmpDir(), 'lab.lock');
    const release = acquireLock(file, 'up');
    fs.writeFileSync(file, JSON.stringify({ pid: 999_999_999, startTime: '1', what: 'down' }));
    release();
    assert.equal(fs.existsSync(file), true);
  });
});
