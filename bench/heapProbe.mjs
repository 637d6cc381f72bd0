/**
 * Preloaded into the monitor by bench/soak.ts (`node --expose-gc --import bench/heapProbe.mjs …`):
 * once a minute it forces a full garbage collection and appends the live heap and RSS to the file
 * in SPARKTOP_HEAP_PROBE. RSS alone lands anywhere on V8's collection saw-tooth; the heap after a
 * full collection is what the program really keeps.
 */
import fs from 'node:fs';

const file = process.env.SPARKTOP_HEAP_PROBE;
const gc = globalThis.gc;
if (file && typeof gc === 'function') {
  const probe = () => {
    gc();
    const m = process.memoryUsage();
    const mb = (n) => Number((n / 1048576).toFixed(2));
    fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), rssMb: mb(m.rss) })}\n`);
  };
  setInterval(probe, Number(process.env.SPARKTOP_HEAP_PROBE_MS ?? 60_000)).unref();
}
