/**
 * resources-mismatch: what the application got (executors × cores from the driver, memory per
 * executor from the master) against what its Spark properties asked for.
 */
import { plural } from './text.js';
import { finding, type AdvisorContext, type RawFinding } from './types.js';

function count(s: string | undefined): number | null {
  return s !== undefined && /^\s*\d+\s*$/.test(s) ? Number(s) : null;
}

/** Spark's memory strings (`1g`, `512m`, `2048k`) in MB. */
export function memoryMb(s: string | undefined): number | null {
  const m = s ? /^\s*(\d+)\s*([kmgt]?)b?\s*$/i.exec(s) : null;
  if (!m) return null;
  const factor: Record<string, number> = { '': 1 / (1024 * 1024), k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };
  return Number(m[1]) * factor[m[2]!.toLowerCase()]!;
}

export function resourcesMismatch(ctx: AdvisorContext): RawFinding | null {
  const props = ctx.properties;
  const executors = ctx.d.executors.rows.filter((e) => e.id !== 'driver' && e.isActive);
  if (!props || executors.length === 0) return null;
  const standalone = props['spark.master']?.startsWith('spark://') ?? ctx.master !== null;
  const coresEach = count(props['spark.executor.cores']);
  const coresMax = count(props['spark.cores.max']);
  const instances = count(props['spark.executor.instances']);
  const memory = props['spark.executor.memory'];
  const app = ctx.master?.activeapps.find((a) => a.id === ctx.d.app.id) ?? null;
  const gotCores = executors.reduce((s, e) => s + e.cores, 0);
  const gotEach = [...new Set(executors.map((e) => e.cores))].join('/');

  const diffs: string[] = [];
  const facts: Record<string, string> = { got: `${plural(executors.length, 'executor')} × ${gotEach === '1' ? '1 core' : `${gotEach} cores`} = ${plural(gotCores, 'core')}${app?.memoryperslave ? `, ${app.memoryperslave} MB each` : ''}` };
  if (coresEach !== null && executors.some((e) => e.cores !== coresEach)) diffs.push(`spark.executor.cores=${coresEach} but executors have ${gotEach}`);
  if (coresMax !== null && gotCores < coresMax) {
    diffs.push(`spark.cores.max=${coresMax} but the app got ${plural(gotCores, 'core')}${ctx.master ? ` (the cluster has ${ctx.master.cores}, ${ctx.master.coresused} in use)` : ''}`);
  }
  if (instances !== null && instances !== executors.length) {
    diffs.push(
      standalone
        ? `spark.executor.instances=${instances} (--num-executors) but ${executors.length} executors run: a standalone master ignores it and starts spark.cores.max ÷ spark.executor.cores executors`
        : `spark.executor.instances=${instances} but ${executors.length} executors run`,
    );
  }
  const wantMb = memoryMb(memory);
  if (wantMb !== null && app?.memoryperslave != null && app.memoryperslave !== wantMb) diffs.push(`spark.executor.memory=${memory} but the master gave ${app.memoryperslave} MB per executor`);
  if (diffs.length === 0) return null;
  for (const [k, v] of [['spark.executor.cores', coresEach], ['spark.cores.max', coresMax], ['spark.executor.instances', instances], ['spark.executor.memory', memory]] as const) {
    if (v !== null && v !== undefined) facts[`asked ${k}`] = String(v);
  }
  const each = coresEach ?? executors[0]!.cores;
  return finding(
    'resources-mismatch',
    'warn',
    'The app got other resources than it asked for',
    facts,
    `${diffs.join('; ')}.`,
    standalone && instances !== null
      ? `On a standalone master ask for the total: --total-executor-cores ${instances * each} --executor-cores ${each} gives ${instances} executors (if the workers have the cores free).`
      : 'Ask for what the cluster can give (view the master: cores free, memory per worker), or free cores taken by other apps.',
  );
}
