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
import { DriverStages } from './driverStages.js';
import { missingAppText, resolveApp } from '../model/selection.js';
import { readGeneratorStats } from './generators.js';
import { HttpEndpoint, type HttpAnswer } from './http.js';
import { KafkaOffsetsReader } from './kafka.js';
import type { KafkaAccess } from '../domain/kafkaClientAuth.js';
import { SqlPager } from './sqlPages.js';

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

/** How long stop() waits for the rounds in flight: a little more than one request's deadline (2 s). */
const STOP_WAIT_MS = 3000;
/** Finished batches' first stages read on their own per round for their rows. */
const STAGES_READ_FOR_ROWS = 4;

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
  /** Rounds whose answers have not all come: stop() waits for them. */
  private readonly rounds = new Set<Promise<void>>();
  /** After stop(): late answers are dropped (the recording they would go to is closed). */
  private stopped = false;
  private tick = 0;
  private since: { batchId: number; runId: string } | null = null;
  private readonly stages = new DriverStages();
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
    this.stopped = false;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.refreshMs);
  }

  /**
   * No round starts after this; the answers to requests already sent are samples taken before the
   * stop and are delivered before it resolves (up to STOP_WAIT_MS); any later one is dropped.
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.rounds]), new Promise((resolve) => (wait = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(wait);
    this.stopped = true;
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
    this.stages.forget();
    this.lastDerivedBatch = null;
    this.appEndpointsFailing = false;
  }

  private driverError(message: string): void {
    this.deliver({ t: this.now(), kind: 'source-error', data: { source: 'driver', message } });
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
        if (last || derived !== this.lastDerivedBatch) this.stages.noteBatchEnd();
        this.lastDerivedBatch = derived;
      }
      this.deliver(s);
    }
  }

  private deliver(sample: Sample): void {
    if (!this.stopped) this.opts.onSample(sample);
  }

  /** One round; every request runs concurrently and reports when it is done. */
  async poll(): Promise<void> {
    const round = this.round();
    this.rounds.add(round);
    try {
      await round;
    } finally {
      this.rounds.delete(round);
    }
  }

  private async round(): Promise<void> {
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
      if (g) this.deliver({ t: this.now(), kind: 'generators', data: g });
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
    const stages = n % 2 === 0 ? this.stages.read(this.driver, base, current.id, n).then((a) => this.emit('driver:/stages', a)) : Promise.resolve();
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
          .then(() => this.stages.readForRows(this.driver, base, current.id, this.interpreter.stagesWantedForRows(STAGES_READ_FOR_ROWS)))
          .then((a) => this.emit('driver:/stages', a)),
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
}
