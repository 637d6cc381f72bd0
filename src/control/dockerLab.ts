import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import type { LabEndpoints, QueryName } from '../lab/labConfig.js';
import { driverUi, listenerUrl, masterUi } from '../lab/labConfig.js';
import { fetchMaster } from '../lab/sparkCluster.js';
import { writeJsonFileAtomic } from '../files/jsonFile.js';
import { activeAppsOfOurs, awaitSubmittedApp, checkpointName, killOurAppsViaMaster } from '../lab/sparkJob.js';
import { waitFor } from '../lab/wait.js';
import { GENERATOR_DEFAULTS } from '../generator/options.js';
import {
  DOCKER_LAB,
  GENERATOR_SERVICE,
  LAB_SERVICES,
  RATE_LABEL,
  dockerCheckpointDir,
  generatorsPsCall,
  isUp,
  labPsAllCall,
  labPsCall,
  logsCall,
  parseComposePs,
  pauseGeneratorsCall,
  planDockerSubmission,
  scaleGeneratorsCall,
  servicesDown,
  setRateCall,
  submitCall,
  type ComposeContainer,
  type DockerCall,
  type DockerLabSettings,
} from './dockerCommands.js';
import { DockerFailure, dockerRemedy, runDocker, runDockerSync, type DockerRunner } from './dockerRunner.js';
import { invalidGeneratorCount, invalidRate, killed, noJob, pausedOrResumed, rateChanged, resubmitted, scaled, unchangedCount } from './messages.js';
import type { JobResources } from '../domain/resources.js';
import { formatCommandLine } from '../domain/sparkSubmit.js';
import type { ActionResult, GeneratorsState, PipelineControl, ResubmitProgress, ReviewedResubmit } from './types.js';

/** What sparktop remembers of the Docker lab between runs (the containers do not say it). */
interface DockerLabMemory {
  rps?: number;
  resources?: JobResources;
}

export interface DockerLabOptions {
  endpoints: LabEndpoints;
  /** Where the memory above is kept (e.g. <cache>/docker-lab.json). */
  stateFile: string;
  settings?: DockerLabSettings;
  run?: DockerRunner;
  query?: QueryName;
}

const PS_TIMEOUT_MS = 15_000;
/** Lines of a down service's log in the message that names it. */
const LOG_LINES = 3;
// `up` may build the generator image the first time.
const UP_TIMEOUT_MS = 600_000;
const STALE_MS = 2000;

/** A running Docker lab: `docker compose -p sparktop ps` lists its Kafka or Spark master. False when docker is missing or slow. */
export function dockerLabRunning(settings: DockerLabSettings = DOCKER_LAB, timeoutMs = 3000): boolean {
  const out = runDockerSync(labPsCall(settings), timeoutMs);
  if (out === null) return false;
  try {
    return parseComposePs(out).some((c) => isUp(c) && (LAB_SERVICES as readonly string[]).includes(c.service));
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await axios.get(url, { timeout: 2000 });
    return true;
  } catch {
    return false;
  }
}

/** Acts on the Docker lab through the docker CLI (compose for the generators, exec for spark-submit) and the Spark master. */
export class DockerLabControl implements PipelineControl {
  readonly target = 'docker' as const;
  /** Set while docker itself cannot be used (no CLI, no engine, no Compose v2): every action says so and what to do. */
  private setupProblem: string | null = null;
  private readonly settings: DockerLabSettings;
  private readonly run: DockerRunner;
  private readonly query: QueryName;
  private state: GeneratorsState | null = null;
  private readAt = 0;
  private reading: Promise<GeneratorsState> | null = null;

  constructor(private readonly opts: DockerLabOptions) {
    this.settings = opts.settings ?? DOCKER_LAB;
    this.run = opts.run ?? runDocker;
    this.query = opts.query ?? 'activity2';
    this.refresh().catch(() => undefined);
  }

  private memory(): DockerLabMemory {
    try {
      return JSON.parse(fs.readFileSync(this.opts.stateFile, 'utf8')) as DockerLabMemory;
    } catch {
      return {};
    }
  }

  private remember(change: DockerLabMemory): void {
    fs.mkdirSync(path.dirname(this.opts.stateFile), { recursive: true });
    writeJsonFileAtomic(this.opts.stateFile, { ...this.memory(), ...change });
  }

  private exec(call: DockerCall, timeoutMs = UP_TIMEOUT_MS): Promise<string> {
    return this.run(call, timeoutMs);
  }

  get unavailableReason(): string | null {
    return this.setupProblem;
  }

