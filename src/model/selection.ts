/**
 * Which application and which streaming query are watched (issue "Several applications and
 * queries"). Pure: the requests (`--app`, `--query-name`, or the list opened with `a`) resolved
 * against what the master and the progress answers say runs.
 *
 * - app request null = auto: the application the driver UI given with --spark-ui runs (today's
 *   behaviour); otherwise an application id or name of the master's running applications;
 * - query request null = the first query of the watched application (in start order).
 */
import { activeQueries } from './queries.js';
import type { BatchRow } from './derivedTypes.js';
import type { MasterSample } from './samples.js';
import type { ModelState } from './store.js';

export type MasterApp = MasterSample['activeapps'][number];

export interface SelectionRequest {
  /** Application id or name; null: the application of --spark-ui. */
  app: string | null;
  /** Query name or id; null: the first query. */
  query: string | null;
}

export type AppResolution =
  | { kind: 'auto' }
  | { kind: 'found'; app: MasterApp }
  /** The master has answered and runs no application of that id or name. */
  | { kind: 'missing'; request: string; running: MasterApp[] }
  /** The master has not answered yet. */
  | { kind: 'unknown'; request: string };

/**
 * The master's running application an `--app` value names: its id exactly, else its name (exactly,
 * then ignoring case); among several of one name the newest start. Running = state RUNNING or
 * WAITING (an application waiting for cores still runs its driver).
 */
export function resolveApp(request: string | null, apps: readonly MasterApp[] | null): AppResolution {
  if (request === null) return { kind: 'auto' };
  if (apps === null) return { kind: 'unknown', request };
  const running = apps.filter((a) => a.state === 'RUNNING' || a.state === 'WAITING');
  const byId = running.find((a) => a.id === request);
  if (byId) return { kind: 'found', app: byId };
  const newest = (list: MasterApp[]) => list.sort((x, y) => (y.starttime ?? 0) - (x.starttime ?? 0))[0];
  const byName = newest(running.filter((a) => a.name === request)) ?? newest(running.filter((a) => a.name.toLowerCase() === request.toLowerCase()));
  if (byName) return { kind: 'found', app: byName };
  return { kind: 'missing', request, running };
}

/** `app "X" is not running; running: a, b` (the header's and status's words). */
export function missingAppText(request: string, running: readonly MasterApp[]): string {
  const names = running.map((a) => a.name).join(', ');
  return `app "${request}" is not running; running: ${names || 'none'}`;
}

export interface QueryRef {
  id: string;
  runId: string;
  name: string | null;
}

/** The query a `--query-name` value names (name, else id; null: the first); null without queries or when it is not running. */
export function resolveQuery(request: string | null, queries: readonly QueryRef[]): { query: QueryRef | null; missing: boolean } {
  if (queries.length === 0) return { query: null, missing: false };
  if (request === null) return { query: queries[0]!, missing: false };
  const q = queries.find((x) => x.name === request) ?? queries.find((x) => x.id === request) ?? queries.find((x) => x.name?.toLowerCase() === request.toLowerCase());
  return q ? { query: q, missing: false } : { query: null, missing: true };
}

/**
 * The watched application's queries, in start order: as the listener lists them (running runs),
 * else as the driver's micro-batch descriptions name them (`rows`: the app's batch rows, any order).
 */
export function appQueries(state: ModelState, rows: readonly BatchRow[] = []): QueryRef[] {
  const listed = activeQueries(state.queries);
  if (listed.length > 0) return listed;
  const byId = new Map<string, QueryRef & { t: number }>();
  for (const r of rows) {
    if (!r.queryId) continue;
    const known = byId.get(r.queryId);
    if (!known || known.t > r.t) byId.set(r.queryId, { id: r.queryId, runId: r.runId, name: r.queryName ?? null, t: r.t });
  }
  return [...byId.values()].sort((a, b) => a.t - b.t).map(({ id, runId, name }) => ({ id, runId, name }));
}

export interface QueryChoice {
  /** Whether batches of other queries are left out: several queries, or one asked for. */
  filter: boolean;
  query: QueryRef | null;
  missing: boolean;
}

export function queryChoice(request: string | null, queries: readonly QueryRef[]): QueryChoice {
  const r = resolveQuery(request, queries);
  return { filter: queries.length >= 2 || (request !== null && queries.length > 0), ...r };
}

/** Whether a batch (or progress event) of `queryId` belongs to the shown query. */
export function ofChosenQuery(choice: QueryChoice, queryId: string | null | undefined): boolean {
  if (!choice.filter) return true;
  // A batch whose query is unknown (an old recording) is not another query's for sure: kept.
  return queryId === null || queryId === undefined || queryId === choice.query?.id;
}

/** `query "X" is not running; running: a, b`. */
export function missingQueryText(request: string, queries: readonly QueryRef[]): string {
  return `query "${request}" is not running; running: ${queries.map((q) => q.name ?? q.id.slice(0, 8)).join(', ') || 'none'}`;
}
