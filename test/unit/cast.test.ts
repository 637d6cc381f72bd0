/** --cast, `s` snapshots and the recording session the monitor wires in. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { render } from 'ink';
import { createElement } from 'react';
import { openCast } from '../../src/record/cast.js';
import { readRecording } from '../../src/record/reader.js';
import { openRecordingSession } from '../../src/record/session.js';
import { plainText, writeSnapshot } from '../../src/record/screenSnapshot.js';
import { App } from '../../src/ui/App.js';
import { createFrameSink } from '../../src/ui/frameSink.js';
import { ENTER_FULL_SCREEN, LEAVE_FULL_SCREEN } from '../../src/text/terminalCodes.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';
import { samplesFromFixture } from '../support/samplesFromFixture.js';
import { removeTempDirs, tempDir, TEST_CONFIG } from '../support/recordingFixtures.js';

after(removeTempDirs);

const PANELS = ['Rates', 'Batches', 'Partitions', 'Executors'];

class FakeTerminal extends EventEmitter {
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(): boolean {
    return true;
  }
}

type CastEvent = [number, 'o' | 'r', string];

function readCast(file: string): { header: Record<string, unknown>; events: CastEvent[] } {
  const [first, ...rest] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: JSON.parse(first!) as Record<string, unknown>, events: rest.map((l) => JSON.parse(l) as CastEvent) };
}

/** Renders the App through a frame sink whose writes go to `tap`, at two fixture moments, with a resize between. */
async function drawApp(terminal: FakeTerminal, tap: (data: string) => void, onResize: (c: number, r: number) => void) {
  const sink = createFrameSink(terminal, { onWrite: tap });
  const element = (at: number | 'end') => createElement(App, { derived: derivedFromFixture('steady', { at }), onQuit: () => {}, color: true, ascii: false });
  const instance = render(element(200), { stdout: sink.stream, debug: true, patchConsole: false, exitOnCtrlC: false });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  await settle();
  instance.rerender(element(300));
  await settle();
  terminal.columns = 100;
  terminal.rows = 30;
  terminal.emit('resize');
  onResize(100, 30);
  instance.rerender(element('end'));
  await settle();
  // Ink writes an empty frame when it unmounts: what was on screen is the frame before.
  const lastFrame = sink.lastFrame();
  instance.unmount();
  sink.dispose();
  return lastFrame;
}

