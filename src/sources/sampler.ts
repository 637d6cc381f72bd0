/**
 * Polls every source on a schedule and hands validated samples to the model (and the recorder).
 * Load on the driver stays at about 2 requests/s at the default 1 s refresh; each endpoint has at
 * most one request in flight, with a 2 s deadline for its whole answer (http.ts): a poll that finds
 * a path busy emits nothing, and the running request reports its failure when the deadline passes.
 */
import type { WatchConfig } from '../config/watchConfig.js';
import type { Sample } from '../model/samples.js';
import { AnswerInterpreter, type EndpointAnswer, type EndpointName } from './answers.js';
import { CheckpointReader } from './checkpoint.js';
import { DriverDiscovery, portsText } from './drivers.js';
import { missingAppText, resolveApp } from '../model/selection.js';
import { readGeneratorStats } from './generators.js';
import { HttpEndpoint, type HttpAnswer } from './http.js';
import { KafkaOffsetsReader } from './kafka.js';
import type { KafkaAccess } from '../domain/kafkaClientAuth.js';
import { SqlPager } from './sqlPages.js';
import { completedStagesDue, type CompletedStagesFetch } from './stagesSchedule.js';

/** Where to look and how often (the watch configuration's fields), and where samples go. */
export type SamplerOptions = Pick<WatchConfig, 'kafka' | 'topic' | 'group' | 'sparkUi' | 'sparkMaster' | 'progressUrl' | 'refreshMs' | 'generatorsDir'> & {
  /** How to log in to `kafka`. */
  kafkaLogin: Omit<KafkaAccess, 'bootstrap'>;
  /** The query's checkpoint folder (--checkpoint): Spark's committed offsets without the listener. */
  checkpoint?: string | null;
  /** The application to watch (--app: id or name); null/absent: the one --spark-ui serves. */
  app?: string | null;
  onSample: (sample: Sample) => void;
  now?: () => number;
};

const STAGES_KEPT = 200;
/** Stages that left the active list, read one by one per round at most (the rest wait for the full read). */
const STAGES_READ_ALONE = 2;
/** Finished batches' first stages read on their own per round for their rows. */
const STAGES_READ_FOR_ROWS = 4;

/** The fields the sampler itself needs; parse.ts validates the whole row. */
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

export class Sampler {
  private readonly interpreter = new AnswerInterpreter();
  private driver: HttpEndpoint;
  /** --app (or the list's choice): its driver is found through the master and the ports of --spark-ui's host. */
  private appRequest: string | null;
  private readonly discovery: DriverDiscovery;
  private readonly master: HttpEndpoint;
  private readonly listener: HttpEndpoint;
  private readonly kafka: KafkaOffsetsReader;
  private readonly checkpoint: CheckpointReader | null;
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private since: { batchId: number; runId: string } | null = null;
  private stages = new Map<string, StageRow>();
  private stagesApp: string | null = null;
  private lastCompleted: CompletedStagesFetch | null = null;
  private activeStages = new Set<string>();
  /** Counts batch ends and changes of the active stages: completed stages are only re-read after one. */
  private stagesChanges = 0;
  private lastDerivedBatch: number | null = null;
  private appEndpointsFailing = false;
  private readonly sqlPager = new SqlPager();
  private readonly now: () => number;

  constructor(private readonly opts: SamplerOptions) {
    this.driver = new HttpEndpoint(opts.sparkUi);
    this.appRequest = opts.app ?? null;
    this.interpreter.appChosen = this.appRequest !== null;
    this.discovery = new DriverDiscovery(opts.sparkUi);
    this.master = new HttpEndpoint(opts.sparkMaster);
    this.listener = new HttpEndpoint(opts.progressUrl);
    this.kafka = new KafkaOffsetsReader(
      { bootstrap: opts.kafka, ...opts.kafkaLogin },
      opts.topic,
      opts.group,
    );
    this.checkpoint = opts.checkpoint ? new CheckpointReader(opts.checkpoint, opts.topic) : null;
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.refreshMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.kafka.close();
  }

  /** Watches another application from the next round on (null: the one --spark-ui serves). */
  setApp(request: string | null): void {
    if (request === this.appRequest) return;
    this.appRequest = request;
    this.interpreter.appChosen = request !== null;
    this.discovery.invalidate();
    if (request === null && this.driver.baseUrl !== this.opts.sparkUi) this.switchDriver(this.opts.sparkUi);
  }

  /** The driver URL now read (--spark-ui, or the chosen application's). */
  get driverUrl(): string {
    return this.driver.baseUrl;
  }

  private switchDriver(url: string): void {
    this.driver = new HttpEndpoint(url);
    this.interpreter.forgetApp();
    this.stages = new Map();
    this.stagesApp = null;
    this.activeStages = new Set();
    this.lastCompleted = null;
    this.lastDerivedBatch = null;
    this.appEndpointsFailing = false;
  }

