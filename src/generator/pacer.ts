/**
 * Pure pacing logic: the caller passes the time (ms, monotonic) and the number of records already
 * sent; the pacer says how many are due now.
 *
 * The schedule is the piecewise-linear "ideal cumulative count" ideal(t): it grows at the target
 * rate and is continuous across rate changes, so a rate change never causes a burst. When the
 * caller falls behind by more than `maxBacklog` records (slow broker, in-flight limit reached,
 * event loop stalled), the schedule slips: the backlog is capped, and the achieved rate drops
 * instead of a catch-up burst later.
 */

export interface PacerOptions {
  /** Records per second (0 = paused). */
  rate: number;
  /** Time the schedule starts (ms). */
  startMs: number;
  /** Records sent when the schedule starts (default 0). */
  startSent?: number;
  /**
   * Largest backlog (records due but not sent) kept before the schedule slips, in seconds of the
   * current rate (default 1 s). At least 1 record.
   */
  maxBacklogSeconds?: number;
}

export class Pacer {
  private rateValue: number;
  private anchorMs: number;
  /** ideal(anchorMs); fractional. */
  private anchorCount: number;
  private readonly backlogSeconds: number;
  /** Records dropped from the schedule because the backlog exceeded the cap. */
  slipped = 0;

  constructor(opts: PacerOptions) {
    if (!(opts.rate >= 0) || !Number.isFinite(opts.rate)) throw new RangeError(`rate must be >= 0, got ${opts.rate}`);
    this.rateValue = opts.rate;
    this.anchorMs = opts.startMs;
    this.anchorCount = opts.startSent ?? 0;
    this.backlogSeconds = opts.maxBacklogSeconds ?? 1;
  }

  get rate(): number {
    return this.rateValue;
  }

  /** Ideal cumulative count at `nowMs` (fractional, before backlog capping). */
  ideal(nowMs: number): number {
    const dt = Math.max(0, nowMs - this.anchorMs);
    return this.anchorCount + (dt * this.rateValue) / 1000;
  }

  private maxBacklog(): number {
    return Math.max(1, Math.ceil(this.rateValue * this.backlogSeconds));
  }

  /**
   * Records due at `nowMs` given `sent` already sent, at most `cap` (default unlimited).
   * Does not assume they will be sent: call again with the new `sent` count.
   */
  due(nowMs: number, sent: number, cap = Number.POSITIVE_INFINITY): number {
    // re-anchor at now so that a long run never accumulates float error in (now - anchor)
    const ideal = this.ideal(nowMs);
    this.anchorMs = Math.max(this.anchorMs, nowMs);
    this.anchorCount = ideal;
    const backlog = this.anchorCount - sent;
    const limit = this.maxBacklog();
    if (backlog > limit) {
      this.slipped += backlog - limit;
      this.anchorCount = sent + limit;
    }
    const whole = Math.floor(this.anchorCount - sent);
    return Math.max(0, Math.min(whole, Math.floor(cap)));
  }

  /**
   * Change the rate at `nowMs`. The ideal count is continuous at `nowMs`, so records already due
   * stay due (bounded by the new backlog cap) and nothing extra becomes due: no burst.
   */
  setRate(nowMs: number, rate: number, sent: number): void {
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be >= 0, got ${rate}`);
    this.anchorCount = this.ideal(nowMs);
    this.anchorMs = Math.max(this.anchorMs, nowMs);
    this.rateValue = rate;
    // cap the carried-over backlog at the new rate's cap; with rate 0 nothing stays due
    const limit = rate === 0 ? 0 : this.maxBacklog();
    if (this.anchorCount - sent > limit) {
      this.slipped += this.anchorCount - sent - limit;
      this.anchorCount = sent + limit;
    }
  }
}
