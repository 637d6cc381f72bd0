/**
 * CPU of the monitor's model and screen at 1 Hz, without the lab: a recorded lab run (its endpoint
 * answers) is played back in real time. Each second the answers of that second go through the
 * interpreter into the model, then derive and the App render into the frame sink, as `sparktop
 * monitor` does: one frame per second (a batch is drawn at once and its frame replaces the
 * periodic one, src/ui/redrawClock.ts). Not included: the HTTP requests and Kafka calls of the live
 * sampler.
 *
 *   node --import tsx bench/monitor-cpu.ts [--fixture steady] [--columns 120] [--rows 40] [--seconds 60] [--warmup 5]
 *
 * Goal (issue #3, the whole monitor watching the lab): < 3 % of one core. Prints one JSON object.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { argValue, msSummary } from './common.js';

// As bin/sparktop.js: React's development build costs several times the CPU, and it is chosen when
// React is first imported, so React and everything that imports it is loaded after this line.
process.env.NODE_ENV ??= 'production';
const { createElement } = await import('react');
const { render } = await import('ink');
const { applySample, createModel, derive } = await import('../src/model/index.js');
const { AnswerInterpreter } = await import('../src/sources/answers.js');
const { App } = await import('../src/ui/App.js');
const { createFrameSink } = await import('../src/ui/frameSink.js');
const { answersFromFixture } = await import('../test/support/samplesFromFixture.js');
const fixture = argValue('fixture', 'steady');
const columns = Number(argValue('columns', '120'));
const rows = Number(argValue('rows', '40'));
const seconds = Number(argValue('seconds', '60'));
const warmup = Number(argValue('warmup', '5'));

const answers = answersFromFixture(fixture);
const recordedSeconds = Math.floor((answers.at(-1)!.t - answers[0]!.t) / 1000);
if (warmup + seconds > recordedSeconds) throw new Error(`${fixture} has ${recordedSeconds} s of answers; ask for at most that many (--warmup + --seconds)`);

class CountingTerminal extends EventEmitter {
  bytes = 0;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(chunk: string): boolean {
    this.bytes += Buffer.byteLength(chunk);
    return true;
  }
}

const terminal = new CountingTerminal(columns, rows);
const sink = createFrameSink(terminal);
const model = createModel({ topic: 'logs' });
const interpreter = new AnswerInterpreter();
const app = (now: number) => createElement(App, { derived: derive(model, now), onQuit: () => undefined, color: true, ascii: false });
const instance = render(app(answers[0]!.t), { stdout: sink.stream, debug: true, exitOnCtrlC: false, patchConsole: false });

let next = 0;
const frameMs: number[] = [];
/** One second of the recording: its answers into the model, then the frame the monitor draws. */
function tick(recordedNow: number): void {
  for (; next < answers.length && answers[next]!.t <= recordedNow; next++) {
    for (const s of interpreter.interpret(answers[next]!)) applySample(model, s);
  }
  const start = performance.now();
  instance.rerender(app(recordedNow));
  frameMs.push(performance.now() - start);
}

const t0 = answers[0]!.t;
const wall0 = Date.now();
let cpu0 = process.cpuUsage();
let bytes0 = 0;
let measuredFrom = wall0;
for (let second = 1; second <= warmup + seconds; second++) {
  if (second === warmup + 1) {
    cpu0 = process.cpuUsage();
    bytes0 = terminal.bytes;
    measuredFrom = Date.now();
    frameMs.length = 0;
  }
  tick(t0 + second * 1000);
  await delay(Math.max(0, wall0 + second * 1000 - Date.now()));
}
const elapsed = (Date.now() - measuredFrom) / 1000;
const cpu = process.cpuUsage(cpu0);
instance.unmount();
sink.dispose();

console.log(
  JSON.stringify(
    {
      benchmark: 'monitor-cpu',
      at: new Date().toISOString(),
      fixture,
      terminal: `${columns}x${rows}`,
      refresh: '1s',
      seconds: Number(elapsed.toFixed(1)),
      frames: frameMs.length,
      frameMs: msSummary(frameMs),
      cpuPercentOfOneCore: Number((((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(2)),
      outputBytesPerSecond: Math.round((terminal.bytes - bytes0) / elapsed),
      goals: { cpuPercentOfOneCore: 3 },
    },
    null,
    2,
  ),
);
