/**
 * The figures of one measure window, computed from the samples alone (the same samples the
 * recording holds, so a report or a test recomputes them from the recording):
 * - produce rate: growth of Kafka's log-end offsets over the window (what the generators delivered);
 * - input/processed rate: Spark's own per-batch rates, row-weighted, of the batches that started
 *   and ended inside the window;
 * - batch durations (triggerExecution) of those batches;
 * - lag trend: least-squares slope of the total lag at the end of each measured batch (Kafka's
 *   log-end then, interpolated between samples, − the batch's end offsets). Taken at the same phase
 *   of every batch, the lag's saw-tooth (it grows during a batch and drops at its commit) does not
 *   read as a trend, as it does with points taken at arbitrary moments of a short window.
 */
import type { DurationsAndLag } from '../model/derivedTypes.js';
import { percentile } from '../model/rates.js';
import type { KafkaSample, QueryProgress, Sample } from '../model/samples.js';
import { endOffsetsOf } from '../model/sparkOffsets.js';
import { sparkDate } from '../model/time.js';

export interface StepMeasurement extends DurationsAndLag {
  from: number;
  to: number;
  produceRps: number | null;
  inputRps: number | null;
  processedRps: number | null;
  batches: number;
  rows: number;
  /** lagSlope is null with fewer than 3 batches. */
  /** Standard error of lagSlope: growth within two of it is noise. */
  lagSlopeError: number | null;
  /** Batch ids measured, `runId/batchId`, oldest first (what a reader of the recording can check). */
  batchIds: string[];
  /** Mean time between the starts of the measured batches (null with fewer than 2; absent in results files before it). */
  batchIntervalMs?: number | null;
}

function logEndTotal(k: KafkaSample, partitions: Iterable<number>): number {
  let total = 0;
  for (const p of partitions) total += k.partitions.find((x) => x.partition === p)?.logEndOffset ?? 0;
  return total;
}

/** Least-squares slope and its standard error (null with fewer than 3 points). */
export function leastSquares(points: ReadonlyArray<[number, number]>): { slope: number; error: number } | null {
  const n = points.length;
  if (n < 3) return null;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  let residuals = 0;
  for (const [x, y] of points) residuals += (y - my - slope * (x - mx)) ** 2;
  return { slope, error: Math.sqrt(residuals / (n - 2) / sxx) };
}

function batchEnd(p: QueryProgress): number | null {
  const start = sparkDate(p.timestamp);
  const d = p.durationMs.triggerExecution;
  return start === null || typeof d !== 'number' || !Number.isFinite(d) ? null : start + d;
}

/** Kafka's log-end total over `partitions` at time `t`, interpolated between the samples around it. */
function logEndAt(kafka: ReadonlyArray<{ t: number; data: KafkaSample }>, t: number, partitions: Iterable<number>): number | null {
  const ps = [...partitions];
  for (let i = 1; i < kafka.length; i++) {
    const a = kafka[i - 1]!;
    const b = kafka[i]!;
    if (a.t <= t && t <= b.t) {
      const va = logEndTotal(a.data, ps);
      const vb = logEndTotal(b.data, ps);
      return b.t === a.t ? vb : va + ((vb - va) * (t - a.t)) / (b.t - a.t);
    }
  }
  return null;
}

/** `samples` in time order; those before `from` give the committed offsets the window starts with. */
export function measureWindow(samples: readonly Sample[], from: number, to: number, topic: string): StepMeasurement {
  const kafka: Array<{ t: number; data: KafkaSample }> = [];
  const all: Array<{ t: number; data: KafkaSample }> = [];
  const batches = new Map<string, QueryProgress>();
  for (const s of samples) {
    if (s.t > to) break;
    if (s.kind === 'progress' && s.data.origin === 'listener') {
      for (const p of s.data.progress) {
        const started = sparkDate(p.timestamp);
        if (s.t >= from && started !== null && started >= from) batches.set(`${p.runId}/${p.batchId}`, p);
      }
    } else if (s.kind === 'kafka' && s.data.topic === topic) {
      all.push({ t: s.t, data: s.data });
      if (s.t >= from) kafka.push({ t: s.t, data: s.data });
    }
  }
  const lagPoints: Array<[number, number]> = [];
  for (const p of batches.values()) {
    const committed = endOffsetsOf(p, topic);
    const end = batchEnd(p);
    const logEnd = end === null || !committed ? null : logEndAt(all, end, committed.keys());
    if (logEnd === null) continue;
    let offsets = 0;
    for (const o of committed!.values()) offsets += o;
    lagPoints.push([(end! - from) / 1000, Math.max(0, logEnd - offsets)]);
  }

  let produceRps: number | null = null;
  if (kafka.length >= 2) {
    const first = kafka[0]!;
    const last = kafka[kafka.length - 1]!;
    const common = first.data.partitions.map((p) => p.partition).filter((p) => last.data.partitions.some((x) => x.partition === p));
    const seconds = (last.t - first.t) / 1000;
    const grown = logEndTotal(last.data, common) - logEndTotal(first.data, common);
    // A topic recreated inside the window makes offsets go back: the rate is then unknown.
    if (seconds > 0 && grown >= 0) produceRps = grown / seconds;
  }

  let rows = 0;
  let inputSeconds = 0;
  let processSeconds = 0;
  const durations: number[] = [];
  for (const p of batches.values()) {
    const d = p.durationMs.triggerExecution;
    if (typeof d === 'number' && Number.isFinite(d)) durations.push(d);
    if (p.numInputRows > 0 && (p.inputRowsPerSecond ?? 0) > 0 && (p.processedRowsPerSecond ?? 0) > 0) {
      rows += p.numInputRows;
      inputSeconds += p.numInputRows / p.inputRowsPerSecond!;
      processSeconds += p.numInputRows / p.processedRowsPerSecond!;
    }
  }
  durations.sort((a, b) => a - b);
  const starts = [...batches.values()].map((p) => sparkDate(p.timestamp)!).sort((a, b) => a - b);
  lagPoints.sort((a, b) => a[0] - b[0]);
  const fit = leastSquares(lagPoints);
  return {
    from,
    to,
    produceRps,
    inputRps: inputSeconds > 0 ? rows / inputSeconds : null,
    processedRps: processSeconds > 0 ? rows / processSeconds : null,
    batches: batches.size,
    rows,
    p50Ms: percentile(durations, 0.5),
    p95Ms: percentile(durations, 0.95),
    maxMs: durations.length > 0 ? durations[durations.length - 1]! : null,
    lagStart: lagPoints[0]?.[1] ?? null,
    lagEnd: lagPoints.at(-1)?.[1] ?? null,
    lagSlope: fit?.slope ?? null,
    lagSlopeError: fit?.error ?? null,
    batchIds: [...batches.keys()],
    batchIntervalMs: starts.length >= 2 ? (starts[starts.length - 1]! - starts[0]!) / (starts.length - 1) : null,
  };
}
