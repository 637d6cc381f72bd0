/**
 * `derive(state, now)`: everything the ui renders and `status` prints, from the state alone.
 * O(partitions + executors + retained batches); arrays that depend only on the state (not on
 * `now`) are cached by version, so an unchanged table keeps its identity between frames.
 * derive also advances the advisor (at most one evaluation per interval of `now`): its hysteresis
 * counts these evaluations, so the same sequence of samples and clocks gives the same findings.
 */
import { advisorView, evaluateAdvisor } from './advisor/index.js';
import type { BatchRow, Derived, SelectionDerived } from './derivedTypes.js';
import { appQueries, missingAppText, missingQueryText, ofChosenQuery, queryChoice, resolveApp, type QueryChoice } from './selection.js';
import { deriveGenerators, deriveMaster, deriveResources } from './cluster.js';
import { deriveExecutors, type ExecutorsDerived } from './executors.js';
import { deriveExperiments } from './experimentRows.js';
import { healthOf } from './health.js';
import { kafkaResetAt } from './kafkaState.js';
import { derivePartitions } from './lag.js';
import { totalLagGrowing } from './lagTrend.js';
import { batchSeries, durationPercentiles } from './rates.js';
import { deriveStages } from './stages.js';
import type { ModelState } from './store.js';
import type { StreamingMetrics } from './samples.js';

function memo<T>(state: ModelState, name: string, key: string, build: () => T): T {
  const hit = state.memo.get(name);
  if (hit && hit.key === key) return hit.value as T;
  const value = build();
  state.memo.set(name, { key, value });
  return value;
}

/**
 * The current app's batches, newest first (all batches when no app is known). Batches that arrived
 * before the driver named any app (the listener often answers first when sparktop starts) count as
 * the current app's: the listener lives in the driver, so it only knows that driver's runs.
 */
function currentAppBatches(rows: BatchRow[], appId: string | null, max: number, choice: QueryChoice | null = null): BatchRow[] {
  const out: BatchRow[] = [];
  for (let i = rows.length - 1; i >= 0 && out.length < max; i--) {
    const r = rows[i]!;
    if ((appId === null || r.appId === appId || r.appId === null) && (choice === null || ofChosenQuery(choice, r.queryId))) out.push(r);
  }
  return out;
}

/** The watched application among the master's running ones, and the shown query among the app's. */
function deriveSelection(state: ModelState, choice: QueryChoice, queries: ReturnType<typeof appQueries>): SelectionDerived {
  const { app: appRequest, query: queryRequest } = state.selection;
  const master = state.master?.activeapps ?? null;
  const running = master?.filter((a) => a.state === 'RUNNING' || a.state === 'WAITING') ?? null;
  const r = resolveApp(appRequest, master);
  const watchedId = r.kind === 'found' ? r.app.id : r.kind === 'auto' ? state.app.id : null;
  const apps =
    running
      ?.slice()
      .sort((a, b) => (a.starttime ?? 0) - (b.starttime ?? 0) || a.id.localeCompare(b.id))
      .map((a) => ({ id: a.id, name: a.name, cores: a.cores, startedAt: a.starttime, watched: a.id === watchedId })) ?? null;
  const at = apps?.findIndex((a) => a.watched) ?? -1;
  const qAt = choice.query ? queries.findIndex((q) => q.id === choice.query!.id) : -1;
  return {
    apps,
    appRequest,
    appIndex: at >= 0 ? at + 1 : null,
    appMissing: r.kind === 'missing' ? missingAppText(r.request, r.running) : null,
    queries: queries.map((q) => ({ id: q.id, name: q.name })),
    queryRequest,
    query: choice.query ? { id: choice.query.id, name: choice.query.name } : null,
    queryIndex: qAt >= 0 ? qAt + 1 : null,
    queryMissing: choice.missing && queryRequest !== null ? missingQueryText(queryRequest, queries) : null,
  };
}

/** Sum over the app's queries; null when no query reports the gauge. */
function streamingGaugeRates(metrics: StreamingMetrics[]): { inputRps: number | null; processedRps: number | null } | null {
  if (metrics.length === 0) return null;
  const sum = (pick: (m: StreamingMetrics) => number | null) => {
    const known = metrics.map(pick).filter((v): v is number => v !== null);
    return known.length > 0 ? known.reduce((s, v) => s + v, 0) : null;
  };
  return { inputRps: sum((m) => m.inputRps), processedRps: sum((m) => m.processedRps) };
}

/** The newest of the last few derived batches whose rates are known (the newest is often still running). */
function newestRated(newestFirst: BatchRow[]): BatchRow | null {
  for (let i = 0; i < Math.min(5, newestFirst.length); i++) {
    const r = newestFirst[i]!;
    if (r.origin === 'derived' && r.processedRps !== null) return r;
  }
  return null;
}

/** Rows are rebuilt when a segment changes; between changes only the current one's duration moves. */
function experimentsAt(state: ModelState, now: number): Derived['experiments'] {
  const exp = state.experiments;
  const rows = memo(state, 'experiments', `${exp.version}`, () => deriveExperiments(exp, now, state.options.targetBatchMs));
  const last = rows[rows.length - 1];
  if (!last || !last.current || last.durationMs === now - last.start) return rows;
  return [...rows.slice(0, -1), { ...last, durationMs: Math.max(0, now - last.start) }];
}

