/**
 * The full-screen App rendered into a virtual terminal of a given size, on Derived snapshots the
 * real model computes from fixtures recorded on the real lab.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_COLUMNS, MIN_ROWS } from '../../src/ui/layout.js';
import type { VirtualTerminal } from '../support/virtualTerminal.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { appElement, appShower, assertFits, DOWN, linesOf, plain, SIZES } from '../support/screen.js';

const SCENARIOS = ['steady', 'resubmit', 'kafka-down'] as const;
const show = appShower();

/** The answer index where Kafka has been unreachable for a while in the kafka-down recording. */
function kafkaOutageIndex(): number {
  const answers = answersFromFixture('kafka-down');
  const failures = answers.flatMap((a, i) => (a.endpoint === 'kafka:offsets' && a.status === null ? [i] : []));
  assert.ok(failures.length > 10, 'the kafka-down recording has a Kafka outage');
  return failures[10]!;
}

describe('ui App: layout on real data', () => {
  for (const scenario of SCENARIOS) {
    for (const size of SIZES) {
      it(`${scenario} at ${size.columns}×${size.rows}: four panels, every view within the terminal`, async () => {
        const t = show(derivedFromFixture(scenario), size);
        const frame = linesOf(t).join('\n');
        for (const title of ['Rates', 'Batches', 'Partitions', 'Executors']) assert.match(frame, new RegExp(`┌ ${title}\\b`), `${title} panel`);
        assertFits(t, size, 'overview');
        for (const key of ['2', '3', '4', '5', '6', '7', '?']) {
          await t.press(key);
          assertFits(t, size, `after ${key}`);
        }
      });
    }
  }

  it('follows a resize, and says when the terminal is too small', async () => {
    const t = show(derivedFromFixture('steady'), { columns: 160, rows: 48 });
    await t.resize(80, 24);
    assertFits(t, { columns: 80, rows: 24 }, 'after shrinking');
    assert.match(linesOf(t)[2]!, /^┌ Rates/);
    await t.resize(40, 10);
    assert.match(plain(t.lastFrame()), new RegExp(`terminal too small[\\s\\S]*40×10, needs ${MIN_COLUMNS}×${MIN_ROWS}`));
    assertFits(t, { columns: 40, rows: 10 }, 'too small');
    await t.resize(120, 40);
    assertFits(t, { columns: 120, rows: 40 }, 'after growing');
    assert.match(plain(t.lastFrame()), /┌ Executors/);
  });

  it('draws only ASCII with --ascii', async () => {
    const t = show(derivedFromFixture('kafka-down', { at: kafkaOutageIndex() }), { columns: 100, rows: 30 }, { ascii: true, color: false });
    for (const key of ['1', '2', '3', '4', '5', '6']) {
      await t.press(key);
      assert.match(plain(t.lastFrame()), /^[\x20-\x7e\n]*$/, `view ${key}`);
    }
  });
});

