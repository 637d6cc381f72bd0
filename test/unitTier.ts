/**
 * The unit tier in one process: every test/unit/*.test.ts imported here and run by node:test in
 * this process, instead of one Node + tsx start per file (80 files: most of the tier's time).
 * Unit tests start no processes, so nothing of one file can disturb another.
 *
 *   node --import tsx test/unitTier.ts [name-filter]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'unit');
const filter = process.argv[2] ?? '';
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.test.ts') && x.includes(filter)).sort()) {
  await import(pathToFileURL(path.join(dir, f)).href);
}
