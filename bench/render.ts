/**
 * Frame time (derive + Ink render + layout) with a big pipeline: 1,000 partitions × 200 executors.
 * The model is fed the steady recording with every Kafka answer widened to 1,000 partitions, every
 * executor list to 200 executors and every progress event's offsets to 1,000 partitions.
 *
 *   node --import tsx bench/render.ts [--partitions 1000] [--executors 200] [--frames 60]
 *
 * Goal (issue #3): < 30 ms per frame. Prints one JSON object: per terminal size, the wall time of a
 * frame (p50, p95, max) and the process's CPU time per frame on average (`cpuMs`, which other
 * processes competing for the cores do not inflate); and, side by side, a `/metrics` scrape of the
 * same model (`scrapeMs`: derive + OpenMetrics text, its size in bytes).
 */
import { performance } from 'node:perf_hooks';
import type { Sample } from '../src/model/samples.js';
import { argValue, msSummary } from './common.js';

// React picks its development or production build when first imported: set the mode first.
process.env.NODE_ENV ??= 'production';
const { createElement } = await import('react');
const { applySample, createModel, derive } = await import('../src/model/index.js');
const { App } = await import('../src/ui/App.js');
const { openMetricsText } = await import('../src/metrics/openMetrics.js');
const { renderVirtual } = await import('../test/support/virtualTerminal.js');
const { samplesFromFixture } = await import('../test/support/samplesFromFixture.js');
const partitions = Number(argValue('partitions', '1000'));
const executors = Number(argValue('executors', '200'));
const frames = Number(argValue('frames', '60'));

function widen(s: Sample): Sample {
  if (s.kind === 'kafka') {
    const base = s.data.partitions[0]!;
    return { ...s, data: { ...s.data, partitions: Array.from({ length: partitions }, (_, p) => ({ ...base, partition: p, logEndOffset: base.logEndOffset + p })) } };
  }
  if (s.kind === 'executors') {
    const worker = s.data.executors.find((e) => e.id !== 'driver') ?? s.data.executors[0]!;
    const driver = s.data.executors.filter((e) => e.id === 'driver');
    const many = Array.from({ length: executors }, (_, i) => ({ ...worker, id: String(i), totalDuration: worker.totalDuration * (1 + (i % 7) / 10) }));
    return { ...s, data: { ...s.data, executors: [...driver, ...many] } };
  }
  if (s.kind === 'progress') {
    const progress = s.data.progress.map((p) => ({
      ...p,
      sources: p.sources.map((src) => {
        const end = src.endOffset as Record<string, Record<string, number>> | null;
        const topic = end ? Object.keys(end)[0] : undefined;
        if (!end || !topic) return src;
        const first = Object.values(end[topic]!)[0] ?? 0;
        return { ...src, endOffset: { [topic]: Object.fromEntries(Array.from({ length: partitions }, (_, i) => [String(i), first + i])) } };
      }),
    }));
    return { ...s, data: { ...s.data, progress } };
  }
  return s;
}

const samples = samplesFromFixture('steady').map(widen);
const model = createModel({ topic: 'logs' });
for (const s of samples) applySample(model, s);
const t0 = samples.at(-1)!.t;

const results: Record<string, { p50: number; p95: number; max: number; cpuMs: number }> = {};
for (const [columns, rows] of [
  [120, 40],
  [160, 48],
]) {
  const term = renderVirtual(createElement(App, { derived: derive(model, t0), onQuit: () => undefined, color: true, ascii: false }), { columns: columns!, rows: rows! });
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 1; i <= frames; i++) {
    // A new Kafka reading each frame, as at 1 Hz, so derive and render have real work to do.
    const k = samples.filter((s) => s.kind === 'kafka').at(-1)!;
    applySample(model, { ...k, t: t0 + i * 1000 } as Sample);
    const start = performance.now();
    const d = derive(model, t0 + i * 1000);
    await term.rerender(createElement(App, { derived: d, onQuit: () => undefined, color: true, ascii: false }));
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpu0);
  term.unmount();
  results[`${columns}x${rows}`] = { ...msSummary(times), cpuMs: Number(((cpu.user + cpu.system) / 1000 / frames).toFixed(1)) };
}
// A Prometheus scrape of the same model, side by side with the frames: derive + OpenMetrics text.
const scrapeTimes: number[] = [];
let bytes = 0;
const scrapeCpu0 = process.cpuUsage();
for (let i = 1; i <= frames; i++) {
  const k = samples.filter((s) => s.kind === 'kafka').at(-1)!;
  applySample(model, { ...k, t: t0 + (frames + i) * 1000 } as Sample);
  const start = performance.now();
  bytes = Buffer.byteLength(openMetricsText(derive(model, t0 + (frames + i) * 1000)));
  scrapeTimes.push(performance.now() - start);
}
const scrapeCpu = process.cpuUsage(scrapeCpu0);
const scrapeMs = { ...msSummary(scrapeTimes), cpuMs: Number(((scrapeCpu.user + scrapeCpu.system) / 1000 / frames).toFixed(1)), bytes };
console.log(JSON.stringify({ benchmark: 'render', at: new Date().toISOString(), partitions, executors, frames, frameMs: results, scrapeMs, goalMs: 30 }, null, 2));
