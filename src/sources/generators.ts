import fs from 'node:fs';
import path from 'node:path';
import type { GeneratorsSample } from '../model/samples.js';

/** The raw answer of the local lab's generators: each stats file as read, and whether its writer is alive. */
export interface GeneratorStatsAnswer {
  generators: Array<{ name: string; alive: boolean; stats: unknown }>;
}

/** Reads the stats files (src/generator/stats.ts) of a generators directory; null when there is none. */
export function readGeneratorStatsAnswer(dir: string): GeneratorStatsAnswer | null {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /^generator-\d+\.stats\.json$/.test(f));
  } catch {
    return null;
  }
  const generators: GeneratorStatsAnswer['generators'] = [];
  for (const f of files.sort()) {
    let stats: unknown;
    try {
      stats = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    } catch {
      continue; // being rewritten: next tick
    }
    const pid = (stats as { pid?: unknown } | null)?.pid;
    let alive = true;
    if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
    }
    generators.push({ name: f.replace('.stats.json', ''), alive, stats });
  }
  return { generators };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/** Pure: the generators sample of a stats answer (live or recorded). */
export function parseGeneratorStats(answer: GeneratorStatsAnswer): GeneratorsSample {
  const generators: GeneratorsSample['generators'] = [];
  for (const g of answer.generators) {
    // A stats file left by a generator that is gone must not count as a running generator.
    if (!g.alive || !g.stats || typeof g.stats !== 'object') continue;
    const s = g.stats as Record<string, unknown>;
    generators.push({
      name: g.name,
      targetRps: num(s.targetRps) ?? 0,
      achievedRps: num(s.achievedRps),
      acked: num(s.acked) ?? 0,
      errors: num(s.errors) ?? 0,
      paused: s.paused === true,
    });
  }
  return { generators };
}

/** The local lab's generators report through stats files; null when there are none. */
export function readGeneratorStats(dir: string): GeneratorsSample | null {
  const answer = readGeneratorStatsAnswer(dir);
  return answer ? parseGeneratorStats(answer) : null;
}
