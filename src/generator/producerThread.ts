/**
 * A producing thread of a threaded generator (threadedGenerator.ts): runGenerator with its share
 * of the rate, orders from the parent instead of a control file, its counters posted back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runGenerator } from './generator.js';
import type { GeneratorControl } from './controlFile.js';
import type { FromProducerThread, ProducerThreadData, ToProducerThread } from './threadMessages.js';

const port = parentPort;
if (!port) throw new Error('producerThread.ts runs as a worker thread of a threaded generator');
const { options } = workerData as ProducerThreadData;
const post = (message: FromProducerThread) => port.postMessage(message);

let control: Required<GeneratorControl> = { targetRps: options.targetRps, paused: false };
const stop = new AbortController();
port.on('message', (message: ToProducerThread) => {
  if (message.type === 'control') control = message.control;
  else stop.abort();
});

try {
  const totals = await runGenerator(options, {
    signal: stop.signal,
    log: (line) => post({ type: 'log', line }),
    onStats: (stats) => post({ type: 'stats', stats }),
    control: () => control,
    quiet: true,
  });
  post({ type: 'done', totals });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
port.close();
