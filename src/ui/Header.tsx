import type { Derived, Health } from '../model/derivedTypes.js';
import type { SourceName } from '../model/samples.js';
import { elideMiddle, formatCompact, formatInt, formatUptime, healthLabel, UNKNOWN } from '../text/format.js';
import { Line } from './Line.js';
import { outageOf, outageText } from './outage.js';
import { composeLine, type Segment } from './segments.js';
import { oneLine, type Span, type Tone } from '../text/cells.js';
import { useTheme, type Glyphs } from './theme.js';

const HEALTH_TONES: Record<Health, Tone> = { 'keeping-up': 'good', 'falling-behind': 'warn', idle: 'muted', down: 'bad', unknown: 'muted' };

const SOURCE_DOTS: ReadonlyArray<{ source: SourceName; label: string; onlyWhenRead?: true }> = [
  { source: 'kafka', label: 'kafka' },
  { source: 'driver', label: 'spark' },
  { source: 'progress', label: 'progress' },
  { source: 'master', label: 'master' },
  // Read only with --checkpoint: no dot before it was read once.
  { source: 'checkpoint', label: 'checkpoint', onlyWhenRead: true },
];

/** Two lines: who and how it is (app, uptime, sources, health), then what it runs with. */
export function Header(props: { derived: Derived; width: number; title: string; frozen: boolean }) {
  const theme = useTheme();
  return (
    <>
      <Line spans={titleLine(props.derived, props.title, props.frozen, props.width, theme.glyphs)} width={props.width} />
      <Line spans={resourcesLine(props.derived, props.width, theme.glyphs)} width={props.width} />
    </>
  );
}

export function titleLine(d: Derived, title: string, frozen: boolean, width: number, glyphs: Glyphs): Span[] {
  const sel = d.selection;
  const appName = oneLine(d.app.name ?? UNKNOWN);
  const running = sel.apps?.length ?? 0;
  // `(1 of 3 running)` only when there is a choice; the one asked for missing says so instead.
  const appOf: Segment[] = sel.appMissing
    ? [{ spans: [{ text: oneLine(sel.appMissing), tone: 'warn', bold: true }], short: [{ text: elideMiddle(oneLine(sel.appMissing), 40), tone: 'warn', bold: true }], priority: 0 }]
    : [];
  const nameSegment: Segment =
    running > 1
      ? {
          spans: [{ text: `app ${appName}`, bold: true }, { text: ` (${sel.appIndex ?? '?'} of ${running} running)` }],
          short: [{ text: elideMiddle(appName, 12), bold: true }, { text: ` ${sel.appIndex ?? '?'}/${running}` }],
          priority: 1,
        }
      : { spans: [{ text: appName, bold: true }], short: [{ text: elideMiddle(appName, 12), bold: true }], priority: 1 };
  const queryText = sel.queryMissing ?? (sel.queries.length > 1 && sel.query ? `query ${oneLine(sel.query.name ?? sel.query.id.slice(0, 8))} (${sel.queryIndex} of ${sel.queries.length})` : null);
  const queryOf: Segment[] = queryText
    ? [{ spans: [{ text: queryText, tone: sel.queryMissing ? 'warn' : undefined, bold: sel.queryMissing !== null }], short: [{ text: elideMiddle(queryText, 24) }], priority: 1 }]
    : [];
  const appId = oneLine(d.app.id ?? UNKNOWN);
  const uptime = d.app.startedAt === null ? UNKNOWN : formatUptime(d.at - d.app.startedAt);
  const dots = SOURCE_DOTS.filter((s) => !s.onlyWhenRead || (d.sources[s.source]?.ok ?? null) !== null).map(({ source, label }) => {
    const ok = d.sources[source]?.ok ?? null;
    const dot: Span = ok === true ? { text: glyphs.sourceOk, tone: 'good' } : ok === false ? { text: glyphs.sourceDown, tone: 'bad', bold: true } : { text: glyphs.sourceUnknown, tone: 'muted' };
    return { label, dot };
  });
  const left: Segment[] = [
    { spans: [{ text: ` ${title}`, bold: true, tone: 'accent' }], priority: 0 },
    nameSegment,
    ...appOf,
    ...queryOf,
    { spans: [{ text: appId }], short: [{ text: elideMiddle(appId, 14) }], priority: 3 },
    { spans: [{ text: `up ${uptime}` }], priority: 2 },
    {
      spans: dots.flatMap(({ label, dot }, i) => [{ text: `${i > 0 ? ' ' : ''}${label} ` }, dot]),
      short: dots.flatMap(({ label, dot }, i) => [{ text: `${i > 0 ? ' ' : ''}${label[0]}` }, dot]),
      priority: 0,
      shortRank: 5,
    },
  ];
  const right: Segment[] = [
    ...(frozen ? [{ spans: [{ text: ' FROZEN ', inverse: true, bold: true }], priority: 0 }] : []),
    { spans: [{ text: `${healthLabel(d.health)} `, bold: true, tone: HEALTH_TONES[d.health] }], priority: 0 },
  ];
  return composeLine(left, right, width);
}

