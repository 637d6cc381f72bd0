/**
 * One place that turns an endpoint's answer into samples, used by the live sampler and by the
 * fixture replays of the tests alike: the tests exercise exactly the code the monitor runs.
 */
import type { ControlSample, MasterSample, ProgressSample, Sample, SourceName, SqlExecution, JobSample, StageSample } from '../model/samples.js';
import { shortRunId } from '../model/events.js';
import { parseGeneratorStats, type GeneratorStatsAnswer } from './generators.js';
import { PayloadError } from './payload.js';
import { parseApplications, parseEnvironment, parseExecutors, parseJobs, parseStages, type DriverApp } from './parseDriver.js';
import { parseKafkaOffsets, parseListenerProgress, parseCheckpoint, parseMaster, parseStreamingMetrics } from './parse.js';
import { batchRows, batchRowsOf, derivedBatchesFromJobs, batchKeyOfDescription, parseSqlExecutions, runIdsOfDescriptions, stageRowsOf } from './microBatches.js';

export type EndpointName =
  | 'kafka:offsets'
  | 'master:/json'
  | 'driver:/applications'
  | 'driver:/allexecutors'
  | 'driver:/stages'
  | 'driver:/jobs'
  | 'driver:/environment'
  | 'listener:/progress'
  | 'driver:/metrics/prometheus'
  /** A page of the driver's SQL executions (read without the listener: rows per batch). */
  | 'driver:/sql'
  /** What src/sources/checkpoint.ts read from the query's checkpoint folder (--checkpoint). */
  | 'checkpoint:offsets'
  | 'generators:stats'
  /** One port's `/api/v1/applications` while looking for an application's driver UI (drivers.ts); not a sample. */
  | 'discovery:/applications'
  /** Not an endpoint: an action sparktop (or the fixture recorder) took, recorded in the same stream. */
  | 'control';

/** What an endpoint answered: status null = no answer (body is `{error}`), else the HTTP status (0 for Kafka). */
export interface EndpointAnswer {
  t: number;
  endpoint: EndpointName;
  status: number | null;
  body: unknown;
  /** The base URL asked (recordings of several drivers: the fixture recorder's `apps` scenario). */
  url?: string;
}

export function sourceOf(endpoint: EndpointName): SourceName {
  if (endpoint.startsWith('kafka:')) return 'kafka';
  if (endpoint.startsWith('master:')) return 'master';
  if (endpoint.startsWith('listener:')) return 'progress';
  if (endpoint.startsWith('checkpoint:')) return 'checkpoint';
  return 'driver';
}

function failure(a: EndpointAnswer): string | null {
  if (a.status === null) {
    const msg = (a.body as { error?: unknown } | null)?.error;
    return typeof msg === 'string' ? msg : 'no answer';
  }
  if (a.status >= 400) return `HTTP ${a.status} from ${a.endpoint.split(':')[1]}`;
  return null;
}

/** SQL executions kept (the newest): a few per batch, so rows for the last several hundred batches. */
const SQL_KEPT = 2000;
/** Batches whose rows from the stages are kept. */
const STAGE_ROWS_KEPT = 1000;

export class AnswerInterpreter {
  private app: DriverApp | null = null;
  private properties: Record<string, string> | null = null;
  /** Whether the driver's last answer was one (its named runs are current only then). */
  private driverAnswering = false;
  private listenerOk = false;
  private metrics: ReturnType<typeof parseStreamingMetrics> = [];
  /** The micro-batches' SQL executions read so far (current app), by execution id. */
  private sql = new Map<number, SqlExecution>();
  /** Rows per batch (`runId/batchId`) from the completed stages read so far (current app). */
  private stageRows = new Map<string, number>();
  /** Stages asked on their own for rows (stagesWantedForRows), so none is asked twice. */
  private stagesAsked = new Set<number>();
  /** The current app's jobs as last read (batches without the listener). */
  private jobs: JobSample[] | null = null;
  /** Streaming runs the current app's driver names in its stages, jobs and SQL executions. */
  private driverRuns = new Set<string>();
  private master: MasterSample | null = null;
  /**
   * Whether an application was chosen (--app, or the list): then the listener's answers count only
   * once the chosen driver names one of its runs. Set by the sampler.
   */
  appChosen = false;

  /** The master's running applications (null before it answered). */
  get masterApps(): MasterSample['activeapps'] | null {
    return this.master?.activeapps ?? null;
  }

  /** Forgets the driver's application (the sampler switched to another driver). */
  forgetApp(): void {
    this.app = null;
    this.properties = null;
    this.sql = new Map();
    this.stageRows = new Map();
    this.stagesAsked = new Set();
    this.jobs = null;
    this.driverRuns = new Set();
    this.listenerOk = false;
  }

  /** The running app the driver reports (null before the first answer). */
  get currentApp(): DriverApp | null {
    return this.app;
  }

  get needsEnvironment(): boolean {
    return this.app !== null && this.properties === null;
  }

