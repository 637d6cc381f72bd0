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

/**
 * What a player reads: the recorded clock's range and, for any time, a model state from which
 * reading forward reaches it. In memory (an array) that is always a fresh model at the first
 * sample; from a file (src/record/replayIndex.ts), the nearest snapshot before it.
 */
export interface ReplaySamples {
  /** The first sample's time and the latest one's; null without samples. */
  readonly first: number | null;
  readonly last: number | null;
  /** The restore point for time `t`: how many samples (file order) it holds, all stamped ≤ t. */
  pointFor(t: number): number;
  /** The model at a restore point (never derived: as if just fed those samples) and the samples after it. */
  restore(point: number): { model: ModelState; next: () => Sample | null };
}

/** Samples in memory: every restore starts a fresh model at the first one. */
export function samplesInMemory(samples: readonly Sample[], model?: ModelOptions): ReplaySamples {
  return {
    first: samples[0]?.t ?? null,
    last: samples.length === 0 ? null : samples.reduce((max, s) => Math.max(max, s.t), samples[0]!.t),
    pointFor: () => 0,
    restore: () => {
      let i = 0;
      return { model: createModel(model), next: () => samples[i++] ?? null };
    },
  };
}

export interface ReplayOptions {
  /** For samples given as an array; a ReplaySamples made from a file has its own. */
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
  private readonly source: ReplaySamples;
  private model!: ModelState;
  private next!: () => Sample | null;
  /** The first sample not applied yet (null: none left). */
  private pending!: Sample | null;
  /** Samples applied to `model`, and whether it was derived since it was restored. */
  private applied = 0;
  private derived = false;

  constructor(samples: readonly Sample[] | ReplaySamples, options: ReplayOptions = {}) {
    this.source = Array.isArray(samples) ? samplesInMemory(samples, options.model) : (samples as ReplaySamples);
    this.refreshMs = options.refreshMs ?? 1000;
    this.speed = clampSpeed(options.speed ?? 1);
    this.start = this.source.first ?? options.startedAt ?? 0;
    this.end = Math.max(this.start, this.source.last ?? this.start);
    this.position = this.start;
    this.restore(0);
    this.seek(this.start);
  }

  private restore(point: number): void {
    const { model, next } = this.source.restore(point);
    this.model = model;
    this.next = next;
    this.pending = next();
    this.applied = point;
    this.derived = false;
  }

  /**
   * Moves the recorded clock to `t` (clamped to the recording). Backwards starts again from a
   * restore point (a fresh model in memory), as does a jump forward past one before the model was
   * ever derived (the same state, reached sooner); otherwise the model reads on, so what derive
   * remembers (the advisor's hysteresis) carries on as it did live.
   */
  seek(t: number): void {
    const target = Math.min(this.end, Math.max(this.start, t));
    const point = this.source.pointFor(target);
    if (target < this.position || (!this.derived && point > this.applied)) this.restore(point);
    this.position = target;
    while (this.pending !== null && this.pending.t <= target) {
      applySample(this.model, this.pending);
      this.applied++;
      this.pending = this.next();
    }
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
    this.derived = true;
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
