/**
 * Ink hands over whatever arrived in one read as one input: keys typed fast, sent by tmux in one
 * `send-keys`, or pasted (`\t\t2\r`, `++`). This splits such a chunk back into keys, keeping runs
 * of printable text together (a text field takes them whole).
 */
import type { Key } from 'ink';

/** A Key with no flag set (typed text). */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

export interface KeyPart {
  input: string;
  key: Partial<Key>;
}

const SEQUENCES: Record<string, Partial<Key>> = {
  '\x1b[A': { upArrow: true },
  '\x1b[B': { downArrow: true },
  '\x1b[C': { rightArrow: true },
  '\x1b[D': { leftArrow: true },
  '\x1bOA': { upArrow: true },
  '\x1bOB': { downArrow: true },
  '\x1bOC': { rightArrow: true },
  '\x1bOD': { leftArrow: true },
  '\x1b[Z': { tab: true, shift: true },
};

/** The keys of a chunk, or null when it is one key (or text without control characters) as Ink parsed it. */
export function splitChunk(input: string, key: Partial<Key>): KeyPart[] | null {
  if (input.length <= 1 || key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return null;
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(input)) return null;
  // Ink drops the ESC that starts a chunk: `\x1b[B\x1b[B` arrives as `[B\x1b[B`.
  if (/^(\[[0-9;]*[A-Za-z~]|O[A-D])/.test(input)) input = `\x1b${input}`;
  const parts: KeyPart[] = [];
  let text = '';
  const push = (part: KeyPart) => {
    if (text) parts.push({ input: text, key: {} });
    text = '';
    parts.push(part);
  };
  for (let i = 0; i < input.length; ) {
    const seq = Object.keys(SEQUENCES).find((s) => input.startsWith(s, i));
    if (seq) {
      push({ input: '', key: SEQUENCES[seq]! });
      i += seq.length;
      continue;
    }
    const c = input[i]!;
    if (c === '\t') push({ input: '', key: { tab: true } });
    else if (c === '\r' || c === '\n') push({ input: '', key: { return: true } });
    else if (c === '\x7f' || c === '\b') push({ input: '', key: { backspace: true } });
    else if (c === '\x1b') push({ input: '', key: { escape: true } });
    else if (c < ' ') push({ input: String.fromCharCode(c.charCodeAt(0) + 96), key: { ctrl: true } });
    else text += c;
    i++;
  }
  if (text) parts.push({ input: text, key: {} });
  return parts;
}
