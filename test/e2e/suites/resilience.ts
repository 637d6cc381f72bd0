import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from '../helpers.js';
import { LAB } from '../labUnderTest.js';
import { GARBAGE_MODES, startGarbageProxy, type GarbageMode, type GarbageProxy } from '../garbageProxy.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;
const DRIVER = LAB.driverUi;
const MASTER = LAB.masterUi;
const LISTENER = LAB.listener;
const TITLES = ['Rates', 'Batches', 'Partitions', 'Executors'];

/** What the screen must say for each kind of garbage (the reason, possibly shortened to fit). */
const REASONS: Record<(typeof GARBAGE_MODES)[number], RegExp> = {
  html: /HTML/,
  http500: /HTTP 500|\b500\b/,
  stall: /no (complete )?answer within \d+ s|time(d ?)?out/i,
  truncated: /JSON/,
  'wrong-shape': /shape/,
  huge: /shape/,
  negative: /shape/,
  nan: /JSON/,
};

/** The log-end offsets of the Partitions panel (left column of the overview), in screen order. */
function logEndOffsets(lines: string[]): number[] {
  return lines.flatMap((l) => {
    const m = /^[│|]\s?\d{1,4}\s+([\d ]{4,}?)\s{2}/.exec(l);
    return m ? [Number(m[1]!.replace(/ /g, ''))] : [];
  });
}

function assertNoCrash(tmux: TmuxSession): void {
  assert.ok(tmux.alive(), 'sparktop is still running');
  const screen = tmux.capture();
  assert.doesNotMatch(screen, /\n\s+at .+:\d+:\d+|Unhandled|TypeError|ReferenceError/, 'no stack trace on screen');
}

export function resilienceSuite(): void {
  const sessions: TmuxSession[] = [];
  const proxies: GarbageProxy[] = [];
  after(async () => {
    sessions.forEach((s) => s.kill());
    await Promise.all(proxies.map((p) => p.close()));
  });

  for (const mode of GARBAGE_MODES) {
    it(`${mode} from the driver, the master and the listener: every panel says why, Kafka's keeps updating, nothing crashes`, async () => {
      const [driver, master, listener] = await Promise.all([DRIVER, MASTER, LISTENER].map((u) => startGarbageProxy(u, 'pass' as GarbageMode)));
      proxies.push(driver!, master!, listener!);
      const tmux = new TmuxSession(160, 48, ['--spark-ui', driver!.url, '--spark-master', master!.url, '--progress-url', listener!.url]);
      sessions.push(tmux);
      await eventually('the overview with live data through the proxies', async () => (/#\d+/.test(tmux.capture()) && logEndOffsets(tmux.lines()).length === 2 ? true : undefined), 2 * MIN, 500);
      for (const p of [driver!, master!, listener!]) p.mode = mode;
      const screen = await eventually(
        `the reason for "${mode}" in the driver, master and progress panels`,
        async () => {
          const s = tmux.capture();
          return (s.match(/unreachable since/g)?.length ?? 0) >= 3 && REASONS[mode].test(s) ? s : undefined;
        },
        20_000,
        500,
      );
      for (const t of TITLES) assert.ok(screen.includes(t), `panel ${t} still drawn`);
      const before = logEndOffsets(tmux.lines());
      const after = await eventually('Kafka offsets still moving', async () => {
        const now = logEndOffsets(tmux.lines());
        return now.length === 2 && now.some((o, i) => o > before[i]!) ? now : undefined;
      }, 20_000, 500);
      assert.equal(after.length, 2);
      assertNoCrash(tmux);
      // Recovery: the same endpoints answering properly again.
      for (const p of [driver!, master!, listener!]) p.mode = 'pass';
      await eventually('every source back', async () => (/unreachable since/.test(tmux.capture()) ? undefined : true), MIN, 500);
      tmux.kill();
      await Promise.all([driver!, master!, listener!].map((p) => p.close()));
    });
  }

  it('survives 20 resizes in 2 s and draws the final size correctly', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    await eventually('the overview', async () => (tmux.capture().includes('Partitions') ? true : undefined), MIN, 250);
    const sizes = [
      [80, 24],
      [160, 48],
      [100, 30],
      [60, 16],
      [200, 60],
    ] as const;
    for (let i = 0; i < 20; i++) {
      const [c, r] = sizes[i % sizes.length]!;
      tmux.resize(c, r);
      await delay(100);
    }
    tmux.resize(120, 40);
    // The frame for the final size: header on top, panels as wide as the terminal, footer above the empty last row.
    const lines = await eventually('the layout at 120×40', async () => {
      const l = tmux.lines();
      const drawnFor120x40 = l.length === 40 && /sparktop/.test(l[0]!) && [...l[2]!].length === 120 && /1 overview.*quit/.test(l[38]!);
      return drawnFor120x40 && TITLES.every((t) => l.join('\n').includes(t)) ? l : undefined;
    }, 30_000, 250);
    assert.ok(lines.every((l) => [...l].length <= 120), 'no line wider than the terminal');
    // The last row stays empty (a full last line would scroll some terminals): the footer is above it.
    assert.match(lines[38]!, /1 overview.*help.*quit/, 'the footer is on the last drawn line');
    assert.equal(lines[39]!.trim(), '');
    assertNoCrash(tmux);
    tmux.kill();
  });
}
