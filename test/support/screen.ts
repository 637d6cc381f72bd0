/** Reading frames of the virtual terminal in ui tests: sizes, plain text, and the fit check. */
import assert from 'node:assert/strict';
import { afterEach } from 'node:test';
import { createElement } from 'react';
import type { Derived } from '../../src/model/derivedTypes.js';
import { App, type AppProps } from '../../src/ui/App.js';
import { textWidth } from '../../src/text/cells.js';
import { renderVirtual, type VirtualTerminal } from './virtualTerminal.js';

/** The terminal sizes the ui must fit: the smallest usual, a common one, a large one. */
export const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 120, rows: 40 },
  { columns: 160, rows: 48 },
] as const;

export const DOWN = '\x1b[B';

// eslint-disable-next-line no-control-regex
export const plain = (frame: string) => frame.replace(/\x1b\[[0-9;]*m/g, '');
export const linesOf = (t: VirtualTerminal) => plain(t.lastFrame()).split('\n');

/** At most rows - 1 lines (docs/ARCHITECTURE.md "Ink and the terminal": Ink clears the terminal otherwise), none wider than the terminal. */
export function assertFits(t: VirtualTerminal, size: { columns: number; rows: number }, what: string) {
  const lines = linesOf(t);
  assert.ok(lines.length <= size.rows - 1, `${what}: ${lines.length} lines in a ${size.rows}-row terminal`);
  for (const line of lines) assert.ok(textWidth(line) <= size.columns, `${what}: line wider than ${size.columns}:\n${line}`);
}

export function appElement(derived: Derived, extra: Partial<AppProps> = {}) {
  return createElement(App, { derived, onQuit: () => {}, color: true, ascii: false, ...extra });
}

/** `show(derived, size)`: the App in a virtual terminal, unmounted after each test of the file. */
export function appShower(): (derived: Derived, size: { columns: number; rows: number }, extra?: Partial<AppProps>) => VirtualTerminal {
  const open: VirtualTerminal[] = [];
  afterEach(() => {
    for (const t of open.splice(0)) t.unmount();
  });
  return (derived, size, extra = {}) => {
    const terminal = renderVirtual(appElement(derived, extra), size);
    open.push(terminal);
    return terminal;
  };
}
