/**
 * Which page of the driver's SQL executions to read next (`/applications/{id}/sql`), so that a
 * long-running app's thousand retained executions are not re-read every round: only those not
 * read yet, and those read while still running (their scan metrics were partial).
 *
 * Spark lists the retained executions by ascending execution id and pages them by position
 * (`offset`, `length`; SqlResource → SQLAppStatusStore.executionsList). Positions move down as
 * Spark evicts the oldest executions (spark.sql.ui.retainedExecutions, 1000 by default), so the
 * pager checks the ids it gets: a page that starts past the execution it wanted was shifted by
 * evictions, and is asked again that many positions earlier (and the shift is expected next time).
 * Each page starts one execution before the one wanted, so an empty page means the list moved.
 * The first round lists the executions without details (ids only, a few hundred bytes each) to find
 * the end of the list, then reads the newest `initial` in detail.
 *
 * No I/O: the sampler (and the fixture recorder) make the requests and hand the answers back.
 */

export interface SqlRequest {
  kind: 'list' | 'page';
  offset: number;
  length: number;
  /** The query string, `?…`. */
  query: string;
}

interface Row {
  id: number;
  status: string;
}

function rowsOf(body: unknown): Row[] | null {
  if (!Array.isArray(body)) return null;
  const rows: Row[] = [];
  for (const r of body as Array<{ id?: unknown; status?: unknown }>) {
    if (typeof r?.id !== 'number' || !Number.isSafeInteger(r.id) || r.id < 0) return null;
    rows.push({ id: r.id, status: typeof r.status === 'string' ? r.status : '' });
  }
  return rows;
}

export class SqlPager {
  private appId: string | null = null;
  /** The oldest execution id not read in its final state (null: the end of the list is not known yet). */
  private want: number | null = null;
  /** Spark's list position of `want` when last seen. */
  private position = 0;
  /** By how many positions the list moved down between two rounds (evictions): expected again. */
  private shift = 0;
  private roundStart = 0;
  private retried = false;
  private pages = 0;
  private done = false;

  constructor(
    private readonly page = 60,
    private readonly initial = 60,
    private readonly maxPagesPerRound = 3,
  ) {}

  /** A new round for `appId` (another app: start over). */
  startRound(appId: string): void {
    if (appId !== this.appId) {
      this.appId = appId;
      this.want = null;
      this.position = 0;
      this.shift = 0;
    }
    this.roundStart = this.position;
    this.retried = false;
    this.pages = 0;
    this.done = false;
  }

  /** The next request of this round, or null when the round has read what it needed. */
  next(): SqlRequest | null {
    if (this.done || this.appId === null) return null;
    if (this.want === null) return { kind: 'list', offset: 0, length: -1, query: '?details=false&planDescription=false' };
    // One execution of overlap (the last one read): an empty page then means the list moved, not "nothing new".
    const offset = Math.max(0, this.position - this.shift - 1);
    const length = this.page + (this.position - offset);
    return { kind: 'page', offset, length, query: `?details=true&planDescription=false&offset=${offset}&length=${length}` };
  }

  /**
   * The answer to `req` (null: no answer, or not 200). True when it is a page of executions to hand
   * to the interpreter (parse.ts validates it); a listing or a shifted page is the pager's alone.
   */
  onAnswer(req: SqlRequest, body: unknown): boolean {
    const rows = body === null ? null : rowsOf(body);
    if (!rows) {
      this.done = true;
      return false;
    }
    if (req.kind === 'list') {
      const start = Math.max(0, rows.length - this.initial);
      this.position = this.roundStart = start;
      this.want = rows[start]?.id ?? 0;
      return false;
    }
    const want = this.want!;
    const first = rows[0]?.id;
    if (first === undefined || first > want) {
      if (req.offset === 0 || this.retried) {
        // Nothing new (an empty end of the list), or what was wanted is gone (evicted): go on from here.
        if (first !== undefined) return this.advance(req, rows, 0);
        this.done = true;
        return false;
      }
      // Moved down by evictions: ids are consecutive, so `want` sits (first − want) positions earlier.
      this.retried = true;
      this.position = Math.max(0, req.offset - (first === undefined ? this.page : first - want));
      this.shift = 0;
      return false;
    }
    const wantIndex = rows.findIndex((r) => r.id >= want);
    if (wantIndex < 0) {
      // The page ended before `want` (fewer evictions than expected): read on after it.
      this.position = req.offset + rows.length;
      this.shift = 0;
      return this.advance(req, rows, rows.length);
    }
    return this.advance(req, rows, wantIndex);
  }

  private advance(req: SqlRequest, rows: Row[], wantIndex: number): boolean {
    if (this.pages === 0) this.shift = Math.max(0, this.roundStart - (req.offset + wantIndex));
    const reachedEnd = rows.length < req.length;
    // A running execution is read again next round (its metrics grow), unless the page did not
    // reach the end of the list: then it is left behind, so one that never ends cannot hold the pager.
    const running = reachedEnd ? rows.findIndex((r, i) => i >= wantIndex && r.status === 'RUNNING') : -1;
    const nextIndex = running >= 0 ? running : rows.length;
    if (rows.length > 0) this.want = running >= 0 ? rows[running]!.id : Math.max(this.want ?? 0, rows[rows.length - 1]!.id + 1);
    this.position = req.offset + nextIndex;
    this.pages++;
    this.retried = false;
    if (reachedEnd || this.pages >= this.maxPagesPerRound) this.done = true;
    return true;
  }
}
