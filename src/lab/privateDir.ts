/**
 * The lab's folder belongs to its owner alone (issue #19): state, logs, Kafka's data, checkpoints
 * and event logs all live below it, so with the folder at 0700 no other user on the machine can
 * read or change any of them, whatever mode a file inside was created with (Kafka and Spark create
 * theirs with the umask). A folder made by an older sparktop is tightened when the lab is used.
 */
import fs from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;

export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((fs.statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}