describe('ui App: what the data says', () => {
  it('shows unknown values as –, never as 0', () => {
    const derived = derivedFromFixture('kafka-down', { at: kafkaOutageIndex() });
    // The recording has no Kafka rate during the outage and no generators to read.
    assert.equal(derived.partitions.produceRps, null);
    assert.equal(derived.generators.count, null);
    const frame = plain(show(derived, { columns: 120, rows: 40 }).lastFrame());
    assert.match(frame, /in –\/s/);
    assert.match(frame, /generators –/);
    assert.doesNotMatch(frame, /in 0\/s/);
    const row = frame.split('\n').find((l) => /^│ +0 /.test(l));
    assert.ok(row, 'partition 0 row');
    assert.equal(derived.partitions.rows[0]!.lagSeconds, null);
    assert.match(row, / – /, 'lag seconds unknown');
  });

  it('says since when and why a source is unreachable, and how old its values are', () => {
    const derived = derivedFromFixture('kafka-down', { at: kafkaOutageIndex() });
    assert.equal(derived.sources.kafka.ok, false);
    for (const size of [
      { columns: 80, rows: 24 },
      { columns: 160, rows: 48 },
    ]) {
      const lines = linesOf(show(derived, size));
      const top = lines.findIndex((l) => l.startsWith('┌ Partitions'));
      assert.ok(top > 0);
      assert.match(lines[top]!, /\d+ s old/, 'the title says how old the values are');
      assert.match(lines[top + 1]!, /unreachable since \d\d:\d\d:\d\d \(.*ECONNREF/, `at ${size.columns}×${size.rows}`);
      assert.match(lines[0]!, /k(afka )?✗/, 'the header marks Kafka down');
    }
  });

  it('waits for batches instead of drawing an empty chart', () => {
    const answers = answersFromFixture('steady');
    const beforeProgress = answers.findIndex((a) => a.endpoint.startsWith('listener:')) - 1;
    assert.ok(beforeProgress >= 0);
    const derived = derivedFromFixture('steady', { at: beforeProgress });
    assert.equal(derived.rates.series.length, 0);
    const frame = plain(show(derived, { columns: 80, rows: 24 }).lastFrame());
    assert.equal(frame.match(/waiting for batches/g)?.length, 2, 'in Rates and in Batches');
  });

  it('marks the resubmission on the charts', () => {
    const derived = derivedFromFixture('resubmit');
    assert.ok(derived.appChanges.length > 0);
    const frame = plain(show(derived, { columns: 120, rows: 40 }).lastFrame());
    assert.match(frame, /↑app …\d+/);
  });

  it('shows the caller status line and the top finding above the footer', () => {
    const derived = derivedFromFixture('steady');
    assert.ok(derived.findings.length > 0);
    const lines = linesOf(show(derived, { columns: 120, rows: 40 }, { statusLine: 'resubmitting with 4 cores' }));
    const message = lines[lines.length - 2]!;
    assert.match(message, /resubmitting with 4 cores/);
    assert.match(message, /! /);
    assert.match(lines[lines.length - 1]!, /1 overview 2 executors 3 partitions 4 batches 5 stages 6 events/);
  });
});

describe('ui App: keys', () => {
  it('switches views with 1-7', async () => {
    const t = show(derivedFromFixture('kafka-down'), { columns: 120, rows: 40 });
    const expected: Array<[string, RegExp]> = [
      ['2', /┌ Executors \d+ active, \d+ removed/],
      ['3', /┌ Partitions logs ─+ total lag/],
      ['4', /┌ Batches ─+ p50 /],
      ['5', /┌ Stages recent/],
      ['6', /┌ Events/],
      ['7', /┌ Experiments ─+ \d+ segments? · target/],
      ['1', /┌ Rates/],
    ];
    for (const [key, title] of expected) {
      await t.press(key);
      assert.match(plain(t.lastFrame()), title, `key ${key}`);
    }
  });

  it('opens and closes help with ?, listing pipeline actions only when onKey is wired', async () => {
    const bare = show(derivedFromFixture('steady'), { columns: 120, rows: 40 });
    await bare.press('?');
    assert.match(plain(bare.lastFrame()), /┌ Help/);
    assert.doesNotMatch(plain(bare.lastFrame()), /resubmit/);
    await bare.press('?');
    assert.match(plain(bare.lastFrame()), /┌ Rates/);

    const wired = show(derivedFromFixture('steady'), { columns: 120, rows: 40 }, { onKey: () => {} });
    await wired.press('?');
    assert.match(plain(wired.lastFrame()), /resubmit the Spark job/);
  });

  it('freezes the display with space and thaws it with space again', async () => {
    const early = derivedFromFixture('steady', { at: 300 });
    const late = derivedFromFixture('steady');
    const uptime = (t: VirtualTerminal) => /up (\d\d:\d\d:\d\d)/.exec(linesOf(t)[0]!)?.[1];
    const t = show(early, { columns: 120, rows: 40 });
    const frozenAt = uptime(t);
    await t.press(' ');
    assert.match(linesOf(t)[0]!, /FROZEN/);
    await t.rerender(appElement(late));
    assert.equal(uptime(t), frozenAt, 'the frozen display keeps the captured data');
    await t.press(' ');
    assert.doesNotMatch(linesOf(t)[0]!, /FROZEN/);
    assert.notEqual(uptime(t), frozenAt);
  });

  it('scrolls long tables', async () => {
    const derived = derivedFromFixture('kafka-down');
    assert.ok(derived.batches.rows.length > 30);
    const t = show(derived, { columns: 120, rows: 40 });
    await t.press('4');
    const newest = derived.batches.rows[derived.batches.rows.length - 1]!.batchId;
    assert.match(plain(t.lastFrame()), new RegExp(`1–\\d+ of ${derived.batches.rows.length}`));
    assert.match(linesOf(t)[4]!, new RegExp(`^│ +${newest} `), 'newest batch first');
    await t.press(DOWN);
    assert.match(linesOf(t)[4]!, new RegExp(`^│ +${newest - 1} `));
    await t.press('\x1b[H');
    assert.match(linesOf(t)[4]!, new RegExp(`^│ +${newest} `), 'home goes back to the newest');
  });

  it('quits with q and passes other keys on', async () => {
    let quits = 0;
    const keys: string[] = [];
    const t = show(derivedFromFixture('steady'), { columns: 80, rows: 24 }, { onQuit: () => quits++, onKey: (k) => keys.push(k) });
    await t.press('+');
    await t.press('r');
    await t.press('9');
    await t.press('\x1b');
    await t.press('?');
    await t.press('\x1b');
    assert.match(plain(t.lastFrame()), /┌ Rates/, 'esc closed help');
    assert.equal(quits, 0);
    await t.press('q');
    assert.equal(quits, 1);
    assert.deepEqual(keys, ['+', 'r', '9', 'escape'], 'esc goes to the caller only when help is not open');
  });
});

describe('ui App: the query settings the job told the listener', () => {
  // Recorded with `sparktop submit … --trigger 5s --max-offsets-per-trigger 20000` (scripts/record-lab-fixtures.ts --scenario trigger).
  it('shows the trigger and the batch cap in the header (Spark itself shows them nowhere)', () => {
    const d = derivedFromFixture('trigger');
    assert.equal(d.resources.trigger, '5 seconds');
    assert.equal(d.resources.maxOffsetsPerTrigger, 20_000);
    const header = linesOf(show(d, { columns: 160, rows: 48 })).slice(0, 2).join('\n');
    assert.match(header, /trigger 5 seconds/);
    assert.match(header, /maxOffsets 20 000/);
  });

  it('says unknown (–) when the listener was not told: the steady recording predates it', () => {
    const d = derivedFromFixture('steady');
    assert.equal(d.resources.trigger, null);
    assert.match(linesOf(show(d, { columns: 160, rows: 48 })).slice(0, 2).join('\n'), /trigger –/);
  });
});
