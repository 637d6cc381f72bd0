/** generator-bound: the load generators do not reach their target, so a test measures them, not Spark. */
import { pct, plural, rate } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

export function generatorBound(ctx: AdvisorContext): RawFinding | null {
  const running = ctx.generators?.generators.filter((g) => !g.paused) ?? [];
  const produced = ctx.d.partitions.produceRps;
  if (running.length === 0 || produced === null) return null;
  const target = running.reduce((s, g) => s + g.targetRps, 0);
  if (target <= 0 || produced >= ctx.thresholds.generatorFraction * target) return null;
  const errors = running.reduce((s, g) => s + g.errors, 0);
  return finding(
    'generator-bound',
    'warn',
    'The load generators do not reach their target',
    {
      generators: String(running.length),
      target: `${rate(target)} (${running.map((g) => rate(g.targetRps)).join(' + ')})`,
      'produced (Kafka)': `${rate(produced)} (${pct(produced / target)})`,
      'generator errors': String(errors),
    },
    `Kafka receives ${rate(produced)}, ${pct(produced / target)} of what ${plural(running.length, 'generator')} aim at (${rate(target)}): the test is limited by the generators, not by Spark.`,
    `Add generators instead of raising the rate (\`+\` in the monitor, or lab up --generators ${running.length + 1}); ${errors > 0 ? 'the generators report errors: check the broker.' : 'each one tops out near the rate it reaches now.'}`,
  );
}
