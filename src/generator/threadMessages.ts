/** What a threaded generator and its producing threads (producerThread.ts) say to each other. */
import type { GeneratorTotals } from './generator.js';
import type { GeneratorControl } from './controlFile.js';
import type { GeneratorOptions } from './options.js';
import type { GeneratorStatsFile } from './stats.js';

export interface ProducerThreadData {
  /** The thread's own options: its share of the rate, no stats or control file, one thread. */
  options: GeneratorOptions;
}

export type ToProducerThread = { type: 'control'; control: Required<GeneratorControl> } | { type: 'stop' };

export type FromProducerThread =
  | { type: 'log'; line: string }
  | { type: 'stats'; stats: GeneratorStatsFile }
  | { type: 'done'; totals: GeneratorTotals }
  | { type: 'failed'; message: string };
