/** Keys as a text field sees them, and the one-line editing every form field shares. */

export interface EditKey {
  /** `char` for typed text (in `text`), else a key name: return, escape, tab, shift+tab, up, down, left, right, backspace, ctrl+u, … */
  name: string;
  text: string;
}

/** The subset of Ink's `Key` a field needs. */
export interface InkKeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  escape?: boolean;
  return?: boolean;
  tab?: boolean;
  shift?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export function editKey(input: string, key: InkKeyFlags): EditKey {
  const named = (name: string): EditKey => ({ name, text: '' });
  if (key.upArrow) return named('up');
  if (key.downArrow) return named('down');
  if (key.leftArrow) return named('left');
  if (key.rightArrow) return named('right');
  if (key.escape) return named('escape');
  if (key.return) return named('return');
  if (key.tab) return named(key.shift ? 'shift+tab' : 'tab');
  // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return named('backspace');
  if (key.ctrl) return named(`ctrl+${input}`);
  if (key.meta) return named(`meta+${input}`);
  return { name: 'char', text: input };
}

/** The field's text after the key (appending at the end; the fields are short). */
export function editLine(value: string, key: EditKey, maxLength = 400): string {
  switch (key.name) {
    case 'backspace':
      return [...value].slice(0, -1).join('');
    case 'ctrl+u':
      return '';
    case 'ctrl+w':
      return value.replace(/\S*\s*$/, '');
    case 'char': {
      // Pasted text arrives as one input: keep it on one line.
      const typed = key.text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
      return (value + typed).slice(0, maxLength);
    }
    default:
      return value;
  }
}
