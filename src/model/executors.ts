/**
 * Executors: what each one did in the recent window (deltas of Spark's cumulative counters, not
 * totals since start): share of task time, GC ratio, and skew (max ÷ median, as Dr. Elephant
 * measures it) over the active executors. The driver is listed but takes no part in shares or skew.
 */
import type { ExecutorRow } from './derivedTypes.js';
import { Ring } from './ring.js';
import type { ExecutorSample, ExecutorsSample } from './samples.js';
import { sparkDate } from './time.js';

interface CounterPoint {
  t: number;
  taskMs: number;
  gcMs: number;
  shuffleRead: number;
}

interface ExecutorTrack {
  latest: ExecutorSample;
  /** Thinned to at least windowMs / (capacity - 8) apart, so the ring always spans the window. */
  points: Ring<CounterPoint>;
  addedAt: number | null;
}

export interface ExecutorsState {
  appId: string | null;
  t: number | null;
  /** Ids in display order (driver first, then by number). */
  order: string[];
  tracks: Map<string, ExecutorTrack>;
  version: number;
}

export interface ExecutorChanges {
  added: ExecutorSample[];
  removed: ExecutorSample[];
}

export const isDriver = (id: string) => id === 'driver';

export function createExecutors(): ExecutorsState {
  return { appId: null, t: null, order: [], tracks: new Map(), version: 0 };
}

function byDisplayOrder(a: string, b: string): number {
  if (isDriver(a) !== isDriver(b)) return isDriver(a) ? -1 : 1;
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Applies the executors list of the app (a new app id starts every window afresh). Executors the
 * driver no longer lists are forgotten; added and newly removed ones are returned for the event log.
 */
export function applyExecutorsSample(state: ExecutorsState, t: number, sample: ExecutorsSample, capacity: number, windowMs: number): ExecutorChanges {
  const changes: ExecutorChanges = { added: [], removed: [] };
  const firstOfApp = state.appId !== sample.appId;
  if (firstOfApp) {
    state.tracks.clear();
    state.appId = sample.appId;
  }
  const spacing = windowMs / Math.max(1, capacity - 8);
  const seen = new Set<string>();
  for (const e of sample.executors) {
    seen.add(e.id);
    let track = state.tracks.get(e.id);
    if (!track) {
      track = { latest: e, points: new Ring(capacity), addedAt: sparkDate(e.addTime) };
      state.tracks.set(e.id, track);
      if (!firstOfApp && e.isActive) changes.added.push(e);
    } else if (track.latest.isActive && !e.isActive) changes.removed.push(e);
    track.latest = e;
    const newest = track.points.newest();
    if (!newest || t - newest.t >= spacing) track.points.push({ t, taskMs: e.totalDuration, gcMs: e.totalGCTime, shuffleRead: e.totalShuffleRead });
  }
  for (const id of state.tracks.keys()) if (!seen.has(id)) state.tracks.delete(id);
  state.order = [...state.tracks.keys()].sort(byDisplayOrder);
  state.t = t;
  state.version++;
  return changes;
}

interface WindowDelta {
  taskMs: number;
  gcMs: number;
  shuffleRead: number;
}

/** Counter deltas over the window ending at the latest sample. */
function windowDelta(track: ExecutorTrack, now: number, windowMs: number): WindowDelta {
  const e = track.latest;
  const i = track.points.lastIndexAtOrBefore(now - windowMs, (p) => p.t);
  let base: CounterPoint | undefined = i >= 0 ? track.points.at(i) : undefined;
  // Added inside the window: everything it did counts; otherwise the oldest point we have.
  if (!base) base = track.addedAt !== null && track.addedAt >= now - windowMs ? { t: track.addedAt, taskMs: 0, gcMs: 0, shuffleRead: 0 } : track.points.oldest();
  if (!base) return { taskMs: 0, gcMs: 0, shuffleRead: 0 };
  return {
    taskMs: Math.max(0, e.totalDuration - base.taskMs),
    gcMs: Math.max(0, e.totalGCTime - base.gcMs),
    shuffleRead: Math.max(0, e.totalShuffleRead - base.shuffleRead),
  };
}

/** host of "host:port" (IPv6 in brackets kept whole). */
export function hostOf(hostPort: string): string {
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    return end > 0 ? hostPort.slice(0, end + 1) : hostPort;
  }
  const colon = hostPort.lastIndexOf(':');
  return colon > 0 && hostPort.indexOf(':') === colon ? hostPort.slice(0, colon) : hostPort;
}

/** max ÷ median; null with fewer than 2 values or a median of 0. */
export function maxOverMedian(values: number[]): number | null {
  if (values.length < 2) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return median > 0 ? sorted[sorted.length - 1]! / median : null;
}

export interface ExecutorsDerived {
  rows: ExecutorRow[];
  removed: ExecutorRow[];
  skew: { taskTime: number | null; shuffleRead: number | null };
  /** Active non-driver executors and their total cores (for resources and findings). */
  activeExecutors: number;
  activeCores: number;
}

export function deriveExecutors(state: ExecutorsState, windowMs: number): ExecutorsDerived {
  const now = state.t ?? 0;
  const deltas = new Map<string, WindowDelta>();
  let totalTask = 0;
  const taskTimes: number[] = [];
  const shuffleReads: number[] = [];
  let activeCores = 0;
  for (const id of state.order) {
    const track = state.tracks.get(id)!;
    if (!track.latest.isActive) continue;
    const d = windowDelta(track, now, windowMs);
    deltas.set(id, d);
    if (isDriver(id)) continue;
    totalTask += d.taskMs;
    taskTimes.push(d.taskMs);
    shuffleReads.push(d.shuffleRead);
    activeCores += track.latest.totalCores;
  }
  const rows: ExecutorRow[] = [];
  const removed: ExecutorRow[] = [];
  for (const id of state.order) {
    const e = state.tracks.get(id)!.latest;
    const d = deltas.get(id);
    const row: ExecutorRow = {
      id: e.id,
      host: hostOf(e.hostPort),
      isActive: e.isActive,
      cores: e.totalCores,
      activeTasks: e.activeTasks,
      completedTasks: e.completedTasks,
      failedTasks: e.failedTasks,
      taskShare: d && !isDriver(id) && totalTask > 0 ? d.taskMs / totalTask : null,
      taskTimeMs: e.totalDuration,
      shuffleReadBytes: e.totalShuffleRead,
      shuffleWriteBytes: e.totalShuffleWrite,
      gcRatio: d && d.taskMs > 0 ? d.gcMs / d.taskMs : null,
      gcTimeMs: e.totalGCTime,
      memoryUsed: e.memoryUsed,
      maxMemory: e.maxMemory,
      removeReason: e.removeReason,
    };
    (e.isActive ? rows : removed).push(row);
  }
  return {
    rows,
    removed,
    skew: { taskTime: maxOverMedian(taskTimes), shuffleRead: maxOverMedian(shuffleReads) },
    activeExecutors: taskTimes.length,
    activeCores,
  };
}