  /** Reads the generator containers now (one `docker compose ps` at a time). */
  refresh(): Promise<GeneratorsState> {
    this.reading ??= (async () => {
      try {
        let answer: string;
        try {
          answer = await this.exec(generatorsPsCall(this.settings), PS_TIMEOUT_MS);
          this.setupProblem = null;
        } catch (err) {
          if (err instanceof DockerFailure && dockerRemedy(err.kind, err.why) !== null) this.setupProblem = `the Docker lab cannot be reached: ${err.message}`;
          throw err;
        }
        const up = parseComposePs(answer).filter(
          (c) => c.service === GENERATOR_SERVICE && isUp(c),
        );
        const labelled = Number(up[0]?.labels[RATE_LABEL]);
        const rate = Number.isInteger(labelled) && labelled > 0 ? labelled : (this.memory().rps ?? GENERATOR_DEFAULTS.targetRps);
        this.state = { count: up.length, ratePerGenerator: rate, paused: up.length > 0 && up.every((c) => c.state === 'paused') };
        this.readAt = Date.now();
        return this.state;
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /** The last reading; a new one starts in the background when it is older than 2 s. */
  generators(): GeneratorsState | null {
    if (Date.now() - this.readAt > STALE_MS && !this.reading) this.refresh().catch(() => undefined);
    return this.state;
  }

  async scaleGenerators(count: number): Promise<ActionResult> {
    const invalid = invalidGeneratorCount(count);
    if (invalid) return invalid;
    const before = await this.refresh();
    if (count === before.count) return unchangedCount(count);
    await this.exec(scaleGeneratorsCall(this.settings, count, before.ratePerGenerator));
    // New containers start running; keep them paused if the others are.
    if (before.paused && count > before.count) await this.exec(pauseGeneratorsCall(this.settings, true));
    await this.refresh();
    return scaled(before.count, count, before.ratePerGenerator);
  }

  async setRate(ratePerGenerator: number): Promise<ActionResult> {
    const invalid = invalidRate(ratePerGenerator);
    if (invalid) return invalid;
    const before = await this.refresh();
    if (before.count > 0) {
      await this.exec(setRateCall(this.settings, before.count, ratePerGenerator));
      if (before.paused) await this.exec(pauseGeneratorsCall(this.settings, true));
    }
    this.remember({ rps: ratePerGenerator });
    await this.refresh();
    return rateChanged(before.ratePerGenerator, ratePerGenerator);
  }

  async setPaused(paused: boolean): Promise<ActionResult> {
    const before = await this.refresh();
    if (before.count > 0) await this.exec(pauseGeneratorsCall(this.settings, paused));
    await this.refresh();
    return pausedOrResumed(before.count, paused);
  }

  jobResources(): JobResources | null {
    return this.memory().resources ?? null;
  }

  /** Null when the lab's Spark master answers; else what to do (as the local lab says when it is not running). */
  private async masterDown(): Promise<ActionResult | null> {
    try {
      await fetchMaster(this.opts.endpoints);
      return null;
    } catch {
      return {
        ok: false,
        message: `the Docker lab's Spark master does not answer on ${masterUi(this.opts.endpoints)}: start the lab with \`docker compose -f docker/docker-compose.yaml up -d\``,
      };
    }
  }

  /**
   * Null when the services a job needs run (and are not unhealthy), or when `docker compose ps` lists
   * no lab (the master's answer decides then); else which service is down, the last lines of its
   * log, and what to do.
   */
  private async labDown(): Promise<ActionResult | null> {
    let containers: ComposeContainer[];
    try {
      containers = parseComposePs(await this.exec(labPsAllCall(this.settings), PS_TIMEOUT_MS));
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    const down = servicesDown(containers);
    if (down.length === 0) return null;
    const described = await Promise.all(
      down.map(async (c) => {
        const logs = await this.exec(logsCall(c.name, LOG_LINES), PS_TIMEOUT_MS).catch(() => '');
        const tail = logs.trim().split('\n').filter(Boolean).slice(-LOG_LINES).join(' | ');
        return `${c.service} (${c.name}) is ${c.state === 'running' ? c.health : c.state}${tail ? `; its log ends: ${tail}` : ''}`;
      }),
    );
    return { ok: false, message: `${described.join('; ')}: \`docker compose -f docker/docker-compose.yaml up -d\` starts it again` };
  }

  private submission(resources: JobResources, checkpointDir: string): DockerCall {
    return submitCall(this.settings, planDockerSubmission({ resources, query: this.query, checkpointDir }));
  }

  async reviewResubmit(resources: JobResources): Promise<ReviewedResubmit> {
    const down = (await this.labDown()) ?? (await this.masterDown());
    if (down) return { ok: false, message: down.message };
    const checkpointDir = dockerCheckpointDir(checkpointName(this.query));
    const call = this.submission(resources, checkpointDir);
    return { ok: true, commandLine: formatCommandLine({ command: 'docker', args: call.args, env: call.env }), checkpointDir };
  }

  async resubmit(resources: JobResources, progress: ResubmitProgress): Promise<ActionResult> {
    const down = (await this.labDown()) ?? (await this.masterDown());
    if (down) return down;
    const endpoints = this.opts.endpoints;
    const steps: Array<{ step: string }> = [];
    const t0 = Date.now();
    const mark = (step: string) => {
      steps.push({ step });
      progress.onStep(step, Date.now() - t0);
    };
    const before = new Set(await activeAppsOfOurs(endpoints));
    if (before.size > 0) progress.onStep('stopping app', 0);
    await killOurAppsViaMaster(endpoints, () => undefined);
    // The host ports stay bound by Docker's port mapping, so "free" means the old driver stopped answering.
    await waitFor(
      `the previous driver in ${this.settings.clientContainer} to release ports ${endpoints.driverUiPort} and ${endpoints.listenerPort}`,
      async () => ((await answers(`${listenerUrl(endpoints)}/health`)) || (await answers(`${driverUi(endpoints)}/api/v1/applications`)) ? undefined : true),
      { timeoutMs: 60_000 },
    );
    if (before.size > 0) mark('resources free');
    const checkpointDir = progress.reviewed?.checkpointDir ?? dockerCheckpointDir(checkpointName(this.query));
    await this.exec(this.submission(resources, checkpointDir), PS_TIMEOUT_MS);
    this.remember({ resources });
    // --packages resolves the connector before the app registers: slow the first time.
    const appId = await awaitSubmittedApp(endpoints, { exclude: before, mark, waitForFirstBatch: true, registerTimeoutMs: 300_000 });
    return resubmitted(appId, steps);
  }

  async killJob(): Promise<ActionResult> {
    const down = await this.masterDown();
    if (down) return down;
    const appIds = await killOurAppsViaMaster(this.opts.endpoints, () => undefined);
    return appIds.length === 0 ? noJob : killed(appIds);
  }
}