  private driverError(message: string): void {
    this.opts.onSample({ t: this.now(), kind: 'source-error', data: { source: 'driver', message } });
  }

  /**
   * With an application chosen: the master says whether it runs and which id it has, the ports of
   * --spark-ui's host where its driver is (cached); then its driver is read as --spark-ui's would be.
   */
  private async pollChosen(n: number, request: string): Promise<void> {
    const apps = this.interpreter.masterApps;
    const r = resolveApp(request, apps);
    if (r.kind === 'unknown' || r.kind === 'auto') return; // the master's own error says why
    if (r.kind === 'missing') {
      this.driverError(missingAppText(r.request, r.running));
      return;
    }
    const ids = (apps ?? []).map((a) => a.id);
    const url = await this.discovery.find(r.app.id, ids);
    if (request !== this.appRequest) return;
    if (!url) {
      this.driverError(`no driver UI of ${r.app.name} (${r.app.id}) answers on ${portsText(this.discovery.lastCandidates)}`);
      return;
    }
    if (url !== this.driver.baseUrl) this.switchDriver(url);
    await this.pollDriver(n, r.app.id);
    const seen = this.interpreter.currentApp;
    // The port now serves another application, or the driver stopped answering: ask the ports again.
    if ((seen && seen.id !== r.app.id) || this.appEndpointsFailing) {
      this.discovery.invalidate();
      if (seen && seen.id !== r.app.id) this.interpreter.forgetApp();
    }
  }

  private emit(endpoint: EndpointName, answer: HttpAnswer | null): void {
    if (!answer) return;
    const a: EndpointAnswer = { t: this.now(), endpoint, status: answer.status, body: answer.body };
    for (const s of this.interpreter.interpret(a)) {
      if (s.kind === 'progress') {
        const last = s.data.progress.at(-1);
        if (last) this.since = { batchId: last.batchId, runId: last.runId };
        const derived = s.data.derivedBatches?.at(-1)?.batchId ?? null;
        if (last || derived !== this.lastDerivedBatch) this.stagesChanges++;
        this.lastDerivedBatch = derived;
      }
      this.opts.onSample(s);
    }
  }

  /** One round; every request runs concurrently and reports when it is done. */
  async poll(): Promise<void> {
    const n = this.tick++;
    const jobs: Array<Promise<void>> = [];
    jobs.push(this.kafka.read().then((a) => this.emit('kafka:offsets', a)));
    const request = this.appRequest;
    const master = this.master.get('/json/').then((a) => this.emit('master:/json', a));
    // A chosen application's driver is known from the master's answer: read after it.
    jobs.push(request === null ? master : master.then(() => this.pollChosen(n, request)));
    jobs.push(this.readProgress().then((a) => this.emit('listener:/progress', a)));
    if (request === null) jobs.push(this.pollDriver(n));
    if (this.checkpoint) this.emit('checkpoint:offsets', this.checkpoint.read());
    if (this.opts.generatorsDir) {
      const g = readGeneratorStats(this.opts.generatorsDir);
      if (g) this.opts.onSample({ t: this.now(), kind: 'generators', data: g });
    }
    await Promise.all(jobs);
  }

  /**
   * The listener's events after the last one delivered. A listener that does not know that event's
   * run (a new application's, on the same port) applies `since` to its own runs' batch ids and
   * would leave out its first batches (sparktop_listener.py, "since"): then everything it holds is
   * read at once, in order, instead (delivered events are recognised again by the model).
   */
  private async readProgress(): Promise<HttpAnswer | null> {
    const since = this.since;
    if (!since) return this.listener.get('/progress');
    const a = await this.listener.get(`/progress?since=${since.batchId}&runId=${encodeURIComponent(since.runId)}`);
    const queries = (a?.body as { queries?: unknown } | null | undefined)?.queries;
    const knowsRun = !Array.isArray(queries) || queries.some((q) => (q as { runId?: unknown } | null)?.runId === since.runId);
    if (a === null || a.status !== 200 || knowsRun) return a;
    return this.listener.get('/progress');
  }

