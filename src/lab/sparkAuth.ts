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
import fs from 'node:fs';
import { writeFileAtomic } from '../files/outputFile.js';
import { OWNER_ONLY_FILE_MODE, ownerOnlySecret } from './ownerSecret.js';
import type { LabPaths } from './paths.js';

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

/**
 * The confs that carry the lab's Kafka client options to a job: a Kafka source takes them only as
 * its own `kafka.*` options, so the job copies every `spark.sparktop.kafka.<name>` into
 * `kafka.<name>` (spark-apps/spark_structured_streaming_logs_processing.py; `sparktop attach --lab`
 * shows the lines a user's job needs).
 */
export const KAFKA_CONF_PREFIX = 'spark.sparktop.kafka.';

/** The properties every Spark process of the lab starts with; `kafka`: the lab's Kafka client options. */
export function labSparkDefaults(secret: string, kafka: Record<string, string> = {}): string {
  return [
    '# Written by `sparktop lab up`. Mode 0600: it holds the secret the lab\'s Spark processes authenticate with.',
    'spark.authenticate true',
    `spark.authenticate.secret ${secret}`,
    // Off by default since Spark 2.x; said here so that nobody turns on an unauthenticated way to submit.
    'spark.master.rest.enabled false',
    // A driver's UI has no login: no kill buttons for jobs and stages (sparktop stops jobs by pid or through the guarded master).
    'spark.ui.killEnabled false',
    ...Object.entries(kafka).map(([k, v]) => `${KAFKA_CONF_PREFIX}${k} ${v}`),
    '',
  ].join('\n');
}

export function writeLabSparkDefaults(paths: LabPaths, kafka: Record<string, string>): void {
  writeFileAtomic(paths.sparkDefaultsFile, labSparkDefaults(labSparkSecret(paths), kafka), OWNER_ONLY_FILE_MODE);
}

/**
 * The spark-submit options a job of the owner's needs to run on the lab: the lab's properties
 * file (secret included) instead of the job's spark-defaults.conf. Null before the lab's first `up`.
 */
export function labAccessArgs(paths: LabPaths): string[] | null {
  return fs.existsSync(paths.sparkDefaultsFile) ? ['--properties-file', paths.sparkDefaultsFile] : null;
}
