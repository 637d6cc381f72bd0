/**
 * `sparktop replay` in a real terminal (tmux, the built CLI; no lab needed): the screen at a
 * recorded moment is the App drawn from the model fed the same samples up to that moment.
 */
import './isolation.js';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createElement } from 'react';
import { applySample, createModel, derive } from '../../src/model/index.js';
import { plainText } from '../../src/record/screenSnapshot.js';
import { App } from '../../src/ui/App.js';
import { renderVirtual } from '../support/virtualTerminal.js';
import { removeTempDirs, writeRecording } from '../support/recordingFixtures.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { TmuxSession } from './tmux.js';

after(removeTempDirs);

async function waitFor(session: TmuxSession, pattern: RegExp, what: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const screen = session.capture();
    if (pattern.test(screen)) return screen;
    if (Date.now() > deadline) assert.fail(`${what}: ${pattern} not on screen:\n${screen}`);
    await delay(100);
  }
}

const trimmed = (text: string) => text.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '');

describe('e2e: sparktop replay in tmux', () => {
  it('shows at a stepped-to moment what the model fed the same samples shows', async () => {
    const samples = samplesFromFixture('resubmit');
    const file = await writeRecording(samples);
    const session = new TmuxSession(120, 40, ['replay', file]);
    try {
      await waitFor(session, /replay \d+:\d\d \/ 2:29 · ×1 · playing/, 'playing');
      session.sendKeys('Space');
      await waitFor(session, /· paused/, 'paused');
      // Back to the start (← stops there), then 30 refreshes forward.
      for (let i = 0; i < 15; i++) session.sendKeys('Left');
      await waitFor(session, /replay 0:00 \/ 2:29 · ×1 · paused/, 'at the start');
      for (let i = 0; i < 30; i++) session.sendKeys('Right');
      const screen = await waitFor(session, /replay 0:30 \/ 2:29 · ×1 · paused/, 'stepped');

      const at = samples[0]!.t + 30_000;
      const model = createModel({ targetBatchMs: 20_000, topic: 'logs' });
      for (const s of samples) {
        if (s.t > at) break;
        applySample(model, s);
      }
      const expected = renderVirtual(
        createElement(App, {
          derived: derive(model, at),
          onQuit: () => {},
          color: true,
          ascii: false,
          title: `sparktop replay ${file}`,
          statusLine: 'replay 0:30 / 2:29 · ×1 · paused',
          onKey: () => {},
        }),
        { columns: 120, rows: 40 },
      );
      // The findings after the status depend on how often the model was derived on the way (the
      // advisor's hysteresis); the panels and the replay status do not.
      const withoutFindings = (text: string) => trimmed(text).split('\n').map((l) => (l.startsWith(' ▸ replay') ? l.replace(/ {2}! .*$/, '') : l));
      assert.deepEqual(withoutFindings(screen), withoutFindings(plainText(expected.lastFrame())));
      expected.unmount();
      session.sendKeys('q');
      for (let i = 0; i < 50 && session.alive(); i++) await delay(100);
      assert.equal(session.alive(), false, 'q quits');
    } finally {
      session.kill();
    }
  });
});
