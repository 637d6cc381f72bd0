/**
 * How a threaded generator splits its rate: how many threads work, and each one's share.
 * Pure: the caller passes the machine's cores.
 */

/**
 * The rate one producing thread is planned for when `--threads auto` picks the count: well under
 * one core's maximum (docs/BENCHMARKS.md), so a thread is added before one saturates.
 */
export const AUTO_THREAD_RPS = 200_000;

/** Threads that produce at `rate`: the fixed count, or for 'auto' one per AUTO_THREAD_RPS (at most `cores`). */
export function workingThreads(setting: number | 'auto', rate: number, cores: number): number {
  if (setting !== 'auto') return setting;
  return Math.max(1, Math.min(Math.max(1, cores), Math.ceil(rate / AUTO_THREAD_RPS)));
}

/** Thread `index`'s whole-record share of `rate` split over `working` threads (0 beyond them); the shares add up to `rate`. */
export function threadShare(rate: number, working: number, index: number): number {
  if (index >= working) return 0;
  const base = Math.floor(rate / working);
  return base + (index < rate - base * working ? 1 : 0);
}
