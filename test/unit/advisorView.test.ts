/** View 8 (advisor) and the findings line, rendered from the real model on recorded runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Derived } from '../../src/model/derivedTypes.js';
import { advisorLines } from '../../src/ui/views/advisorLines.js';
import type { VirtualTerminal } from '../support/virtualTerminal.js';
import { firstWith, runAdvisor, withExecutor } from '../support/advisorFixture.js';
import { appShower, assertFits, DOWN, linesOf, SIZES } from '../support/screen.js';

const show = appShower();

async function advisorView(derived: Derived, size: { columns: number; rows: number }): Promise<VirtualTerminal> {
  const t = show(derived, size, { color: false });
  await t.press('8');
  return t;
}

const steady = runAdvisor('steady').end;
const resubmit = runAdvisor('resubmit');
/** The steady run with executor 1 at 10× the task time (skew) and executor 0 at 20× the GC time: four findings. */
const crowded = runAdvisor('steady', {
  transform: (s) => withExecutor(withExecutor(s, '1', (e) => ({ totalDuration: e.totalDuration * 10 })), '0', (e) => ({ totalGCTime: e.totalGCTime * 20 })),
}).end;

describe('view 8 advisor', () => {
  for (const size of SIZES) {
    it(`steady at ${size.columns}×${size.rows}: one block per finding with severity, title, since, evidence and suggestion`, async () => {
      const t = await advisorView(steady, size);
      assertFits(t, size, 'view 8');
      const frame = linesOf(t).join('\n');
      assert.match(frame, /┌ Advisor ─+ 2 active/);
      assert.match(frame, /│WARN +Batches take longer than the target {2}since \d\d:\d\d:\d\d/);
      assert.match(frame, /p95 batch: 39 s · target: 20 s/);
      assert.match(frame, /→ Cap a batch with --max-offsets-per-trigger/);
      assert.match(frame, /│INFO +Too many shuffle partitions for the cores/);
      assert.match(frame, /spark\.sql\.shuffle\.partitions=4/);
    });
  }

  it('the most severe finding comes first, the others follow; the findings line names them', async () => {
    const ids = crowded.findings.map((f) => f.id);
    assert.deepEqual(ids, ['skew', 'gc-pressure', 'batch-over-target', 'shuffle-partitions']);
    const t = await advisorView(crowded, { columns: 160, rows: 48 });
    const lines = linesOf(t);
    const order = ['Moderate skew', 'Executors spend their time in GC', 'Batches take longer', 'Too many shuffle'].map((title) => lines.findIndex((l) => l.includes(title)));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.ok(order[0]! > 0);
    assert.match(lines[lines.length - 2]!, /! 1\/4 Moderate skew \(task time 1\.8\d× median, .*\) {2}also gc-pressure, batch-over-target, shuffle-partitions \(8 advisor\)/);
  });

  it('scrolls at 80×24 when the blocks do not fit', async () => {
    const size = { columns: 80, rows: 24 };
    const t = await advisorView(crowded, size);
    assert.match(linesOf(t)[2]!, /1–\d+ of \d+/);
    const first = linesOf(t)[3];
    await t.press(DOWN);
    assert.notEqual(linesOf(t)[3], first);
    assert.match(linesOf(t)[2]!, /2–\d+ of \d+/);
    assertFits(t, size, 'view 8');
  });

  it('healthy shown clearly, the recently cleared findings dimmed below', async () => {
    const size = { columns: 80, rows: 24 };
    const t = await advisorView(resubmit.end, size);
    assertFits(t, size, 'view 8');
    const lines = linesOf(t);
    assert.match(lines[3]!, /│HEALTHY Spark keeps up {2}since/);
    assert.match(lines.join('\n'), /→ Nothing to change at this load/);
    const cleared = lines.findIndex((l) => /│recently cleared/.test(l));
    assert.ok(cleared > 3);
    assert.match(lines[cleared + 1]!, /\d\d:\d\d:\d\d {2}(error|warn|info) +[a-z-]+ {2}/);
    // the virtual terminal has no colours: the dimming is in the spans
    const spans = advisorLines(resubmit.end, 78);
    const row = spans.findIndex((l) => l.some((x) => x.text === 'recently cleared'));
    for (const line of spans.slice(row + 1)) assert.ok(line.every((x) => x.dim === true));
    assert.match(lines[lines.length - 2]!, /^ ok Spark keeps up/);
  });

  it('an error finding while the driver is gone (resubmit)', async () => {
    const stop = firstWith(resubmit, 'partitions-stop')!;
    const t = await advisorView(stop, { columns: 120, rows: 40 });
    assert.match(linesOf(t).join('\n'), /│ERROR +Spark stopped committing batches/);
  });

  it('draws only ASCII with --ascii', async () => {
    const t = show(crowded, { columns: 100, rows: 30 }, { ascii: true, color: false });
    await t.press('8');
    assert.match(t.lastFrame(), /^[\x20-\x7e\n]*$/);
    assert.match(t.lastFrame(), /task time 1\.8\dx median/);
  });

  it('says when nothing is active yet', async () => {
    const early = runAdvisor('steady', { until: 3 }).end;
    assert.deepEqual(early.findings, []);
    const t = await advisorView(early, { columns: 80, rows: 24 });
    assert.match(linesOf(t).join('\n'), /│no finding active/);
  });
});
