import fs from 'node:fs';
import type { JobResources } from '../domain/resources.js';
import { formatCommandLine, type SubmitPlan } from '../domain/sparkSubmit.js';
import { diedReason, logFileFor, startComponent } from './components.js';
import type { LabConfig } from './labConfig.js';
import { driverUi } from './labConfig.js';
import type { LabPaths } from './paths.js';
import { describePortTaken, waitPortFree } from './ports.js';
import { stopProcess } from './processes.js';
import type { Provisioned } from './provision/provision.js';
import { activeAppsOfOurs, awaitSubmittedApp, killOurAppsViaMaster, newCheckpointDir, planSubmission, prepareEventLogDir, submissionEnv } from './sparkJob.js';
import { readState, updateState, type ComponentRecord } from './state.js';
import { ensurePrivateDir } from './privateDir.js';
import { existingLabUiToken } from './sparkAuth.js';

export interface SubmitResult {
  appId: string;
  commandLine: string;
  record: ComponentRecord;
  steps: Array<{ step: string; ms: number }>;
}

export interface SubmitOptions {
  config: LabConfig;
  paths: LabPaths;
  prov: Provisioned;
  resources: JobResources;
  log: (line: string) => void;
  signal?: AbortSignal;
  waitForFirstBatch: boolean;
  /** The checkpoint directory shown in a reviewed command line; a new one by default. */
  checkpointDir?: string;
  /** Each step as it completes (stopping app, resources free, submitted …, first batch …), ms since the start. */
  onStep?: (step: string, ms: number) => void;
}

/** Stops the running job (ours by pid; any leftover app of ours through the master) and waits until the master has freed its cores. */
/** The driver UI's and the listener's ports, free once the previous driver is gone (else which process holds them). */
export async function waitJobPortsFree(config: LabConfig, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  for (const [port, what] of [
    [config.driverUiPort, 'Spark driver UI'],
    [config.listenerPort, 'progress listener'],
  ] as const) {
    if (!(await waitPortFree(port, timeoutMs, signal))) throw new Error(describePortTaken(port, what));
  }
}

/** Starts a spark-submit plan as the lab's `spark-app` component (in the lab's folder: Spark 4 creates `artifacts/` in the driver's). */
export function startJobProcess(paths: LabPaths, config: LabConfig, prov: Provisioned, plan: SubmitPlan): ReturnType<typeof startComponent> {
  return startComponent(
    paths,
    'spark-app',
    { command: plan.command, args: plan.args, env: submissionEnv(plan, config, paths, prov), logFile: logFileFor(paths, 'spark-app'), cwd: paths.labDir },
    config.driverUiPort,
    driverUi(config),
  );
}

export async function stopJob(config: LabConfig, paths: LabPaths, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const current = readState(paths.stateFile).components['spark-app'];
  if (current) {
    const how = await stopProcess(current, 30_000);
    if (how !== 'not-running') log(`  stopped the running job (pid ${current.pid}, ${how})`);
    updateState(paths.stateFile, (s) => {
      delete s.components['spark-app'];
    });
  }
  await killOurAppsViaMaster(config, log, { signal, uiToken: existingLabUiToken(paths) });
}

export async function submitJob(opts: SubmitOptions): Promise<SubmitResult> {
  const { config, paths, prov, log, signal } = opts;
  const steps: Array<{ step: string; ms: number }> = [];
  const t0 = Date.now();
  const mark = (step: string) => {
    steps.push({ step, ms: Date.now() - t0 });
    opts.onStep?.(step, Date.now() - t0);
    log(`  ${step} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  };
  const before = new Set(await activeAppsOfOurs(config));
  if (before.size > 0) opts.onStep?.('stopping app', 0);
  await stopJob(config, paths, log, signal);
  if (before.size > 0) mark('resources free');
  await waitJobPortsFree(config, 15_000, signal);
  const r = opts.resources;
  const coresForCount = r.numExecutors === undefined ? undefined : r.numExecutors * (r.executorCores ?? 1);
  if (coresForCount !== undefined && r.totalExecutorCores !== coresForCount) {
    log(
      `  note: a standalone master ignores --num-executors; it starts as many executors as cores allow. ` +
        `For ${r.numExecutors} executors pass --total-executor-cores ${coresForCount}.`,
    );
  }
  prepareEventLogDir(paths);
  const plan = planSubmission(config, paths, prov, opts.resources, opts.checkpointDir ?? newCheckpointDir(paths, config.query));
  const commandLine = formatCommandLine(plan);
  log(`  ${commandLine}`);
  const record = await startJobProcess(paths, config, prov, plan);
  updateState(paths.stateFile, (s) => {
    s.lastSubmit = commandLine;
  });
  const appId = await awaitSubmittedApp(config, {
    exclude: before,
    mark,
    waitForFirstBatch: opts.waitForFirstBatch,
    failFast: diedReason(record),
    signal,
  });
  ensurePrivateDir(paths.labDir);
  return { appId, commandLine, record, steps };
}