/** The screens a cast shows, in order: its output events played on a terminal that knows the sink's escapes. */
function screensOf(events: CastEvent[]): string[] {
  let lines: string[] = [];
  let row = 0;
  const screens: string[] = [];
  for (const [, code, data] of events) {
    if (code !== 'o') continue;
    // eslint-disable-next-line no-control-regex
    for (const token of data.replace(/\x1b\[\?[0-9]+[hl]|\x1b\[[0-9;]*m/g, '').split(/(\x1b\[[0-9;]*[A-Za-z])/)) {
      const move = /^\x1b\[(\d+);1H$/.exec(token);
      if (move) row = Number(move[1]) - 1;
      else if (token === '\x1b[H') row = 0;
      else if (token === '\x1b[2K') lines[row] = '';
      else if (token === '\x1b[2J') lines = [];
      else if (!token.startsWith('\x1b[')) lines[row] = (lines[row] ?? '') + token;
    }
    screens.push(Array.from({ length: lines.length }, (_, i) => lines[i] ?? '').join('\n'));
  }
  return screens;
}

describe('cast', () => {
  it('writes an asciicast v2 file of what the sink wrote, with resizes and monotonic times', async () => {
    const file = path.join(tempDir(), 'run.cast');
    let seconds = 100;
    const cast = openCast(file, { columns: 120, rows: 40, title: 'sparktop', env: { TERM: 'xterm-256color', SHELL: '/bin/bash' }, clock: () => (seconds += 0.25) });
    const written: string[] = [];
    await drawApp(new FakeTerminal(120, 40), (d) => (written.push(d), cast.output(d)), (c, r) => cast.resize(c, r));
    await cast.close();

    const { header, events } = readCast(file);
    assert.deepEqual(Object.keys(header), ['version', 'width', 'height', 'timestamp', 'env', 'title']);
    assert.equal(header.version, 2);
    assert.equal(header.width, 120);
    assert.equal(header.height, 40);
    assert.ok(Math.abs(Number(header.timestamp) - Date.now() / 1000) < 60);
    assert.deepEqual(header.env, { TERM: 'xterm-256color', SHELL: '/bin/bash' });
    for (let i = 1; i < events.length; i++) assert.ok(events[i]![0] >= events[i - 1]![0], `event ${i} not before event ${i - 1}`);
    assert.ok(events.every(([, code]) => code === 'o' || code === 'r'));
    assert.deepEqual(events[0], [0.25, 'o', ENTER_FULL_SCREEN]);
    assert.deepEqual(events.at(-1)!.slice(1), ['o', LEAVE_FULL_SCREEN]);
    assert.deepEqual(
      events.filter(([, code]) => code === 'r').map(([, , d]) => d),
      ['100x30'],
    );
    assert.deepEqual(
      events.filter(([, code]) => code === 'o').slice(1, -1).map(([, , d]) => d),
      written,
      'exactly the bytes written to the terminal',
    );
    const lastScreen = screensOf(events).filter((screen) => screen.trim() !== '').at(-1)!;
    for (const title of PANELS) assert.match(lastScreen, new RegExp(`┌ ${title}\\b`));
    assert.ok(lastScreen.split('\n').every((line) => line.length <= 100), 'drawn for the new width');
  });
});

describe('snapshot', () => {
  it('writes the last frame as plain text and as ANSI, never over an earlier one', async () => {
    const dir = tempDir();
    const frame = await drawApp(new FakeTerminal(120, 40), () => {}, () => {});
    const at = new Date(2026, 10, 28, 21, 5, 9);
    const first = writeSnapshot(frame, dir, at);
    assert.equal(path.basename(first.txt), 'sparktop-20261128-210509.txt');
    assert.equal(path.basename(first.ans), 'sparktop-20261128-210509.ans');
    const txt = fs.readFileSync(first.txt, 'utf8');
    const ans = fs.readFileSync(first.ans, 'utf8');
    assert.doesNotMatch(txt, /\x1b/);
    assert.match(ans, /\x1b\[/);
    for (const title of PANELS) assert.match(txt, new RegExp(`┌ ${title}\\b`));
    assert.equal(plainText(ans).trimEnd(), txt.trimEnd());
    const second = writeSnapshot(frame, dir, at);
    assert.equal(path.basename(second.txt), 'sparktop-20261128-210509-2.txt');
    assert.equal(path.basename(second.ans), 'sparktop-20261128-210509-2.ans');
    assert.equal(fs.readFileSync(first.ans, 'utf8'), ans, 'the first is left as it was');
  });

  it('takes the next number free for both files when only the .ans of a name exists', () => {
    const dir = tempDir();
    const at = new Date(2026, 10, 28, 21, 5, 9);
    fs.writeFileSync(path.join(dir, 'sparktop-20261128-210509.ans'), 'the user\'s');
    const paths = writeSnapshot('\x1b[1mframe\x1b[0m', dir, at);
    assert.deepEqual([paths.txt, paths.ans].map((p) => path.basename(p)), ['sparktop-20261128-210509-2.txt', 'sparktop-20261128-210509-2.ans']);
    assert.equal(fs.readFileSync(path.join(dir, 'sparktop-20261128-210509.ans'), 'utf8'), 'the user\'s');
    assert.equal(fs.readFileSync(paths.txt, 'utf8'), 'frame\n');
  });
});

describe('recording session', () => {
  it('records samples and marks, taps the sink for the cast, and closes both', async () => {
    const dir = tempDir();
    const record = path.join(dir, 'run.jsonl');
    const castFile = path.join(dir, 'run.cast');
    const session = openRecordingSession({ record, cast: castFile, config: TEST_CONFIG, size: { columns: 120, rows: 40 }, now: () => 1_795_890_800_000 });
    assert.equal(session.error(), null);
    assert.equal(session.recording, true);
    const samples = samplesFromFixture('steady').slice(0, 20);
    for (const s of samples) session.onSample(s);
    const mark = session.mark('raised the rate');
    assert.deepEqual(mark, { t: 1_795_890_800_000, kind: 'mark', data: { note: 'raised the rate' } });
    assert.ok(session.sinkTap);
    await drawApp(new FakeTerminal(120, 40), session.sinkTap, (c, r) => session.onResize(c, r));
    await session.close();
    await session.close();
    assert.equal(session.recording, false);

    const read = await readRecording(record);
    assert.equal(read.header.startedAt, 1_795_890_800_000);
    assert.equal(read.samples.length, 21);
    assert.deepEqual(read.samples.at(-1), mark);
    const { events } = readCast(castFile);
    assert.ok(events.some(([, code, d]) => code === 'r' && d === '100x30'));
  });

  it('without targets it records nothing and has no tap', async () => {
    const session = openRecordingSession({ record: null, cast: null, config: TEST_CONFIG, size: { columns: 80, rows: 24 } });
    assert.equal(session.recording, false);
    assert.equal(session.sinkTap, undefined);
    session.onSample(samplesFromFixture('steady')[0]!);
    assert.equal(session.mark('x').kind, 'mark');
    await session.close();
    assert.equal(session.error(), null);
  });

  it('a target that cannot be written becomes a sentence, not an exception', async () => {
    const dir = tempDir();
    const taken = path.join(dir, 'taken.jsonl');
    fs.writeFileSync(taken, 'an earlier run\n');
    const session = openRecordingSession({ record: taken, cast: null, config: TEST_CONFIG, size: { columns: 80, rows: 24 } });
    assert.match(session.error() ?? '', /^not recording: .*taken\.jsonl exists and is not empty/);
    assert.equal(session.recording, false);
    session.onSample(samplesFromFixture('steady')[0]!);
    await session.close();
    assert.equal(fs.readFileSync(taken, 'utf8'), 'an earlier run\n');
    if (fs.existsSync('/dev/full')) {
      const told: string[] = [];
      const full = openRecordingSession({ record: '/dev/full', cast: null, config: TEST_CONFIG, size: { columns: 80, rows: 24 }, flushMs: 20, onError: (m) => told.push(m) });
      assert.equal(full.error(), null, 'opened');
      full.onSample(samplesFromFixture('steady')[0]!);
      // The flush comes on its timer (20 ms) and the write's failure after it: polled, not slept.
      for (let waited = 0; full.error() === null && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.match(full.error() ?? '', /^recording stopped: ENOSPC/);
      assert.deepEqual(told, [full.error()]);
      assert.equal(full.recording, false);
      await full.close();
    }
    const noCast = openRecordingSession({ record: null, cast: path.join(dir, 'missing', 'x.cast'), config: TEST_CONFIG, size: { columns: 80, rows: 24 } });
    assert.match(noCast.error() ?? '', /^no cast: cannot write .*ENOENT/);
    await noCast.close();
  });
});
