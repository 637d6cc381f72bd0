/**
 * The driver's stages as the sampler reads them: the active ones every other round, the completed
 * ones only when due (stagesSchedule.ts: a long-running app retains up to 1000 stages and the full
 * list is megabytes), a stage that left the active list on its own (a few kB, so it does not stay
 * "active" until the next full read), and finished batches' first stages on their own for their
 * rows. The model gets the merged, bounded list.
 */
import type { HttpAnswer, HttpEndpoint } from './http.js';
import { completedStagesDue, type CompletedStagesFetch } from './stagesSchedule.js';

const STAGES_KEPT = 200;
/** Stages that left the active list, read one by one per round at most (the rest wait for the full read). */
const STAGES_READ_ALONE = 2;

/** The fields read here; parse.ts validates the whole row. */
interface StageRow {
  stageId: number;
  attemptId: number;
  status?: unknown;
}

function isStageRow(row: unknown): row is StageRow {
  const r = row as StageRow | null;
  return typeof r === 'object' && r !== null && typeof r.stageId === 'number' && typeof r.attemptId === 'number';
}

const stageKey = (r: StageRow) => `${r.stageId}/${r.attemptId}`;

export class DriverStages {
  private stages = new Map<string, StageRow>();
  private app: string | null = null;
  private lastCompleted: CompletedStagesFetch | null = null;
  private active = new Set<string>();
  /** Counts batch ends and changes of the active stages: completed stages are only re-read after one. */
  private changes = 0;

  /** Another driver is read from now on: nothing read so far is its. */
  forget(): void {
    this.stages = new Map();
    this.app = null;
    this.active = new Set();
    this.lastCompleted = null;
  }

  /** A batch ended: the completed list has changed. */
  noteBatchEnd(): void {
    this.changes++;
  }

  /** One round's read (`tick`: the sampler's round); the answer for the model, null when there is none. */
  async read(driver: HttpEndpoint, base: string, appId: string, tick: number): Promise<HttpAnswer | null> {
    const includeCompleted = completedStagesDue({ tick, appId, changes: this.changes }, this.lastCompleted);
    const query = includeCompleted ? 'status=active&status=complete&status=failed' : 'status=active';
    const answer = await driver.get(`${base}/stages?${query}`);
    if (!answer || answer.status !== 200 || !Array.isArray(answer.body)) return answer;
    if (this.app !== appId) {
      this.stages = new Map();
      this.active = new Set();
      this.app = appId;
    }
    const rows = (answer.body as unknown[]).filter(isStageRow);
    const active = new Set(rows.filter((r) => r.status === 'ACTIVE').map(stageKey));
    const left = [...this.active].filter((k) => !active.has(k));
    if (left.length > 0 || active.size !== this.active.size) this.changes++;
    this.active = active;
    if (includeCompleted) this.lastCompleted = { tick, appId, changes: this.changes, rows: rows.length };
    for (const row of rows) this.stages.set(stageKey(row), row);
    if (!includeCompleted) {
      const finished = await Promise.all(left.slice(0, STAGES_READ_ALONE).map((k) => driver.get(`${base}/stages/${k}?details=false`)));
      for (const a of finished) {
        const row = (Array.isArray(a?.body) ? a.body[0] : a?.body) as unknown;
        if (a?.status !== 200 || !isStageRow(row)) continue;
        this.stages.set(stageKey(row), row);
        // Read between Spark's task end and stage end: asked again next round.
        if (row.status === 'ACTIVE') this.active.add(stageKey(row));
      }
    }
    return { status: 200, body: this.merged() };
  }

  /**
   * Finished batches' first stages (`ids`), each read on its own, when the SQL executions do not
   * show the batches' rows (microBatches.ts stageRowsOf); the merged list when any was added.
   */
  async readForRows(driver: HttpEndpoint, base: string, appId: string, ids: number[]): Promise<HttpAnswer | null> {
    if (ids.length === 0 || this.app !== appId) return null;
    const answers = await Promise.all(ids.map((id) => driver.get(`${base}/stages/${id}?details=false`)));
    let added = false;
    for (const a of answers) {
      if (a?.status !== 200 || !Array.isArray(a.body)) continue;
      for (const row of a.body as unknown[]) {
        if (!isStageRow(row)) continue;
        this.stages.set(stageKey(row), row);
        added = true;
      }
    }
    return added ? { status: 200, body: this.merged() } : null;
  }

  /** The stages read so far, newest first, bounded. */
  private merged(): StageRow[] {
    const merged = [...this.stages.values()].sort((a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId).slice(0, STAGES_KEPT);
    this.stages = new Map(merged.map((r) => [stageKey(r), r]));
    return merged;
  }
}
