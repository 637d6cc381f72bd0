import type { JobResources } from '../domain/resources.js';
import { formatCommandLine } from '../domain/sparkSubmit.js';
import { acquireLock } from './lock.js';
import type { LabConfig } from './labConfig.js';
import type { LabPaths } from './paths.js';
import { isAlive } from './processes.js';
import { provision } from './provision/provision.js';
import { newCheckpointDir, planSubmission } from './sparkJob.js';
import { readState, updateState } from './state.js';
import { submitJob, type SubmitResult } from './submit.js';

/** The running lab's configuration, or a sentence saying why the job cannot be (re)submitted. */
export function runningLabConfig(paths: LabPaths): LabConfig | string {
  const state = readState(paths.stateFile);
  const master = state.components['spark-master'];
  if (!state.config || !master || !isAlive(master)) return 'the local lab\'s Spark master is not running: start the lab with `sparktop lab up` first';
  return state.config;
}

export interface ReviewedSubmission {
  commandLine: string;
  checkpointDir: string;
}

/** The exact command line a resubmission with these resources will run (shown before it runs). */
export async function reviewSubmission(paths: LabPaths, config: LabConfig, resources: JobResources): Promise<ReviewedSubmission> {
  const prov = await provision(paths, config.python, () => undefined);
  const checkpointDir = newCheckpointDir(paths, config.query);
  return { commandLine: formatCommandLine(planSubmission(config, paths, prov, resources, checkpointDir)), checkpointDir };
}

export interface ResubmitOptions {
  paths: LabPaths;
  /** The lab configuration to run with (its `resources` are the job's). */
  config: LabConfig;
  log: (line: string) => void;
  onStep?: (step: string, ms: number) => void;
  signal?: AbortSignal;
  checkpointDir?: string;
}

/**
 * Stops the running job, submits it again with `config.resources` and waits for its first batch;
 * the lab remembers the new configuration. One lab action at a time (the lab lock).
 */
export async function resubmitLab(opts: ResubmitOptions): Promise<SubmitResult> {
  const { paths, config, log } = opts;
  const release = acquireLock(paths.lockFile, 'submit');
  try {
    const prov = await provision(paths, config.python, log);
    const result = await submitJob({
      config,
      paths,
      prov,
      resources: config.resources,
      log,
      signal: opts.signal,
      waitForFirstBatch: true,
      checkpointDir: opts.checkpointDir,
      onStep: opts.onStep,
    });
    updateState(paths.stateFile, (s) => {
      s.config = config;
    });
    return result;
  } finally {
    release();
  }
}
