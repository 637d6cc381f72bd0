/**
 * Micro-batches: the listener's progress events kept whole (the last 500), one row per batch, and
 * batches derived from the driver's jobs API when there is no listener (rows and rates only when
 * its SQL executions were read; no duration breakdown).
 * A batch is identified by (runId, batchId): batch ids restart at 0 with every new run.
 */
import type { BatchRow } from './derivedTypes.js';
import { Ring } from './ring.js';
import type { DerivedBatch, ProgressSample, QueryProgress, StreamingMetrics } from './samples.js';

export interface StoredProgress {
  /** When it was delivered (sample time). */
  t: number;
  appId: string | null;
  progress: QueryProgress;
}

export interface BatchesState {
  events: Ring<StoredProgress>;
  rows: Ring<BatchRow>;
  /** (runId, batchId) → its row while the row is retained. */
  byKey: Map<string, BatchRow>;
  /** Spark's streaming gauges from the last derived sample (rates when there is no listener). */
  metrics: StreamingMetrics[];
  version: number;
}

export function createBatches(capacity: number): BatchesState {
  return { events: new Ring(capacity), rows: new Ring(capacity), byKey: new Map(), metrics: [], version: 0 };
}

const keyOf = (runId: string, batchId: number) => `${runId}/${batchId}`;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function sumOf(values: Array<Record<string, unknown>>, field: string): number | null {
  let total: number | null = null;
  for (const v of values) {
    const n = num(v[field]);
    if (n !== null) total = (total ?? 0) + n;
  }
  return total;
}

export function rowOfProgress(p: QueryProgress, appId: string | null): BatchRow {
  const d = p.durationMs;
  const started = Date.parse(p.timestamp);
  return {
    appId,
    queryId: p.id,
    queryName: p.name ?? null,
    runId: p.runId,
    batchId: p.batchId,
    t: Number.isFinite(started) ? started : NaN,
    numInputRows: p.numInputRows,
    inputRps: num(p.inputRowsPerSecond),
    processedRps: num(p.processedRowsPerSecond),
    durationMs: num(d.triggerExecution),
    breakdown: {
      addBatch: num(d.addBatch),
      getBatch: num(d.getBatch),
      latestOffset: num(d.latestOffset),
      queryPlanning: num(d.queryPlanning),
      walCommit: num(d.walCommit),
      commitOffsets: num(d.commitOffsets),
    },
    stateRows: sumOf(p.stateOperators, 'numRowsTotal'),
    stateMemoryBytes: sumOf(p.stateOperators, 'memoryUsedBytes'),
    watermark: p.eventTime?.watermark ?? null,
    origin: 'listener',
  };
}

/**
 * A batch seen only in the driver's jobs API (rows from its SQL executions when known). Rates as
 * Spark defines them: input = rows ÷ time since the previous batch's start (`previousStart`, the
 * same run's batch N−1; null when not retained), processed = rows ÷ the batch's duration.
 */
export function rowOfDerivedBatch(b: DerivedBatch, appId: string | null, previousStart: number | null = null): BatchRow {
  const rows = b.numInputRows;
  const sinceMs = previousStart === null ? null : b.startedAt - previousStart;
  return {
    appId,
    queryId: b.queryId ?? null,
    queryName: b.queryName ?? null,
    runId: b.runId,
    batchId: b.batchId,
    t: b.startedAt,
    numInputRows: rows,
    inputRps: rows === null || sinceMs === null || sinceMs <= 0 ? null : rows / (sinceMs / 1000),
    processedRps: rows === null || b.durationMs === null || b.durationMs <= 0 ? null : rows / (b.durationMs / 1000),
    durationMs: b.durationMs,
    breakdown: { addBatch: null, getBatch: null, latestOffset: null, queryPlanning: null, walCommit: null, commitOffsets: null },
    stateRows: null,
    stateMemoryBytes: null,
    watermark: null,
    origin: 'derived',
  };
}

function append(state: BatchesState, row: BatchRow): void {
  const evicted = state.rows.push(row);
  if (evicted) {
    const k = keyOf(evicted.runId, evicted.batchId);
    if (state.byKey.get(k) === evicted) state.byKey.delete(k);
  }
  state.byKey.set(keyOf(row.runId, row.batchId), row);
}

/** Replaces a retained row (searching from the newest: updates concern recent batches). */
function replace(state: BatchesState, old: BatchRow, row: BatchRow): void {
  for (let i = state.rows.size - 1; i >= 0; i--) {
    if (state.rows.at(i) === old) {
      state.rows.set(i, row);
      state.byKey.set(keyOf(row.runId, row.batchId), row);
      return;
    }
  }
}

/**
 * Applies one progress sample; returns the listener events not seen before, in delivery order
 * (the lag model takes Spark's committed offsets from them).
 */
export function applyProgressSample(state: BatchesState, t: number, sample: ProgressSample, appId: string | null): QueryProgress[] {
  const fresh: QueryProgress[] = [];
  let changed = false;
  if (sample.origin === 'listener') {
    for (const p of sample.progress) {
      const existing = state.byKey.get(keyOf(p.runId, p.batchId));
      if (existing?.origin === 'listener') continue; // delivered again (the listener's `since` is a hint, not a promise)
      const row = rowOfProgress(p, existing?.appId ?? appId);
      if (existing) replace(state, existing, row);
      else append(state, row);
      state.events.push({ t, appId: row.appId, progress: p });
      fresh.push(p);
    }
  } else {
    const metrics = sample.metrics ?? [];
    if (JSON.stringify(metrics) !== JSON.stringify(state.metrics)) {
      state.metrics = metrics;
      changed = true;
    }
    const oldest = state.rows.size === state.rows.capacity ? state.rows.oldest() : undefined;
    for (const b of sample.derivedBatches) {
      const existing = state.byKey.get(keyOf(b.runId, b.batchId));
      const previousStart = state.byKey.get(keyOf(b.runId, b.batchId - 1))?.t ?? null;
      if (existing) {
        if (existing.origin === 'derived' && (existing.durationMs !== b.durationMs || existing.numInputRows !== b.numInputRows)) {
          replace(state, existing, rowOfDerivedBatch(b, existing.appId, previousStart));
          changed = true;
        }
        continue;
      }
      if (oldest && b.startedAt < oldest.t) continue; // already aged out of the ring: do not bring it back
      append(state, rowOfDerivedBatch(b, appId, previousStart));
      changed = true;
    }
  }
  if (fresh.length > 0 || changed) state.version++;
  return fresh;
}