export function resourcesLine(d: Derived, width: number, glyphs: Glyphs): Span[] {
  const r = d.resources;
  const g = d.generators;
  const n = (x: number | null) => (x === null ? UNKNOWN : formatInt(x));
  const sep: Span = { text: ` ${glyphs.separator} `, tone: 'muted' };
  const masterOutage = outageOf(d, 'master');
  const m = d.master;
  const achieved = g.achievedRps !== null && g.targetRps !== null && g.count !== null && Math.abs(g.achievedRps - g.targetRps * g.count) > 0.05 * g.targetRps * g.count;
  const segments: Segment[] = [
    {
      spans: [{ text: ` resources `, tone: 'muted' }, { text: `${n(r.executors)} exec × ${n(r.coresPerExecutor)} core, ${r.executorMemory ?? UNKNOWN}, shuffle ${n(r.shufflePartitions)}` }],
      short: [{ text: ` ${n(r.executors)}×${n(r.coresPerExecutor)}c ${r.executorMemory ?? UNKNOWN} sh ${n(r.shufflePartitions)}` }],
      priority: 0,
    },
    {
      spans: [
        { text: 'generators ', tone: 'muted' },
        { text: g.count === null && g.targetRps === null ? UNKNOWN : `${n(g.count)} × ${n(g.targetRps)} rec/s` },
        ...(achieved ? [{ text: ` (got ${formatCompact(g.achievedRps)}/s)`, tone: 'warn' as const }] : []),
        ...(g.errors ? [{ text: ` errors ${formatInt(g.errors)}`, tone: 'bad' as const }] : []),
      ],
      short: [{ text: `gen ${n(g.count)}×${formatCompact(g.targetRps)}` }, ...(g.errors ? [{ text: ` err ${formatInt(g.errors)}`, tone: 'bad' as const }] : [])],
      priority: 1,
    },
    { spans: [{ text: 'trigger ', tone: 'muted' }, { text: r.trigger ?? UNKNOWN }], priority: 1 },
    ...(r.maxOffsetsPerTrigger !== null ? [{ spans: [{ text: 'maxOffsets ', tone: 'muted' as const }, { text: formatInt(r.maxOffsetsPerTrigger) }], priority: 3 }] : []),
    masterOutage
      ? { spans: [{ text: `master ${outageText(masterOutage, { withSource: false, withAge: false, width: Math.max(30, width - 40) })}`, tone: 'bad' as const, bold: true }], priority: 0 }
      : {
          spans: [{ text: 'master ', tone: 'muted' }, { text: `${n(m.workers)} ${m.workers === 1 ? 'worker' : 'workers'}, cores ${n(m.coresUsed)}/${n(m.coresTotal)}` }],
          short: [{ text: `cores ${n(m.coresUsed)}/${n(m.coresTotal)}` }],
          priority: 2,
        },
  ];
  return composeLine(segments, [], width, sep);
}
