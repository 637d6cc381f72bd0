/**
 * Only the lab's owner may use its Spark cluster (issue #19): the master, the workers and every job
 * submitted with the lab's configuration authenticate with one shared secret (Spark's
 * `spark.authenticate`), so a connection without it — another user's spark-submit — is refused.
 *
 * A standalone driver accepts the secret only as the `spark.authenticate.secret` conf (secret
 * files are Kubernetes-only, Spark's SecurityManager.initializeAuth), and a conf on the command
 * line is readable by every user in /proc: it lives in the lab's spark-defaults.conf instead, mode
 * 0600 in the lab's 0700 folder, which Spark reads from SPARK_CONF_DIR (daemons and spark-submit
 * alike). Workers hand it to executors in their environment, never on a command line.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { writeFileAtomic } from '../files/outputFile.js';
import type { LabPaths } from './paths.js';

const SECRET = /^[0-9a-f]{64}$/;
export const OWNER_ONLY_FILE_MODE = 0o600;

/** A secret in `file` (0600): made once (32 random bytes, hex) and kept, since running daemons hold it. */
function ownerOnlySecret(file: string): string {
  try {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (SECRET.test(kept)) {
      if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, OWNER_ONLY_FILE_MODE);
      return kept;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('hex');
  writeFileAtomic(file, `${secret}\n`, OWNER_ONLY_FILE_MODE);
  return secret;
}

export function labSparkSecret(paths: LabPaths): string {
  return ownerOnlySecret(paths.sparkSecretFile);
}

/** The token the master UI's guard asks of requests that change something (spark-apps/ui-guard). */
export function labUiToken(paths: LabPaths): string {
  return ownerOnlySecret(paths.uiTokenFile);
}

/** The token when the lab has one (its first `up` made it); undefined for a lab without a guard. */
export function existingLabUiToken(paths: LabPaths): string | undefined {
  return fs.existsSync(paths.uiTokenFile) ? labUiToken(paths) : undefined;
}

/** The properties every Spark process of the lab starts with. */
export function labSparkDefaults(secret: string): string {
  return [
    '# Written by `sparktop lab up`. Mode 0600: it holds the secret the lab\'s Spark processes authenticate with.',
    'spark.authenticate true',
    `spark.authenticate.secret ${secret}`,
    // Off by default since Spark 2.x; said here so that nobody turns on an unauthenticated way to submit.
    'spark.master.rest.enabled false',
    // A driver's UI has no login: no kill buttons for jobs and stages (sparktop stops jobs by pid or through the guarded master).
    'spark.ui.killEnabled false',
    '',
  ].join('\n');
}

export function writeLabSparkDefaults(paths: LabPaths): void {
  writeFileAtomic(paths.sparkDefaultsFile, labSparkDefaults(labSparkSecret(paths)), OWNER_ONLY_FILE_MODE);
}

/**
 * The spark-submit options a job of the owner's needs to run on the lab: the lab's properties
 * file (secret included) instead of the job's spark-defaults.conf. Null before the lab's first `up`.
 */
export function labAccessArgs(paths: LabPaths): string[] | null {
  return fs.existsSync(paths.sparkDefaultsFile) ? ['--properties-file', paths.sparkDefaultsFile] : null;
}
