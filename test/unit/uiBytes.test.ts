/**
 * Output bytes over SSH: the recorded lab runs replayed at one frame per recorded second, drawn at
 * 120×40 through the frame sink, stay well under the 4 KB/s goal.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { render } from 'ink';
import type { Derived } from '../../src/model/derivedTypes.js';
import { applySample, createModel, derive } from '../../src/model/index.js';
import { AnswerInterpreter } from '../../src/sources/answers.js';
import { App } from '../../src/ui/App.js';
import { createFrameSink } from '../../src/ui/frameSink.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';

/** One Derived per recorded second, the model fed answer by answer as the monitor feeds it. */
function secondBySecond(scenario: string): Derived[] {
  const answers = answersFromFixture(scenario);
  const model = createModel({});
  const interpreter = new AnswerInterpreter();
  const snapshots: Derived[] = [];
  let nextSecond = answers[0]!.t + 1000;
  for (const answer of answers) {
    while (answer.t > nextSecond) {
      snapshots.push(derive(model, nextSecond));
      nextSecond += 1000;
    }
    for (const sample of interpreter.interpret(answer)) applySample(model, sample);
  }
  return snapshots;
}

class Terminal extends EventEmitter {
  columns = 120;
  rows = 40;
  write(): boolean {
    return true;
  }
}

describe('ui output bytes', () => {
  it('under 4 KB/s at 120×40, one frame a second, across a resubmission', () => {
    const all = secondBySecond('resubmit');
    const change = all.at(-1)!.appChanges.at(-1);
    assert.ok(change, 'the recording has a resubmission');
    // Forty seconds around it: new app, charts marked, executors replaced (rendering is the slow part).
    const start = Math.max(0, all.findIndex((d) => d.at >= change.t) - 20);
    const snapshots = all.slice(start, start + 40);
    assert.ok(snapshots.length >= 30);
    const sink = createFrameSink(new Terminal());
    const element = (derived: Derived) => createElement(App, { derived, onQuit: () => {}, color: true, ascii: false });
    const instance = render(element(snapshots[0]!), { stdout: sink.stream, debug: true, patchConsole: false, exitOnCtrlC: false });
    const firstFrame = sink.bytesWritten();
    for (const derived of snapshots.slice(1)) instance.rerender(element(derived));
    instance.unmount();
    const perSecond = (sink.bytesWritten() - firstFrame) / (snapshots.length - 1);
    // Colour escapes are not in this count (no colour without a terminal); they add about a
    // third on a real one (measured over the whole recording: 1.3 → 1.7 KB/s), hence the margin.
    assert.ok(perSecond < 3000, `${Math.round(perSecond)} B/s`);
    assert.ok(firstFrame < 12_000, `first frame ${firstFrame} B`);
  });
});
