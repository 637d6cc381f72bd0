/**
 * Preloaded into a child by bench/replay-memory.ts (`node --import bench/maxRssProbe.mjs …`): at
 * exit it writes the process's peak resident set size (`process.resourceUsage().maxRSS`, what
 * /proc/<pid>/status calls VmHWM) to the file in SPARKTOP_MAXRSS_FILE.
 */
import fs from 'node:fs';

const file = process.env.SPARKTOP_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)) }));
  });
}
