/** Executors as the driver's REST API shows them, their totals added up from executor, block manager and task events. */
import type { ExecutorSample } from '../../model/samples.js';
import { isCount, isId, isNum, isObject, isStr, need, restDate, type Json } from './eventJson.js';
import type { TaskEnd } from './taskEnd.js';

interface ExecutorAcc {
  row: ExecutorSample;
  host: string;
}

/**
 * Each method applies one event whose time the caller has read and moved the log's clock to; a
 * boolean result says whether a row changed.
 */
export class ExecutorTotals {
  private readonly executors = new Map<string, ExecutorAcc>();

  /** A copy of every row, in the order the executors were first seen. */
  rows(): ExecutorSample[] {
    return [...this.executors.values()].map((e) => ({ ...e.row }));
  }

  added(name: string, event: Json, t: number): void {
    const info = need(name, event, 'Executor Info', isObject, 'an object');
    const e = this.executor(String(need(name, event, 'Executor ID', isId, 'an id')), t);
    e.host = isStr(info.Host) ? info.Host : e.host;
    // Until its block manager registers, the REST API shows the host alone.
    if (e.row.hostPort === '') e.row.hostPort = e.host;
    e.row.totalCores = need(name, info, 'Total Cores', isCount, 'a count');
    e.row.isActive = true;
    e.row.addTime = restDate(t);
  }

  removed(name: string, event: Json, t: number): void {
    const e = this.executor(String(need(name, event, 'Executor ID', isId, 'an id')), t);
    e.row.isActive = false;
    e.row.removeTime = restDate(t);
    e.row.removeReason = isStr(event['Removed Reason']) ? event['Removed Reason'] : null;
  }

  /** `manager` is the event's "Block Manager ID". */
  blockManagerAdded(name: string, event: Json, manager: Json, t: number | null): void {
    const e = this.executor(String(need(name, manager, 'Executor ID', isId, 'an id')), t);
    if (isStr(manager.Host) && isNum(manager.Port)) e.row.hostPort = `${manager.Host}:${manager.Port}`;
    if (isCount(event['Maximum Memory'])) e.row.maxMemory = event['Maximum Memory'];
  }

  /** `info` is the event's "Task Info". */
  taskStarted(name: string, info: Json): boolean {
    const e = this.executors.get(String(need(name, info, 'Executor ID', isId, 'an id')));
    if (!e) return false;
    e.row.activeTasks++;
    return true;
  }

  taskEnded(name: string, info: Json, end: TaskEnd): boolean {
    const e = this.executors.get(String(need(name, info, 'Executor ID', isId, 'an id')));
    if (!e) return false;
    const r = e.row;
    r.activeTasks = Math.max(0, r.activeTasks - 1);
    if (end.outcome === 'completed') r.completedTasks++;
    else if (end.outcome === 'failed') r.failedTasks++;
    r.totalDuration += end.duration;
    r.totalGCTime += end.gcTime;
    r.totalInputBytes += end.inputBytes;
    r.totalShuffleRead += end.shuffleReadBytes;
    r.totalShuffleWrite += end.shuffleWriteBytes;
    return true;
  }

  private executor(id: string, t: number | null): ExecutorAcc {
    let e = this.executors.get(id);
    if (!e) {
      e = {
        host: '',
        row: {
          id,
          hostPort: '',
          isActive: true,
          totalCores: 0,
          activeTasks: 0,
          completedTasks: 0,
          failedTasks: 0,
          totalDuration: 0,
          totalGCTime: 0,
          totalInputBytes: 0,
          totalShuffleRead: 0,
          totalShuffleWrite: 0,
          memoryUsed: 0,
          maxMemory: 0,
          addTime: restDate(t),
          removeTime: null,
          removeReason: null,
        },
      };
      this.executors.set(id, e);
    }
    return e;
  }
}
