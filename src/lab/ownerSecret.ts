/** Secrets only the lab's owner can read: made once per cache folder, kept (running daemons hold them). */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { writeFileAtomic } from '../files/outputFile.js';

const SECRET = /^[0-9a-f]{64}$/;
export const OWNER_ONLY_FILE_MODE = 0o600;

/** The secret in `file` (0600), or a new one (32 random bytes, hex) written there. */
export function ownerOnlySecret(file: string): string {
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
