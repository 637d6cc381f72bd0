/** Replay: the same numbers at the same recorded moments as live, and its keys. */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { createElement } from 'react';
import { Replay } from '../../src/commands/replay.js';
import { applySample, createModel, derive } from '../../src/model/index.js';
import type { Sample } from '../../src/model/samples.js';
import { readRecording } from '../../src/record/reader.js';
import { clock, deliveredBy, modelOptionsOf, ReplayPlayer } from '../../src/record/replaySource.js';
import { renderVirtual, type VirtualTerminal } from '../support/virtualTerminal.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, writeRecording } from '../support/recordingFixtures.js';

after(removeTempDirs);

const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';

/** The model as live: fed the samples in arrival order, derived at `now`. */
function liveDerived(samples: readonly Sample[], now: number) {
  const model = createModel({ targetBatchMs: 20_000, topic: 'logs' });
  for (const s of samples) {
    if (s.t > now) break;
    applySample(model, s);
  }
  return derive(model, now);
}

describe('replay: the recorded clock', () => {
  it('derives what live derived at the same moment, forwards and backwards', async () => {
    const samples = samplesFromFixture('resubmit');
    const { header, samples: recorded } = await readRecording(await writeRecording(samples));
    const player = new ReplayPlayer(recorded, { model: modelOptionsOf(header.config), refreshMs: 1000 });
    const moments = [samples[0]!.t, ...samples.filter((_, i) => i % 97 === 0).map((s) => s.t + 500), samples.at(-1)!.t];
    // The advisor's findings depend on how often the model was derived (its hysteresis); they are
    // compared in the next test, at the live monitor's cadence.
    const panels = (d: ReturnType<typeof derive>) => ({ ...d, findings: undefined, advisor: undefined });
    for (const t of moments) {
      player.seek(t);
      assert.deepEqual(panels(player.derive()), panels(liveDerived(samples, t)), `at +${t - samples[0]!.t} ms`);
    }
    for (const t of [moments[5]!, moments[2]!]) {
      player.seek(t);
      assert.deepEqual(panels(player.derive()), panels(liveDerived(samples, t)), `back at +${t - samples[0]!.t} ms`);
    }
  });

  it('raises and clears the same findings as live when both derive once a second', async () => {
    const samples = samplesFromFixture('resubmit');
    const { header, samples: recorded } = await readRecording(await writeRecording(samples));
    const player = new ReplayPlayer(recorded, { model: modelOptionsOf(header.config), refreshMs: 1000 });
    const live = createModel({ targetBatchMs: 20_000, topic: 'logs' });
    let next = 0;
    const seen = new Set<string>();
    for (let t = samples[0]!.t + 300; t <= samples.at(-1)!.t; t += 1000) {
      while (next < samples.length && samples[next]!.t <= t) applySample(live, samples[next++]!);
      player.seek(t);
      const fromReplay = player.derive();
      const fromLive = derive(live, t);
      assert.deepEqual(fromReplay.findings, fromLive.findings, `findings at +${t - samples[0]!.t} ms`);
      assert.deepEqual(fromReplay.advisor, fromLive.advisor);
      for (const f of fromLive.findings) seen.add(f.id);
    }
    assert.ok(seen.has('partitions-stop') && seen.has('healthy'), `the run has findings to compare: ${[...seen].join(', ')}`);
  });

  it('runs at its speed, pauses, steps one refresh, and stops at the end', () => {
    const samples = samplesFromFixture('steady');
    const player = new ReplayPlayer(samples, { refreshMs: 1000, speed: 2 });
    assert.equal(player.position, player.start);
    player.advance(1500);
    assert.equal(player.position, player.start + 3000);
    player.togglePause();
    player.advance(5000);
    assert.equal(player.position, player.start + 3000, 'paused');
    player.step(1);
    player.step(1);
    player.step(-1);
    assert.equal(player.position, player.start + 4000);
    player.changeSpeed(1);
    assert.equal(player.speed, 4);
    for (let i = 0; i < 10; i++) player.changeSpeed(1);
    assert.equal(player.speed, 64);
    for (let i = 0; i < 20; i++) player.changeSpeed(-1);
    assert.equal(player.speed, 0.25);
    player.togglePause();
    player.advance(10_000_000);
    assert.equal(player.position, player.end);
    assert.match(player.status(), /^1:39 \/ 1:39 · ×0\.25 · end of recording$/);
  });

  it('delivers a sample stamped earlier than one before it only after that one', () => {
    const s = (t: number): Sample => ({ t, kind: 'mark', data: { note: String(t) } });
    const samples = [s(10), s(30), s(20), s(40)];
    assert.equal(deliveredBy(samples, 25), 1);
    assert.equal(deliveredBy(samples, 30), 3);
    assert.equal(clock(3_725_000), '1:02:05');
    assert.equal(clock(65_000), '1:05');
  });
});

