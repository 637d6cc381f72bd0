/**
 * Polls every source on a schedule and hands validated samples to the model (and the recorder).
 * Load on the driver stays at about 2 requests/s at the default 1 s refresh; each endpoint has at
 * most one request in flight; timeouts are 2 s.
 */
import type { WatchConfig } from '../config.js';
import type { Sample } from '../model/samples.js';
import { AnswerInterpreter, type EndpointAnswer, type EndpointName } from './answers.js';
import { readGeneratorStats } from './generators.js';
import { HttpEndpoint, type HttpAnswer } from './http.js';
import { KafkaOffsetsReader } from './kafka.js';

/** Where to look and how often (the watch configuration's fields), and where samples go. */
export type SamplerOptions = Pick<WatchConfig, 'kafka' | 'topic' | 'group' | 'sparkUi' | 'sparkMaster' | 'progressUrl' | 'refreshMs' | 'generatorsDir'> & {
  onSample: (sample: Sample) => void;
  now?: () => number;
};

const STAGES_KEPT = 200;

interface StageRow {
  stageId: number;
  attemptId: number;
}

export class Sampler {
  private readonly interpreter = new AnswerInterpreter();
  private readonly driver: HttpEndpoint;
  private readonly master: HttpEndpoint;
  private readonly listener: HttpEndpoint;
  private readonly kafka: KafkaOffsetsReader;
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private since: { batchId: number; runId: string } | null = null;
  private stages = new Map<string, StageRow>();
  private stagesApp: string | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: SamplerOptions) {
    this.driver = new HttpEndpoint(opts.sparkUi);
    this.master = new HttpEndpoint(opts.sparkMaster);
    this.listener = new HttpEndpoint(opts.progressUrl);
    this.kafka = new KafkaOffsetsReader(opts.kafka, opts.topic, opts.group);
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

  private emit(endpoint: EndpointName, answer: HttpAnswer | null): void {
    if (!answer) return;
    const a: EndpointAnswer = { t: this.now(), endpoint, status: answer.status, body: answer.body };
    for (const s of this.interpreter.interpret(a)) {
      if (s.kind === 'progress') {
        const last = s.data.progress.at(-1);
        if (last) this.since = { batchId: last.batchId, runId: last.runId };
      }
      this.opts.onSample(s);
    }
  }

  /** One round; every request runs concurrently and reports when it is done. */
  async poll(): Promise<void> {
    const n = this.tick++;
    const jobs: Array<Promise<void>> = [];
    jobs.push(this.kafka.read().then((a) => this.emit('kafka:offsets', a)));
    jobs.push(this.master.get('/json/').then((a) => this.emit('master:/json', a)));
    const sincePart = this.since ? `?since=${this.since.batchId}&runId=${encodeURIComponent(this.since.runId)}` : '';
    jobs.push(this.listener.get(`/progress${sincePart}`).then((a) => this.emit('listener:/progress', a)));
    jobs.push(this.pollDriver(n));
    if (this.opts.generatorsDir) {
      const g = readGeneratorStats(this.opts.generatorsDir);
      if (g) this.opts.onSample({ t: this.now(), kind: 'generators', data: g });
    }
    await Promise.all(jobs);
  }

  private async pollDriver(n: number): Promise<void> {
    const app = this.interpreter.currentApp;
    if (!app || n % 5 === 0) {
      this.emit('driver:/applications', await this.driver.get('/api/v1/applications'));
    }
    const current = this.interpreter.currentApp;
    if (!current) return;
    const base = `/api/v1/applications/${encodeURIComponent(current.id)}`;
    const work: Array<Promise<void>> = [];
    if (this.interpreter.needsEnvironment) work.push(this.driver.get(`${base}/environment`).then((a) => this.emit('driver:/environment', a)));
    work.push(this.driver.get(`${base}/allexecutors`).then((a) => this.emit('driver:/allexecutors', a)));
    if (n % 2 === 0) work.push(this.pollStages(base, current.id, n % 10 === 0 || this.stagesApp !== current.id));
    if (!this.interpreter.listenerAvailable && n % 2 === 0) {
      work.push(this.driver.get('/metrics/prometheus/').then((a) => this.emit('driver:/metrics/prometheus', a)));
    }
    if (!this.interpreter.listenerAvailable ? n % 2 === 0 : n % 5 === 0) {
      work.push(this.driver.get(`${base}/jobs`).then((a) => this.emit('driver:/jobs', a)));
    }
    await Promise.all(work);
  }

  /**
   * Active stages every other round, completed ones every tenth: a long-running app retains up to
   * 1000 stages and the full list is hundreds of kB. The model gets the merged, bounded list.
   */
  private async pollStages(base: string, appId: string, includeCompleted: boolean): Promise<void> {
    const query = includeCompleted ? 'status=active&status=complete&status=failed' : 'status=active';
    const answer = await this.driver.get(`${base}/stages?${query}`);
    if (!answer) return;
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      this.emit('driver:/stages', answer);
      return;
    }
    if (this.stagesApp !== appId) {
      this.stages = new Map();
      this.stagesApp = appId;
    }
    const rows = answer.body as StageRow[];
    // A stage that left the active list keeps its last known row until the next full fetch.
    for (const row of rows) {
      if (row && typeof row.stageId === 'number') this.stages.set(`${row.stageId}/${row.attemptId}`, row);
    }
    const merged = [...this.stages.values()].sort((a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId).slice(0, STAGES_KEPT);
    this.stages = new Map(merged.map((r) => [`${r.stageId}/${r.attemptId}`, r]));
    this.emit('driver:/stages', { status: 200, body: merged });
  }
}