  /** Whether batches come from the listener; without it they are derived from the jobs API. */
  get listenerAvailable(): boolean {
    return this.listenerOk;
  }

  interpret(a: EndpointAnswer): Sample[] {
    const failed = failure(a);
    // Local, optional readings that no source state depends on: a failure just yields nothing.
    if (a.endpoint === 'discovery:/applications') return [];
    if (a.endpoint === 'generators:stats' || a.endpoint === 'control') {
      if (failed) return [];
      try {
        return this.samplesOf(a);
      } catch (err) {
        if (err instanceof PayloadError) return [];
        throw err;
      }
    }
    const source = sourceOf(a.endpoint);
    if (failed && a.endpoint === 'driver:/metrics/prometheus') {
      // Optional: most apps do not configure the servlet. Its absence says nothing about the driver.
      this.metrics = [];
      return [];
    }
    // Optional too (row counts): the driver's other answers say whether it is reachable.
    if (failed && a.endpoint === 'driver:/sql') return [];
    if (failed) {
      if (source === 'progress') this.listenerOk = false;
      if (source === 'driver') this.driverAnswering = false;
      return [{ t: a.t, kind: 'source-error', data: { source, message: failed } }];
    }
    if (source === 'driver') this.driverAnswering = true;
    try {
      return this.samplesOf(a);
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      if (source === 'progress') this.listenerOk = false;
      return [{ t: a.t, kind: 'source-error', data: { source, message: err.message } }];
    }
  }

  private samplesOf(a: EndpointAnswer): Sample[] {
    const t = a.t;
    switch (a.endpoint) {
      case 'kafka:offsets': {
        const body = a.body as { topic?: unknown; offsets?: unknown; group?: unknown };
        if (typeof body?.topic !== 'string') throw new PayloadError('Kafka offsets: no topic');
        return [{ t, kind: 'kafka', data: parseKafkaOffsets(body.topic, body.offsets, (body.group as never) ?? null) }];
      }
      case 'master:/json': {
        const m = parseMaster(a.body);
        this.master = m;
        return [{ t, kind: 'master', data: m }];
      }
      case 'driver:/applications': {
        const app = parseApplications(a.body);
        if (app?.id !== this.app?.id) {
          this.properties = null;
          this.sql = new Map(); // execution ids restart with every application
          this.stageRows = new Map();
          this.stagesAsked = new Set();
          this.jobs = null;
          this.driverRuns = new Set();
        }
        this.app = app;
        return [];
      }
      case 'driver:/environment':
        this.properties = parseEnvironment(a.body);
        return [];
      case 'driver:/allexecutors':
        if (!this.app) return [];
        return [{ t, kind: 'executors', data: parseExecutors(this.app, a.body, this.properties) }];
      case 'driver:/stages': {
        if (!this.app) return [];
        const stages = parseStages(this.app.id, a.body);
        this.noteRuns(stages.stages.map((x) => x.description));
        const out: Sample[] = [{ t, kind: 'stages', data: stages }];
        // Rows of batches the jobs already showed: their derived rows change now, not a read later.
        if (this.noteStageRows(stages.stages) && !this.listenerOk && this.jobs) out.push(this.derivedProgress(t, this.jobs));
        return out;
      }
      case 'driver:/jobs': {
        if (!this.app) return [];
        const jobs = parseJobs(this.app.id, a.body);
        this.noteRuns(jobs.jobs.map((j) => j.description));
        this.jobs = jobs.jobs;
        const out: Sample[] = [{ t, kind: 'jobs', data: jobs }];
        if (!this.listenerOk) out.push(this.derivedProgress(t, jobs.jobs));
        return out;
      }
      case 'driver:/sql': {
        if (!this.app) return [];
        for (const e of parseSqlExecutions(a.body)) {
          this.sql.set(e.id, e);
          this.driverRuns.add(e.runId);
        }
        if (this.sql.size > SQL_KEPT) {
          const ids = [...this.sql.keys()].sort((x, y) => x - y);
          for (const id of ids.slice(0, ids.length - SQL_KEPT)) this.sql.delete(id);
        }
        return [];
      }
      case 'checkpoint:offsets':
        return [{ t, kind: 'checkpoint', data: parseCheckpoint(a.body) }];
      case 'driver:/metrics/prometheus':
        // A 404 (servlet not configured) arrives as a failure above and leaves the metrics empty.
        this.metrics = parseStreamingMetrics(a.body);
        return [];
      case 'generators:stats': {
        const body = a.body as GeneratorStatsAnswer | null;
        if (!Array.isArray(body?.generators)) throw new PayloadError('generator stats: no generators list');
        return [{ t, kind: 'generators', data: parseGeneratorStats(body) }];
      }
      case 'control': {
        const body = a.body as ControlSample | null;
        if (typeof body?.action !== 'string') throw new PayloadError('control: no action');
        return [{ t, kind: 'control', data: body }];
      }
      case 'discovery:/applications':
        return [];
      case 'listener:/progress': {
        const p = parseListenerProgress(a.body);
        const verdict = this.listenerVerdict(p);
        if (verdict.kind === 'other') {
          this.listenerOk = false;
          return [{ t, kind: 'source-error', data: { source: 'progress', message: verdict.message } }];
        }
        if (verdict.kind === 'unconfirmed') {
          // Not used until the driver names one of its runs; nothing delivered (the sampler's
          // `since` does not move), so no batch is lost meanwhile. The driver's jobs give batches.
          this.listenerOk = false;
          return [];
        }
        this.listenerOk = true;
        return [{ t, kind: 'progress', data: p }];
      }
    }
  }

