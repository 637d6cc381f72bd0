/** What the executors show over the recent window: skew, gc-pressure, memory-pressure. */
import type { ExecutorRow } from '../derivedTypes.js';
import { maxOverMedian } from '../executors.js';
import { mib, pct, times } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

const workers = (ctx: AdvisorContext): ExecutorRow[] => ctx.d.executors.rows.filter((e) => e.id !== 'driver' && e.isActive);

export function skew(ctx: AdvisorContext): RawFinding | null {
  const levels = ctx.thresholds.skew;
  const produce = maxOverMedian(ctx.d.partitions.rows.map((p) => p.produceRps).filter((r): r is number => r !== null));
  const measures = [
    { what: 'executor task time', label: 'task time', ratio: ctx.d.executors.skew.taskTime },
    { what: 'executor shuffle read', label: 'shuffle read', ratio: ctx.d.executors.skew.shuffleRead },
    { what: 'produce rate across partitions', label: 'produce rate', ratio: produce },
  ];
  const over = measures.filter((m): m is { what: string; label: string; ratio: number } => m.ratio !== null && m.ratio >= levels.moderate);
  if (over.length === 0) return null;
  const worst = Math.max(...over.map((m) => m.ratio));
  const level = worst >= levels.critical ? 'critical' : worst >= levels.severe ? 'severe' : 'moderate';
  const inExecutors = over.some((m) => m.what.startsWith('executor'));
  const busiest = workers(ctx).reduce<ExecutorRow | null>((b, e) => (e.taskShare !== null && (b === null || e.taskShare > (b.taskShare ?? 0)) ? e : b), null);
  // the worst first: the findings line shows the first facts
  const facts = Object.fromEntries([...measures].sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1)).map((m) => [m.label, m.ratio === null ? 'unknown' : `${times(m.ratio)} median`]));
  if (busiest && inExecutors) facts['busiest executor'] = `${busiest.id} (${pct(busiest.taskShare)} of task time)`;
  return finding(
    'skew',
    worst >= levels.severe ? 'error' : 'warn',
    `${level[0]!.toUpperCase()}${level.slice(1)} skew`,
    facts,
    `${over.map((m) => `${m.what} ${times(m.ratio)}`).join(', ')} the median over the recent window (Dr. Elephant: ${levels.moderate} moderate, ${levels.severe} severe, ${levels.critical} critical).`,
    inExecutors
      ? 'A few keys or partitions carry most rows: spread the hot key (salt it with a random suffix and aggregate twice) or repartition before the aggregation; view 2 shows the busy executor.'
      : 'The producers favour some partitions: send records without a key (or with an evenly spread key), and give the generators equal rates.',
  );
}

function worstOf(ctx: AdvisorContext, value: (e: ExecutorRow) => number | null): { e: ExecutorRow; v: number } | null {
  let worst: { e: ExecutorRow; v: number } | null = null;
  for (const e of workers(ctx)) {
    const v = value(e);
    if (v !== null && (worst === null || v > worst.v)) worst = { e, v };
  }
  return worst;
}

/** The executor memory the app runs with: its property, else the master's memory per executor (MB). */
function executorMemory(ctx: AdvisorContext): string | null {
  const prop = ctx.d.resources.executorMemory;
  if (prop) return prop;
  const mb = ctx.master?.activeapps.find((a) => a.id === ctx.d.app.id)?.memoryperslave ?? null;
  return mb === null ? null : `${mb}m`;
}

/** Twice the given memory (`1g` → `2g`, `1024m` → `2048m`); null when it cannot be read. */
export function doubled(memory: string | null): string | null {
  const m = memory ? /^(\d+)([kmgt]?)b?$/i.exec(memory.trim()) : null;
  return m ? `${Number(m[1]) * 2}${m[2]!.toLowerCase()}` : null;
}

export function gcPressure(ctx: AdvisorContext): RawFinding | null {
  const worst = worstOf(ctx, (e) => e.gcRatio);
  const th = ctx.thresholds;
  if (!worst || worst.v <= th.gcRatio) return null;
  const memory = executorMemory(ctx);
  const more = doubled(memory);
  return finding(
    'gc-pressure',
    worst.v >= th.gcError ? 'error' : 'warn',
    'Executors spend their time in GC',
    {
      'worst executor': worst.e.id,
      'GC ÷ task time': pct(worst.v),
      threshold: pct(th.gcRatio),
      'executor memory': memory ?? 'unknown',
    },
    `Executor ${worst.e.id} spent ${pct(worst.v)} of its task time in garbage collection over the recent window (above ${pct(th.gcRatio)}).`,
    `Give the executors more memory: --executor-memory ${more ?? '<twice today>'}${memory ? ` (now ${memory})` : ''}; or keep less per task (more shuffle partitions, smaller batches with --max-offsets-per-trigger).`,
  );
}

export function memoryPressure(ctx: AdvisorContext): RawFinding | null {
  const worst = worstOf(ctx, (e) => (e.maxMemory > 0 ? e.memoryUsed / e.maxMemory : null));
  const th = ctx.thresholds;
  if (!worst || worst.v <= th.memoryRatio) return null;
  const memory = executorMemory(ctx);
  return finding(
    'memory-pressure',
    'warn',
    'Storage memory nearly full',
    {
      'worst executor': worst.e.id,
      'storage memory': `${mib(worst.e.memoryUsed)} of ${mib(worst.e.maxMemory)} (${pct(worst.v)})`,
      threshold: pct(th.memoryRatio),
    },
    `Executor ${worst.e.id} uses ${pct(worst.v)} of its storage memory: cached blocks and state get evicted or spill.`,
    `Give the executors more memory (--executor-memory ${doubled(memory) ?? '<twice today>'}), unpersist cached data the query no longer needs, or keep state bounded (watermark).`,
  );
}
