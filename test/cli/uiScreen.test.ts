import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN } from '../../src/text/terminalCodes.js';
import { enterFullScreen, type ProcessHooks } from '../../src/ui/screen.js';

class FakeProcess extends EventEmitter {
  pid = 4242;
  killed: string[] = [];
  kill(_pid: number, signal: string) {
    this.killed.push(signal);
  }
}

function fakeTty() {
  const written: string[] = [];
  return { isTTY: true, write: (s: string) => written.push(s), written };
}

describe('ui screen: alternate screen buffer', () => {
  it('enters once and leaves once, however often restore is called', () => {
    const out = fakeTty();
    const proc = new FakeProcess();
    const restore = enterFullScreen(out, proc as unknown as ProcessHooks);
    assert.equal(enterFullScreen(out, proc as unknown as ProcessHooks), restore, 'a second enter returns the same restore');
    restore();
    restore();
    const text = out.written.join('');
    assert.equal(text.split(ENTER_ALTERNATE_SCREEN).length - 1, 1);
    assert.equal(text.split(LEAVE_ALTERNATE_SCREEN).length - 1, 1);
    assert.equal(proc.listenerCount('exit'), 0, 'handlers removed');
    assert.equal(proc.listenerCount('SIGINT'), 0);
  });

  it('leaves on exit, on an uncaught exception and on signals (re-raising them)', () => {
    for (const event of ['exit', 'uncaughtExceptionMonitor', 'SIGINT', 'SIGTERM']) {
      const out = fakeTty();
      const proc = new FakeProcess();
      enterFullScreen(out, proc as unknown as ProcessHooks);
      proc.emit(event, event);
      assert.ok(out.written.join('').endsWith(LEAVE_ALTERNATE_SCREEN), event);
      if (event.startsWith('SIG')) assert.deepEqual(proc.killed, [event], `${event} is re-raised`);
    }
  });

  it('does nothing on a stream that is not a terminal', () => {
    const written: string[] = [];
    const restore = enterFullScreen({ isTTY: false, write: (s: string) => written.push(s) }, new FakeProcess() as unknown as ProcessHooks);
    restore();
    assert.deepEqual(written, []);
  });

  it('restores the screen before Node prints a crash, and a SIGTERM still ends the process', () => {
    const script = `
      import { enterFullScreen } from ${JSON.stringify(new URL('../../src/ui/screen.ts', import.meta.url).href)};
      Object.defineProperty(process.stdout, 'isTTY', { value: true });
      enterFullScreen(process.stdout);
      if (process.argv.at(-1) === 'crash') setTimeout(() => { throw new Error('boom'); }, 10);
      else if (process.argv.at(-1) === 'reject') setTimeout(() => Promise.reject(new Error('rejected')), 10);
      else { setTimeout(() => process.kill(process.pid, 'SIGTERM'), 10); setTimeout(() => {}, 5000); }
    `;
    for (const mode of ['crash', 'reject', 'term']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], { encoding: 'utf8', timeout: 10_000 });
      assert.ok(run.stdout.endsWith(LEAVE_ALTERNATE_SCREEN), `${mode}: left the alternate screen (${JSON.stringify(run.stdout)} ${run.stderr})`);
      if (mode === 'term') assert.equal(run.signal, 'SIGTERM', 'terminated by the signal');
      else assert.match(run.stderr, mode === 'crash' ? /boom/ : /rejected/);
    }
  });
});