  private derivedProgress(t: number, jobs: JobSample[]): Sample {
    const rows = batchRows(batchRowsOf(this.sql.values()), this.stageRows);
    return { t, kind: 'progress', data: { origin: 'derived', queries: [], progress: [], terminated: [], derivedBatches: derivedBatchesFromJobs(jobs, rows), metrics: this.metrics } };
  }

  /** True when a batch's rows are new or changed. Bounded: a few hundred batches back is more than any window shows. */
  private noteStageRows(stages: StageSample[]): boolean {
    let changed = false;
    for (const [key, rows] of stageRowsOf(stages)) {
      const before = this.stageRows.get(key);
      if (before === undefined || rows > before) {
        this.stageRows.set(key, Math.max(before ?? 0, rows));
        changed = true;
      }
    }
    if (this.stageRows.size > STAGE_ROWS_KEPT) this.stageRows = new Map([...this.stageRows].slice(-STAGE_ROWS_KEPT / 2));
    return changed;
  }

  /**
   * Stages to read on their own for rows per batch (src/sources/microBatches.ts stageRowsOf): the
   * first stage of each finished micro-batch in the last jobs answer whose rows neither the SQL
   * executions nor the stages read so far gave, newest first, each asked once.
   */
  stagesWantedForRows(limit: number): number[] {
    if (!this.jobs || this.listenerOk) return [];
    const known = batchRows(batchRowsOf(this.sql.values()), this.stageRows);
    const firstStage = new Map<string, number>();
    const finished = new Map<string, boolean>();
    for (const j of this.jobs) {
      const key = batchKeyOfDescription(j.description);
      if (key === null || j.stageIds.length === 0) continue;
      firstStage.set(key, Math.min(firstStage.get(key) ?? Infinity, ...j.stageIds));
      finished.set(key, (finished.get(key) ?? true) && j.completionTime !== null && j.completionTime !== undefined);
    }
    const wanted: number[] = [];
    for (const [key, stage] of [...firstStage].sort((a, b) => b[1] - a[1])) {
      if (wanted.length >= limit) break;
      if (!finished.get(key) || known.has(key) || this.stagesAsked.has(stage)) continue;
      wanted.push(stage);
      this.stagesAsked.add(stage);
    }
    if (this.stagesAsked.size > STAGE_ROWS_KEPT) this.stagesAsked = new Set([...this.stagesAsked].slice(-STAGE_ROWS_KEPT / 2));
    return wanted;
  }

  private noteRuns(descriptions: Array<string | null>): void {
    for (const r of runIdsOfDescriptions(descriptions)) this.driverRuns.add(r);
    // Bounded: a run is one query start; thousands would be a pathological app.
    if (this.driverRuns.size > 1000) this.driverRuns = new Set([...this.driverRuns].slice(-500));
  }

  /**
   * Whether the listener's answer is about the watched application. Its events carry query and run
   * ids, not the application's: a listener answer is the app's when the app's driver names one of
   * its runs in the descriptions of its stages, jobs or SQL executions (`runId = …`). When the
   * driver names runs and none is the listener's, the listener serves another application. Before
   * the driver named any run, it is trusted only as before this rule: no application chosen and at
   * most one running on the master (the listener given with the driver belongs to it).
   */
  private listenerVerdict(p: ProgressSample): { kind: 'ok' | 'unconfirmed' } | { kind: 'other'; message: string } {
    const runs = new Set([...p.queries.map((q) => q.runId), ...p.progress.map((e) => e.runId)]);
    if (runs.size === 0) return { kind: 'ok' };
    for (const r of runs) if (this.driverRuns.has(r)) return { kind: 'ok' };
    // A driver that does not answer (its application ended; another may have taken its port) names
    // no runs any more: the runs it named before say nothing about the listener's.
    if (this.driverRuns.size > 0 && this.driverAnswering) {
      const theirs = [...runs].slice(-2).map(shortRunId).join(', ');
      const ours = [...this.driverRuns].slice(-2).map(shortRunId).join(', ');
      return { kind: 'other', message: `other app: the listener reports runs ${theirs}, the driver of ${this.app?.id ?? 'the watched app'} runs ${ours}` };
    }
    const running = this.master?.activeapps.length ?? null;
    return !this.appChosen && (running === null || running <= 1) ? { kind: 'ok' } : { kind: 'unconfirmed' };
  }
}
