/**
 * Generator counters, the sliding-window achieved rate and the atomic stats-file writer.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Rate of a cumulative counter over the last `windowMs` (default 5 s). Feed it samples
 * (time, cumulative value); it keeps only what the window needs. Times are ms, any monotonic clock.
 */
export class RateWindow {
  private samples: { t: number; v: number }[] = [];

  constructor(
    readonly windowMs = 5000,
    /** Minimum spacing between kept samples (ms). */
    readonly resolutionMs = 100,
  ) {}

  add(t: number, cumulative: number): void {
    const last = this.samples[this.samples.length - 1];
    // thin out samples closer than resolutionMs; rate() uses the live value for the window's end
    if (last && t - last.t < this.resolutionMs) return;
    this.samples.push({ t, v: cumulative });
    // drop samples older than needed: keep the newest sample at or before (t - windowMs)
    const cutoff = t - this.windowMs;
    let firstNeeded = 0;
    for (let i = 0; i < this.samples.length; i++) {
      const s = this.samples[i];
      if (s && s.t <= cutoff) firstNeeded = i;
      else break;
    }
    if (firstNeeded > 0) this.samples.splice(0, firstNeeded);
  }

  /**
   * Per-second rate between the sample that starts the window and (now, cumulative). Until a full
   * window has passed, the window starts at the first sample. null when there is no interval yet.
   */
  rate(now: number, cumulative: number): number | null {
    const cutoff = now - this.windowMs;
    let start: { t: number; v: number } | undefined;
    for (const s of this.samples) {
      if (s.t <= cutoff) start = s;
      else break;
    }
    start ??= this.samples[0];
    if (!start || now - start.t <= 0) return null;
    return ((cumulative - start.v) * 1000) / (now - start.t);
  }
}

export interface GeneratorCounters {
  /** Records handed to the producer. */
  sent: number;
  /** Records the broker acknowledged. */
  acked: number;
  /** Records in produce calls that failed after kafkajs's retries. */
  errors: number;
  lastError: string | null;
  /** Records in produce calls not yet settled. */
  inFlight: number;
}

export class GeneratorStats implements GeneratorCounters {
  sent = 0;
  acked = 0;
  errors = 0;
  lastError: string | null = null;
  inFlight = 0;
  private readonly window: RateWindow;

  constructor(windowMs = 5000) {
    this.window = new RateWindow(windowMs);
  }

  onSent(n: number): void {
    this.sent += n;
    this.inFlight += n;
  }

  onAcked(n: number): void {
    this.acked += n;
    this.inFlight -= n;
  }

  onFailed(n: number, message: string): void {
    this.errors += n;
    this.inFlight -= n;
    this.lastError = message;
  }

  /** Record a sample of the acked counter (call every tick). */
  sample(now: number): void {
    this.window.add(now, this.acked);
  }

  /** Acked records per second over the last window; null before the first interval. */
  achievedRps(now: number): number | null {
    return this.window.rate(now, this.acked);
  }

  snapshot(): GeneratorCounters {
    return { sent: this.sent, acked: this.acked, errors: this.errors, lastError: this.lastError, inFlight: this.inFlight };
  }
}

/** The stats file's JSON, written once a second. */
export interface GeneratorStatsFile {
  pid: number;
  /** ISO-8601 */
  startedAt: string;
  /** ISO-8601 */
  at: string;
  topic: string;
  /** Bootstrap brokers, comma-separated. */
  broker: string;
  targetRps: number;
  paused: boolean;
  /** Acked records per second over the last 5 s (null: not known yet). */
  achievedRps: number | null;
  sent: number;
  acked: number;
  errors: number;
  lastError: string | null;
  inFlight: number;
}

/** Write JSON atomically: a temp file in the same directory, then rename over the target. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, JSON.stringify(value) + '\n', 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Writes the stats file, never two writes at once (a write still running when the next is due
 * is skipped), reports a failing write once per distinct message.
 */
export class StatsFileWriter {
  private busy: Promise<void> | null = null;
  private lastFailure: string | null = null;

  constructor(
    readonly path: string,
    private readonly warn: (line: string) => void,
  ) {}

  write(value: GeneratorStatsFile): void {
    if (this.busy) return;
    this.busy = writeJsonAtomic(this.path, value)
      .then(() => {
        this.lastFailure = null;
      })
      .catch((err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        if (msg !== this.lastFailure) this.warn(`warning: cannot write stats file ${this.path}: ${msg}`);
        this.lastFailure = msg;
      })
      .finally(() => {
        this.busy = null;
      });
  }

  /** Wait for a running write, then write `value` (used for the final stats). */
  async flush(value: GeneratorStatsFile): Promise<void> {
    if (this.busy) await this.busy;
    this.write(value);
    if (this.busy) await this.busy;
  }
}

/**
 * Below this share of the target the status line says the generator is behind: the advisor's
 * default `generatorFraction` (the generator stands alone and does not read the advisor's settings).
 */
export const BEHIND_SHARE = 0.9;

/** 9998 → "9 998" (space as thousands separator, as in the status line). */
export function groupDigits(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return n < 0 && Math.round(Math.abs(n)) !== 0 ? `-${grouped}` : grouped;
}

/** The human line printed every 5 s. */
export function formatStatusLine(
  s: { achievedRps: number | null; targetRps: number; paused: boolean; acked: number; errors: number; inFlight: number; lastError: string | null },
): string {
  const rate = s.achievedRps === null ? '?' : groupDigits(s.achievedRps);
  const target = s.paused ? 'paused' : `target ${groupDigits(s.targetRps)}/s`;
  let line = `rate ${rate}/s ${target} acked ${groupDigits(s.acked)} errors ${groupDigits(s.errors)} in-flight ${groupDigits(s.inFlight)}`;
  if (s.errors > 0 && s.lastError) line += ` last error: ${s.lastError}`;
  if (!s.paused && s.achievedRps !== null && s.targetRps > 0 && s.achievedRps < BEHIND_SHARE * s.targetRps) {
    line += ` — behind the target (${Math.round((100 * s.achievedRps) / s.targetRps)} % of it): generator-bound unless the broker is slow; more --threads or generators`;
  }
  return line;
}

/** The generator's last line: its totals, `note` added inside the parentheses (e.g. the thread count). */
export function formatFinalLine(
  t: { sent: number; acked: number; errors: number; unconfirmed: number; producingMs: number; averageRps: number; lastError: string | null },
  note?: string,
): string {
  return (
    `final: sent ${groupDigits(t.sent)} acked ${groupDigits(t.acked)} errors ${groupDigits(t.errors)}` +
    ` unconfirmed ${groupDigits(t.unconfirmed)} in ${(t.producingMs / 1000).toFixed(1)} s` +
    ` (average ${groupDigits(t.averageRps)}/s${note ? `, ${note}` : ''})` +
    (t.lastError ? `; last error: ${t.lastError}` : '')
  );
}
