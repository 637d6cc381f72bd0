import type { WatchConfig } from '../config/watchConfig.js';
import type { Derived, SourceState } from '../model/derivedTypes.js';
import { formatBytesOf, formatClock, formatCompact, formatDuration, formatInt, formatPercent, formatSeconds, healthLabel } from '../text/format.js';

function reach(s: SourceState): string {
  if (s.ok === true) return 'ok';
  if (s.ok === false) return `UNREACHABLE since ${formatClock(s.since)}${s.error ? ` (${s.error})` : ''}`;
  return 'unknown';
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [line(header), ...rows.map(line)];
}

/** `sparktop status` for people: the same facts as `--json`, laid out for a terminal or a log. */
export function formatStatusText(d: Derived, config: WatchConfig): string {
  const out: string[] = [];
  out.push(`sparktop status at ${new Date(d.at).toISOString()}   ${healthLabel(d.health)}`);
  out.push(
    `kafka   ${reach(d.sources.kafka)}  ${config.kafka}  topic ${d.partitions.topic ?? config.topic}  produce ${formatCompact(d.partitions.produceRps)} rec/s  total lag ${formatInt(d.partitions.totalLag)}`,
  );
  const last = d.batches.last;
  const sel = d.selection;
  if (sel.appMissing) out.push(`app     ${sel.appMissing}`);
  else if (sel.apps && sel.apps.length > 1) out.push(`apps    ${sel.apps.map((a) => `${a.watched ? '*' : ''}${a.name} ${a.id}`).join(', ')}  (* watched)`);
  if (sel.queryMissing) out.push(`query   ${sel.queryMissing}`);
  else if (sel.queries.length > 1 && sel.query) out.push(`query   ${sel.query.name ?? sel.query.id} (${sel.queryIndex} of ${sel.queries.length}): ${sel.queries.map((q) => q.name ?? q.id).join(', ')}`);
  out.push(
    `spark   ${reach(d.sources.driver)}  ${config.sparkUi}  app ${d.app.name ?? '–'} ${d.app.id ?? '–'}  ` +
      `${d.resources.executors ?? '–'} executors × ${d.resources.coresPerExecutor ?? '–'} cores, ${d.resources.executorMemory ?? '–'}, shuffle ${d.resources.shufflePartitions ?? '–'}`,
  );
  out.push(
    `batches ${reach(d.sources.progress)}  last #${last?.batchId ?? '–'}: ${formatInt(last?.numInputRows)} rows in ${formatDuration(last?.durationMs)}, ` +
      `in ${formatCompact(d.rates.inputRps)}/s out ${formatCompact(d.rates.processedRps)}/s, p95 ${formatDuration(d.batches.p95Ms)} (target ${formatDuration(d.batches.targetMs)})`,
  );
  out.push(
    `master  ${reach(d.sources.master)}  ${config.sparkMaster}  workers ${d.master.workers ?? '–'}, cores ${d.master.coresUsed ?? '–'}/${d.master.coresTotal ?? '–'}, ` +
      `memory ${d.master.memoryUsedMb ?? '–'}/${d.master.memoryTotalMb ?? '–'} MB`,
  );
  if (config.checkpoint) out.push(`checkpoint ${reach(d.sources.checkpoint)}  ${config.checkpoint}`);
  if (d.generators.count !== null) {
    out.push(`generators ${d.generators.count} × ${formatCompact(d.generators.targetRps)} rec/s target, achieved ${formatCompact(d.generators.achievedRps)} rec/s, errors ${formatInt(d.generators.errors)}`);
  }
  if (d.partitions.rows.length > 0) {
    out.push('', 'partitions');
    out.push(
      ...table(
        ['P', 'end-offset', 'spark', 'lag', 'lag s', 'rate', 'status'],
        d.partitions.rows.map((p) => [String(p.partition), formatInt(p.logEndOffset), formatInt(p.sparkOffset), formatInt(p.lag), formatSeconds(p.lagSeconds), formatCompact(p.produceRps), p.status]),
      ),
    );
  }
  if (d.executors.rows.length > 0) {
    out.push('', 'executors');
    out.push(
      ...table(
        ['id', 'host', 'cores', 'active', 'done', 'failed', 'task%', 'gc', 'memory'],
        d.executors.rows.map((e) => [
          e.id,
          e.host,
          String(e.cores),
          String(e.activeTasks),
          formatInt(e.completedTasks),
          String(e.failedTasks),
          formatPercent(e.taskShare),
          formatPercent(e.gcRatio),
          formatBytesOf(e.memoryUsed, e.maxMemory),
        ]),
      ),
    );
  }
  if (d.findings.length > 0) {
    out.push('', 'findings');
    for (const f of d.findings) out.push(`  ${f.severity.toUpperCase()} ${f.id}: ${f.message}`, `      ${f.evidence.text}`, `      → ${f.suggestion}`);
  }
  return out.join('\n');
}
