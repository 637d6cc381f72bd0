/**
 * Replay as a source: a recorded clock over the recorded samples. At recorded time T the model
 * holds exactly the samples delivered by then — the file-order prefix whose times are all ≤ T
 * (the file is in delivery order; a sample stamped earlier than one before it waits for it, as it
 * did live) — and is derived at T, so the numbers are those seen live at the same moment.
 */
import { applySample, createModel, derive, type ModelOptions, type ModelState } from '../model/index.js';
import type { Derived } from '../model/derivedTypes.js';
import type { Sample } from '../model/samples.js';
import type { RecordedConfig } from './recordingFormat.js';

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 64;

/** How many leading samples (file order) have been delivered by recorded time `t`. */
export function deliveredBy(samples: readonly Sample[], t: number, from = 0): number {
  let i = from;
  while (i < samples.length && samples[i]!.t <= t) i++;
  return i;
}

/** The model options a recording was made with (target batch duration, topic). */
export function modelOptionsOf(config: RecordedConfig): ModelOptions {
  return {
    ...(typeof config.targetBatchMs === 'number' ? { targetBatchMs: config.targetBatchMs } : {}),
    ...(typeof config.topic === 'string' ? { topic: config.topic } : {}),
  };
}

export interface ReplayOptions {
  model?: ModelOptions;
  /** One step of ← / → in recorded ms (the recording's refresh). */
  refreshMs?: number;
  speed?: number;
  /** Where the clock starts when there are no samples (the header's startedAt). */
  startedAt?: number;
}

export class ReplayPlayer {
  readonly start: number;
  readonly end: number;
  readonly refreshMs: number;
  position: number;
  speed: number;
  paused = false;
  private model: ModelState;
  private applied = 0;

  constructor(
    private readonly samples: readonly Sample[],
    private readonly options: ReplayOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 1000;
    this.speed = clampSpeed(options.speed ?? 1);
    this.start = samples[0]?.t ?? options.startedAt ?? 0;
    this.end = samples.reduce((max, s) => Math.max(max, s.t), this.start);
    this.model = createModel(options.model);
    this.position = this.start;
    this.seek(this.start);
  }

  /** Moves the recorded clock to `t` (clamped to the recording); backwards rebuilds from the start. */
  seek(t: number): void {
    const target = Math.min(this.end, Math.max(this.start, t));
    if (target < this.position) {
      this.model = createModel(this.options.model);
      this.applied = 0;
    }
    this.position = target;
    const upTo = deliveredBy(this.samples, target, this.applied);
    for (let i = this.applied; i < upTo; i++) applySample(this.model, this.samples[i]!);
    this.applied = upTo;
  }

  /** Real time passed: the recorded clock moves by `realMs × speed` unless paused. */
  advance(realMs: number): void {
    if (!this.paused && !this.atEnd()) this.seek(this.position + realMs * this.speed);
  }

  /** One refresh backward (-1) or forward (1); stepping pauses. */
  step(direction: 1 | -1): void {
    this.paused = true;
    this.seek(this.position + direction * this.refreshMs);
  }

  togglePause(): void {
    this.paused = !this.paused;
  }

  /** ×2 (1) or ÷2 (-1) within MIN_SPEED..MAX_SPEED. */
  changeSpeed(direction: 1 | -1): void {
    this.speed = clampSpeed(direction === 1 ? this.speed * 2 : this.speed / 2);
  }

  atEnd(): boolean {
    return this.position >= this.end;
  }

  derive(): Derived {
    return derive(this.model, this.position);
  }

  /** `0:12 / 2:03 · ×1 · paused` (or `end of recording`). */
  status(): string {
    const state = this.atEnd() ? 'end of recording' : this.paused ? 'paused' : 'playing';
    return `${clock(this.position - this.start)} / ${clock(this.end - this.start)} · ×${this.speed} · ${state}`;
  }
}

export function clampSpeed(speed: number): number {
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}

/** Elapsed ms as m:ss, or h:mm:ss from an hour. */
export function clock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