export function derive(state: ModelState, now: number): Derived {
  const o = state.options;
  const sources = {
    kafka: { ...state.sources.kafka },
    driver: { ...state.sources.driver },
    master: { ...state.sources.master },
    progress: { ...state.sources.progress },
    checkpoint: { ...state.sources.checkpoint },
  };
  const appId = state.app.id;

  const bv = `${state.batches.version}`;
  const rows = memo(state, 'batchRows', bv, () => state.batches.rows.toArray());
  const last = rows.length > 0 ? rows[rows.length - 1]! : null;
  const sel = state.selection;
  const qv = `${bv}/${appId}/${state.queries.active?.length ?? -1}/${state.queries.terminated.size}/${sel.query}`;
  const { queries, choice } = memo(state, 'queries', qv, () => {
    const list = appQueries(state, currentAppBatches(rows, appId, o.capacity.percentileBatches));
    return { queries: list, choice: queryChoice(sel.query, list) };
  });
  const qkey = `${bv}/${appId}/${choice.filter}/${choice.query?.id}`;
  const recent = memo(state, 'recentBatches', qkey, () => currentAppBatches(rows, appId, o.capacity.percentileBatches, choice));
  const percentiles = memo(state, 'percentiles', qkey, () => durationPercentiles(recent));
  // With several queries the charts follow the shown one (other apps' batches stay: marked changes).
  const { shownRows, series } = memo(state, 'rateSeries', qkey, () => {
    const shown = choice.filter ? rows.filter((r) => r.appId !== appId || ofChosenQuery(choice, r.queryId)) : rows;
    return { shownRows: shown, series: batchSeries(shown, o.capacity.rateSeries) };
  });
  // The current app's last batch gives the rates; without the listener, Spark's own streaming
  // gauges (when the app enables them) do, else the newest derived batch with rows (from the
  // driver's SQL executions). Another app's batches say nothing about this one.
  const lastOfApp = recent[0] ?? null;
  const lastListener = lastOfApp?.origin === 'derived' ? null : lastOfApp;
  const gauges = lastListener === null ? streamingGaugeRates(state.batches.metrics) : null;
  const derivedRated = lastOfApp?.origin === 'derived' ? newestRated(recent) : null;
  const inputRps = lastListener?.inputRps ?? gauges?.inputRps ?? derivedRated?.inputRps ?? null;
  const processedRps = lastListener?.processedRps ?? gauges?.processedRps ?? derivedRated?.processedRps ?? null;

  const partitions = derivePartitions(state.lag, state.kafka, {
    now,
    appId,
    appStartedAt: state.app.startedAt,
    sources,
    queries: state.queries,
    windows: o.windows,
    thresholds: o.thresholds,
  });
  const lagSeries = memo(state, 'lagSeries', `${state.lag.version}`, () => state.lag.series.toArray());

  const executors = memo<ExecutorsDerived>(state, 'executors', `${state.executors.version}`, () => deriveExecutors(state.executors, o.windows.executorMs));
  const coresEach = executors.activeExecutors > 0 && executors.activeCores % executors.activeExecutors === 0 ? executors.activeCores / executors.activeExecutors : null;
  const lastEvent = state.batches.events.newest();
  const resources = deriveResources(
    state.app.properties,
    { executors: state.executors.t === null ? null : executors.activeExecutors, coresEach },
    lastEvent && lastEvent.appId === appId ? lastEvent.progress : null,
    state.app.querySettings,
  );

  const listenerRecent = recent.filter((r) => r.origin !== 'derived');
  const lagGrowing = totalLagGrowing(state.lag, o.thresholds.behindBatches, o.thresholds.warnMinGrowthSeconds, kafkaResetAt(state.kafka));
  const health = healthOf({
    now,
    sources,
    app: state.app,
    partitions: partitions.rows,
    totalLag: partitions.totalLag,
    produceRps: partitions.produceRps,
    recentBatches: listenerRecent,
    behindBatches: o.thresholds.behindBatches,
    lagGrowing,
    appHasBatches: recent.length > 0,
    startupGraceMs: o.thresholds.stopFloorMs,
    ratesKnown: inputRps !== null || processedRps !== null,
  });

  const derived: Omit<Derived, 'findings' | 'advisor'> = {
    at: now,
    health,
    sources,
    app: { id: appId, name: state.app.name, startedAt: state.app.startedAt },
    selection: deriveSelection(state, choice, queries),
    resources,
    generators: deriveGenerators(state.generators),
    rates: {
      inputRps,
      processedRps,
      produceRps: partitions.produceRps,
      series,
    },
    // A chosen application or query: its own last batch (never the one watched before a switch).
    batches: { last: choice.filter || sel.app !== null ? (recent[0] ?? null) : last, ...percentiles, targetMs: o.targetBatchMs, rows: shownRows },
    partitions: {
      topic: state.kafka.topic,
      rows: partitions.rows,
      totalLag: partitions.totalLag,
      produceRps: partitions.produceRps,
      lagUnknown: partitions.lagUnknown,
      lagSeries,
      logEndView: state.kafka.view,
    },
    executors: { rows: executors.rows, removed: executors.removed, skew: executors.skew },
    stages: deriveStages(state.stages, now, o.capacity.stages),
    master: deriveMaster(state.master),
    appChanges: memo(state, 'appChanges', `${state.appChanges.size}/${state.appChanges.newest()?.t}`, () => state.appChanges.toArray()),
    marks: memo(state, 'marks', `${state.marks.size}/${state.marks.newest()?.t}`, () => state.marks.toArray()),
    events: memo(state, 'events', `${state.events.version}`, () => state.events.rows.toArray()),
    experiments: experimentsAt(state, now),
    thresholds: o.advisor.thresholds,
  };
  evaluateAdvisor(
    state.advisor,
    o.advisor,
    {
      d: derived,
      recent: listenerRecent,
      behindBatches: o.thresholds.behindBatches,
      lagGrowing,
      properties: state.app.properties,
      master: state.master,
      generators: state.generators,
      stages: state.stages,
    },
    now,
  );
  return { ...derived, ...memo(state, 'advisor', `${state.advisor.version}`, () => advisorView(state.advisor)) };
}