describe('replay: keys', () => {
  const open: VirtualTerminal[] = [];
  afterEach(() => {
    for (const t of open.splice(0)) t.unmount();
  });

  function show(speed = 1) {
    let now = 0;
    const player = new ReplayPlayer(samplesFromFixture('steady'), { refreshMs: 1000, speed });
    let quit = 0;
    const onSnapshot = () => 'snapshot: /tmp/sparktop-x.txt';
    const t = renderVirtual(
      createElement(Replay, { player, title: 'sparktop replay run.jsonl', color: false, ascii: false, onQuit: () => quit++, onSnapshot, now: () => now, tickMs: 5 }),
      { columns: 120, rows: 40 },
    );
    open.push(t);
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    return {
      t,
      player,
      quits: () => quit,
      /** Moves the fake real clock and lets the replay's timer see it. */
      async elapse(ms: number) {
        now += ms;
        await wait(30);
        await t.press('');
      },
    };
  }

  it('shows the recording on the same screen, with position, speed and state', async () => {
    const { t } = show();
    const frame = t.lastFrame();
    assert.match(frame, /sparktop replay run\.jsonl/);
    for (const title of ['Rates', 'Batches', 'Partitions', 'Executors']) assert.match(frame, new RegExp(`┌ ${title}\\b`));
    assert.match(frame, /replay 0:00 \/ 1:39 · ×1 · playing/);
  });

  it('space pauses and resumes, ← → step one refresh, > < change the speed', async () => {
    const r = show();
    await r.elapse(2000);
    assert.match(r.t.lastFrame(), /replay 0:02 \/ 1:39 · ×1 · playing/);
    await r.t.press(' ');
    assert.match(r.t.lastFrame(), /0:02 \/ 1:39 · ×1 · paused/);
    await r.elapse(5000);
    assert.match(r.t.lastFrame(), /0:02 \/ 1:39 · ×1 · paused/, 'the clock stands still');
    await r.t.press(RIGHT);
    await r.t.press(RIGHT);
    assert.match(r.t.lastFrame(), /0:04 \/ 1:39 · ×1 · paused/);
    await r.t.press(LEFT);
    assert.match(r.t.lastFrame(), /0:03 \/ 1:39/);
    await r.t.press('>');
    await r.t.press('>');
    assert.match(r.t.lastFrame(), /×4 · paused/);
    await r.t.press('<');
    assert.match(r.t.lastFrame(), /×2 · paused/);
    await r.t.press(' ');
    await r.elapse(1000);
    assert.match(r.t.lastFrame(), /0:05 \/ 1:39 · ×2 · playing/);
  });

  it('says where the speed ends, and where a snapshot went', async () => {
    const r = show();
    for (let i = 0; i < 2; i++) await r.t.press('<');
    assert.match(r.t.lastFrame(), /×0\.25 · playing\s/);
    await r.t.press('<');
    assert.match(r.t.lastFrame(), /×0\.25 · playing — speed limits: ×0\.25 to ×64/);
    await r.t.press('s');
    assert.match(r.t.lastFrame(), /— snapshot: \/tmp\/sparktop-x\.txt/);
  });

  it('pipeline hotkeys say that a replay cannot act; q quits', async () => {
    const r = show();
    for (const key of ['+', 'k', 'r']) {
      await r.t.press(key);
      assert.match(r.t.lastFrame(), /a replay cannot act/);
    }
    await r.t.press('q');
    assert.equal(r.quits(), 1);
  });

  it('stays on the last frame at the end and says so', async () => {
    const r = show(64);
    await r.elapse(100_000);
    const frame = r.t.lastFrame();
    assert.match(frame, /1:39 \/ 1:39 · ×64 · end of recording/);
    assert.match(frame, /┌ Batches/);
    await r.elapse(1000);
    assert.equal(r.t.lastFrame(), frame);
  });
});
