import fs from 'node:fs';
import path from 'node:path';
import type { GeneratorsSample } from '../model/samples.js';

/** The local lab's generators report through stats files (src/generator/stats.ts); null when there are none. */
export function readGeneratorStats(dir: string): GeneratorsSample | null {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /^generator-\d+\.stats\.json$/.test(f));
  } catch {
    return null;
  }
  const generators: GeneratorsSample['generators'] = [];
  for (const f of files.sort()) {
    try {
      const s = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
      const pid = num(s.pid);
      // A stats file left by a generator that is gone must not count as a running generator.
      if (pid !== null) {
        try {
          process.kill(pid, 0);
        } catch {
          continue;
        }
      }
      generators.push({
        name: f.replace('.stats.json', ''),
        targetRps: num(s.targetRps) ?? 0,
        achievedRps: num(s.achievedRps),
        acked: num(s.acked) ?? 0,
        errors: num(s.errors) ?? 0,
        paused: s.paused === true,
      });
    } catch {
      /* being rewritten: next tick */
    }
  }
  return { generators };
}
