import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../../src/ui/App.js';
import { createFrameSink, frameDiff } from '../../src/ui/frameSink.js';
import { renderVirtual } from '../support/virtualTerminal.js';
import { derivedFromFixture } from '../support/derivedFromFixture.js';

/** A terminal that understands what the sink writes: row/column moves, line and screen erase. */
class ScreenModel extends EventEmitter {
  lines: string[] = [];
  writes: string[] = [];
  private row = 0;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(chunk: string) {
    this.writes.push(chunk);
    // eslint-disable-next-line no-control-regex
    const tokens = chunk.replace(/\x1b\[\?2026[hl]|\x1b\[[0-9;]*m/g, '').split(/(\x1b\[[0-9;]*[A-Za-z])/);
    for (const token of tokens) {
      const move = /^\x1b\[(\d+);1H$/.exec(token);
      if (move) this.row = Number(move[1]) - 1;
      else if (token === '\x1b[2K') this.lines[this.row] = '';
      else if (token === '\x1b[2J') this.lines = [];
      else if (token.startsWith('\x1b[')) throw new Error(`unexpected escape ${JSON.stringify(token)}`);
      else if (token !== '') this.lines[this.row] = (this.lines[this.row] ?? '') + token;
    }
    return true;
  }
  text(): string {
    return Array.from({ length: this.lines.length }, (_, i) => this.lines[i] ?? '').join('\n').replace(/\n+$/, '');
  }
}

describe('ui frame sink', () => {
  it('clears and draws the first frame, then only rewrites the rows that changed', () => {
    const first = frameDiff(null, ['a', '', 'c']);
    assert.equal(first, '\x1b[2J\x1b[1;1H\x1b[2Ka\x1b[3;1H\x1b[2Kc');
    assert.equal(frameDiff(['a', 'b', 'c'], ['a', 'b', 'c']), '');
    assert.equal(frameDiff(['a', 'b', 'c'], ['a', 'B', 'c']), '\x1b[2;1H\x1b[2KB');
    assert.equal(frameDiff(['a', 'b', 'c'], ['a']), '\x1b[2;1H\x1b[2K\x1b[3;1H\x1b[2K', 'rows the frame no longer has are erased');
  });

  it('writes nothing for an unchanged frame, wraps changes in synchronized output', () => {
    const terminal = new ScreenModel(20, 5);
    const sink = createFrameSink(terminal);
    sink.stream.write('one\ntwo');
    const afterFirst = terminal.writes.length;
    sink.stream.write('one\ntwo');
    assert.equal(terminal.writes.length, afterFirst);
    sink.stream.write('one\n2');
    assert.match(terminal.writes.at(-1)!, /^\x1b\[\?2026h.*\x1b\[\?2026l$/s);
    assert.equal(terminal.text(), 'one\n2');
    assert.equal(sink.bytesWritten(), terminal.writes.reduce((n, w) => n + Buffer.byteLength(w), 0));
  });

  it('follows the terminal size and redraws everything after a resize', () => {
    const terminal = new ScreenModel(100, 30);
    const sink = createFrameSink(terminal);
    let resized = 0;
    sink.stream.on('resize', () => resized++);
    assert.equal(sink.stream.columns, 100);
    sink.stream.write('x\ny');
    terminal.columns = 80;
    terminal.emit('resize');
    assert.equal(resized, 1);
    assert.equal(sink.stream.columns, 80);
    sink.stream.write('x\ny');
    assert.match(terminal.writes.at(-1)!, /\x1b\[2J/, 'a full redraw, even of unchanged lines');
    sink.dispose();
    terminal.emit('resize');
    assert.equal(resized, 1);
  });

  it('keeps the screen equal to the last frame while Ink renders the App through it', async () => {
    const terminal = new ScreenModel(120, 40);
    const sink = createFrameSink(terminal);
    const element = (at: number | 'end') => createElement(App, { derived: derivedFromFixture('kafka-down', { at }), onQuit: () => {}, color: false, ascii: false });
    const instance = render(element(300), { stdout: sink.stream, debug: true, patchConsole: false, exitOnCtrlC: false });
    for (const at of [320, 340, 360, 'end'] as const) {
      instance.rerender(element(at));
      await new Promise((resolve) => setImmediate(resolve));
      // The same element drawn whole, in memory: what the terminal should now show.
      const reference = renderVirtual(element(at), { columns: 120, rows: 40 });
      assert.equal(terminal.text(), reference.lastFrame().replace(/\n+$/, ''), `screen after the frame at ${at}`);
      reference.unmount();
    }
    assert.ok(terminal.lines.length <= 39, 'never past rows - 1');
    instance.unmount();
  });
});
