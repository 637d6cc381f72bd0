import fs from 'node:fs';
import { logFileFor, startComponent } from '../lab/components.js';
import { generatorFiles, generatorSpec } from '../lab/generators.js';
import { writeJsonFileAtomic } from '../files/jsonFile.js';
import type { LabConfig } from '../lab/labConfig.js';
import type { LabPaths } from '../lab/paths.js';
import { isAlive, stopProcess } from '../lab/processes.js';
import { readState, updateState } from '../lab/state.js';
import { resubmitLab, reviewSubmission, runningLabConfig } from '../lab/resubmit.js';
import { stopJob } from '../lab/submit.js';
import { acquireLabLock, LabBusy } from '../lab/lock.js';
import { activeAppsOfOurs } from '../lab/sparkJob.js';
import type { JobResources } from '../domain/resources.js';
import {
  invalidGeneratorCount,
  invalidRate,
  killed,
  noJob,
  pausedOrResumed,
  rateChanged,
  resubmitted,
  resubmitFailed,
  scaled,
  unchangedCount,
} from './messages.js';
import {
  type ActionResult,
  type GeneratorsState,
  type PipelineControl,
  type ResubmitProgress,
  type ReviewedResubmit,
} from './types.js';

/** How long a hotkey waits for another's change of the lab (starting a generator takes about a second). */
const HOTKEY_LOCK_WAIT_MS = 5000;


const index = (name: string) => Number(name.slice('generator-'.length));

/** Acts on the local lab: its generators are processes sparktop started, steered through their control files. */
export class LocalLabControl implements PipelineControl {
  readonly target = 'local' as const;
  readonly unavailableReason = null;

  constructor(private readonly paths: LabPaths) {}

  private config(): LabConfig {
    const c = readState(this.paths.stateFile).config;
    if (!c) throw new Error('the local lab has no recorded configuration (run `sparktop lab up`)');
    return c;
  }

  private running(): string[] {
    const state = readState(this.paths.stateFile);
    return Object.values(state.components)
      .filter((c) => c.name.startsWith('generator-') && isAlive(c))
      .map((c) => c.name)
      .sort((a, b) => index(a) - index(b));
  }

  /** Paused is what the generators' control files say (so it survives a restart of the monitor). */
  private get paused(): boolean {
    const first = this.running()[0];
    if (!first) return false;
    try {
      return (JSON.parse(fs.readFileSync(generatorFiles(this.paths, index(first)).controlFile, 'utf8')) as { paused?: boolean }).paused === true;
    } catch {
      return false;
    }
  }

  generators(): GeneratorsState | null {
    try {
      return { count: this.running().length, ratePerGenerator: this.config().rps, paused: this.paused };
    } catch {
      return null;
    }
  }

  private writeControl(names: string[], rps: number, paused: boolean): void {
    for (const name of names) {
      writeJsonFileAtomic(generatorFiles(this.paths, index(name)).controlFile, { targetRps: rps, paused });
    }
  }

  /**
   * Changes of the lab's state happen under the lab lock, like `lab up`/`down`/`submit`: a hotkey
   * waits out another's short change, and is refused (with who holds it) during a long one.
   */
  private async locked(what: string, change: () => Promise<ActionResult>): Promise<ActionResult> {
    let release: () => void;
    try {
      release = await acquireLabLock(this.paths.lockFile, what, HOTKEY_LOCK_WAIT_MS);
    } catch (err) {
      if (err instanceof LabBusy) return { ok: false, message: `the lab is busy: ${err.message}` };
      throw err;
    }
    try {
      return await change();
    } finally {
      release();
    }
  }

  async scaleGenerators(count: number): Promise<ActionResult> {
    const invalid = invalidGeneratorCount(count);
    if (invalid) return invalid;
    return this.locked('generators', () => this.scaleLocked(count));
  }

  private async scaleLocked(count: number): Promise<ActionResult> {
    const config = this.config();
    const running = this.running();
    const paused = this.paused;
    if (count === running.length) return unchangedCount(count);
    if (count > running.length) {
      const used = new Set(running.map(index));
      let next = 1;
      for (let n = running.length; n < count; n++) {
        while (used.has(next)) next++;
        used.add(next);
        const name = `generator-${next}`;
        await startComponent(this.paths, name, generatorSpec(config, this.paths, next, logFileFor(this.paths, name)), null, null);
        // A new generator starts at the lab's rate; keep it paused if the others are.
        this.writeControl([name], config.rps, paused);
      }
    } else {
      const state = readState(this.paths.stateFile);
      for (const name of running.slice(count).reverse()) {
        const rec = state.components[name];
        if (rec) await stopProcess(rec, 10_000);
        updateState(this.paths.stateFile, (s) => {
          delete s.components[name];
        });
        fs.rmSync(generatorFiles(this.paths, index(name)).statsFile, { force: true });
      }
    }
    updateState(this.paths.stateFile, (s) => {
      if (s.config) s.config.generators = count;
    });
    return scaled(running.length, count, config.rps);
  }

  async setRate(ratePerGenerator: number): Promise<ActionResult> {
    const invalid = invalidRate(ratePerGenerator);
    if (invalid) return invalid;
    return this.locked('generators', async () => this.rateLocked(ratePerGenerator));
  }

  private rateLocked(ratePerGenerator: number): ActionResult {
    const before = this.config().rps;
    this.writeControl(this.running(), ratePerGenerator, this.paused);
    updateState(this.paths.stateFile, (s) => {
      if (s.config) s.config.rps = ratePerGenerator;
    });
    return rateChanged(before, ratePerGenerator);
  }

  async setPaused(paused: boolean): Promise<ActionResult> {
    return this.locked('generators', async () => {
      const names = this.running();
      this.writeControl(names, this.config().rps, paused);
      return pausedOrResumed(names.length, paused);
    });
  }

  jobResources(): JobResources | null {
    try {
      return this.config().resources;
    } catch {
      return null;
    }
  }

  async reviewResubmit(resources: JobResources): Promise<ReviewedResubmit> {
    const config = runningLabConfig(this.paths);
    if (typeof config === 'string') return { ok: false, message: config };
    try {
      return { ok: true, ...(await reviewSubmission(this.paths, { ...config, resources }, resources)) };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  async resubmit(resources: JobResources, progress: ResubmitProgress): Promise<ActionResult> {
    const config = runningLabConfig(this.paths);
    if (typeof config === 'string') return { ok: false, message: config };
    try {
      const result = await resubmitLab({
        paths: this.paths,
        config: { ...config, resources },
        log: () => undefined,
        onStep: progress.onStep,
        checkpointDir: progress.reviewed?.checkpointDir,
        signal: progress.signal,
      });
      return resubmitted(result.appId, result.steps);
    } catch (err) {
      return resubmitFailed(err, await activeAppsOfOurs(config).catch(() => null));
    }
  }

  async killJob(): Promise<ActionResult> {
    const config = runningLabConfig(this.paths);
    if (typeof config === 'string') return { ok: false, message: config };
    const running = await activeAppsOfOurs(config);
    const ours = readState(this.paths.stateFile).components['spark-app'];
    if (running.length === 0 && !(ours && isAlive(ours))) return noJob;
    return this.locked('kill', async () => {
      await stopJob(config, this.paths, () => undefined);
      return killed(running);
    });
  }
}