  /** `expectId`: the chosen application: another one at the driver's port is not read. */
  private async pollDriver(n: number, expectId?: string): Promise<void> {
    const app = this.interpreter.currentApp;
    // The app's own endpoints failing most often means another application took over the driver's
    // port: ask which one runs now at once instead of at the next fifth round.
    if (!app || this.appEndpointsFailing || n % 5 === 0) {
      this.emit('driver:/applications', await this.driver.get('/api/v1/applications'));
    }
    const current = this.interpreter.currentApp;
    if (!current || (expectId !== undefined && current.id !== expectId)) return;
    const base = `/api/v1/applications/${encodeURIComponent(current.id)}`;
    const work: Array<Promise<void>> = [];
    if (this.interpreter.needsEnvironment) work.push(this.driver.get(`${base}/environment`).then((a) => this.emit('driver:/environment', a)));
    work.push(
      this.driver.get(`${base}/allexecutors`).then((a) => {
        if (a) this.appEndpointsFailing = a.status !== 200;
        this.emit('driver:/allexecutors', a);
      }),
    );
    const stages = n % 2 === 0 ? this.pollStages(base, current.id, n) : Promise.resolve();
    work.push(stages);
    // With the listener the jobs list tells nothing new (batches come from the listener), and on a
    // busy app it is most of a megabyte: it is read only to derive batches without the listener.
    // The SQL executions and the stages (rows per batch) are read just before the jobs, so a batch
    // the jobs show finished has its rows unless it finished in between (then they come with the
    // next read).
    if (!this.interpreter.listenerAvailable && n % 2 === 0) {
      work.push(this.driver.get('/metrics/prometheus/').then((a) => this.emit('driver:/metrics/prometheus', a)));
      work.push(
        Promise.all([this.pollSql(base, current.id), stages])
          .then(() => this.driver.get(`${base}/jobs`))
          .then((a) => this.emit('driver:/jobs', a))
          .then(() => this.pollStagesForRows(base, current.id)),
      );
    }
    await Promise.all(work);
  }

  /** The newest SQL executions, a page or two (sqlPages.ts): never the whole list again. */
  private async pollSql(base: string, appId: string): Promise<void> {
    this.sqlPager.startRound(appId);
    for (let req = this.sqlPager.next(); req; req = this.sqlPager.next()) {
      const answer = await this.driver.get(`${base}/sql${req.query}`);
      if (!answer) return;
      const ok = answer.status === 200;
      if (this.sqlPager.onAnswer(req, ok ? answer.body : null) || !ok) this.emit('driver:/sql', answer);
    }
  }

  /**
   * Finished batches whose rows are not known yet: their first stage read on its own (a few kB),
   * when the SQL executions do not show the rows (microBatches.ts stageRowsOf).
   */
  private async pollStagesForRows(base: string, appId: string): Promise<void> {
    const wanted = this.interpreter.stagesWantedForRows(STAGES_READ_FOR_ROWS);
    if (wanted.length === 0 || this.stagesApp !== appId) return;
    const answers = await Promise.all(wanted.map((id) => this.driver.get(`${base}/stages/${id}?details=false`)));
    let added = false;
    for (const a of answers) {
      if (a?.status !== 200 || !Array.isArray(a.body)) continue;
      for (const row of a.body as unknown[]) {
        if (!isStageRow(row)) continue;
        this.stages.set(stageKey(row), row);
        added = true;
      }
    }
    if (added) this.emit('driver:/stages', { status: 200, body: this.mergedStages() });
  }

  /**
   * Active stages every other round; completed ones only when due (stagesSchedule.ts): a
   * long-running app retains up to 1000 stages and the full list is megabytes. A stage that left
   * the active list is read on its own (a few kB), so it does not stay "active" until the next
   * full read. The model gets the merged, bounded list.
   */
  private async pollStages(base: string, appId: string, tick: number): Promise<void> {
    const includeCompleted = completedStagesDue({ tick, appId, changes: this.stagesChanges }, this.lastCompleted);
    const query = includeCompleted ? 'status=active&status=complete&status=failed' : 'status=active';
    const answer = await this.driver.get(`${base}/stages?${query}`);
    if (!answer) return;
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      this.emit('driver:/stages', answer);
      return;
    }
    if (this.stagesApp !== appId) {
      this.stages = new Map();
      this.activeStages = new Set();
      this.stagesApp = appId;
    }
    const rows = (answer.body as unknown[]).filter(isStageRow);
    const active = new Set(rows.filter((r) => r.status === 'ACTIVE').map(stageKey));
    const left = [...this.activeStages].filter((k) => !active.has(k));
    if (left.length > 0 || active.size !== this.activeStages.size) this.stagesChanges++;
    this.activeStages = active;
    if (includeCompleted) this.lastCompleted = { tick, appId, changes: this.stagesChanges, rows: rows.length };
    for (const row of rows) this.stages.set(stageKey(row), row);
    if (!includeCompleted) {
      const finished = await Promise.all(left.slice(0, STAGES_READ_ALONE).map((k) => this.driver.get(`${base}/stages/${k}?details=false`)));
      for (const a of finished) {
        const row = (Array.isArray(a?.body) ? a.body[0] : a?.body) as unknown;
        if (a?.status !== 200 || !isStageRow(row)) continue;
        this.stages.set(stageKey(row), row);
        // Read between Spark's task end and stage end: asked again next round.
        if (row.status === 'ACTIVE') this.activeStages.add(stageKey(row));
      }
    }
    this.emit('driver:/stages', { status: 200, body: this.mergedStages() });
  }

  /** The stages read so far, newest first, bounded. */
  private mergedStages(): StageRow[] {
    const merged = [...this.stages.values()].sort((a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId).slice(0, STAGES_KEPT);
    this.stages = new Map(merged.map((r) => [stageKey(r), r]));
    return merged;
  }
}
