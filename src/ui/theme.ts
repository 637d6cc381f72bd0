/**
 * Colour and character set. `color: false` (NO_COLOR, --no-color, TERM=dumb) drops every hue but
 * keeps bold/dim/inverse; `ascii: true` (--ascii) draws with + - | # and maps the few non-ASCII
 * characters the ui prints to ASCII ones, so nothing depends on box-drawing glyphs.
 */
import { createContext, useContext } from 'react';
import type { BoxProps } from 'ink';
import type { Tone } from '../text/cells.js';

export interface Glyphs {
  unknown: string;
  ellipsis: string;
  up: string;
  down: string;
  sourceOk: string;
  sourceDown: string;
  sourceUnknown: string;
  marker: string;
  markerColumn: string;
  barFull: string;
  /** Partial bar cells, 1/8 .. 7/8 (empty in ASCII: bars round to whole cells). */
  barPartial: readonly string[];
  separator: string;
  frame: { topLeft: string; top: string; topRight: string };
  chartSymbols: readonly string[];
  targetLine: string;
  secondarySeries: string | null;
}

export interface Theme {
  color: boolean;
  ascii: boolean;
  glyphs: Glyphs;
  border: NonNullable<BoxProps['borderStyle']>;
  /** Ink colour name for a tone, undefined without colour. */
  colorOf(tone: Tone | undefined): string | undefined;
  /** The text as this terminal can show it. */
  text(s: string): string;
}

const UNICODE_GLYPHS: Glyphs = {
  unknown: '–',
  ellipsis: '…',
  up: '▲',
  down: '▼',
  sourceOk: '●',
  sourceDown: '✗',
  sourceUnknown: '○',
  marker: '↑',
  markerColumn: '┊',
  barFull: '█',
  barPartial: ['▏', '▎', '▍', '▌', '▋', '▊', '▉'],
  separator: '·',
  frame: { topLeft: '┌', top: '─', topRight: '┐' },
  chartSymbols: ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  targetLine: '╌',
  secondarySeries: null,
};

const ASCII_GLYPHS: Glyphs = {
  unknown: '-',
  ellipsis: '~',
  up: '^',
  down: 'v',
  sourceOk: '*',
  sourceDown: 'x',
  sourceUnknown: '?',
  marker: '^',
  markerColumn: ':',
  barFull: '#',
  barPartial: [],
  separator: '.',
  frame: { topLeft: '+', top: '-', topRight: '+' },
  chartSymbols: ['+', '|', '-', '-', '-', '`', ',', '.', "'", '|'],
  targetLine: '-',
  secondarySeries: null,
};

const TONE_COLORS: Record<Tone, string> = {
  good: 'green',
  warn: 'yellow',
  bad: 'red',
  accent: 'cyan',
  muted: 'gray',
  series1: 'cyan',
  series2: 'magenta',
  target: 'yellow',
  marker: 'blue',
};

const ASCII_MAP: Record<string, string> = {
  '–': '-',
  '—': '-',
  '…': '~',
  '·': '.',
  '×': 'x',
  '÷': '/',
  '≥': '>=',
  '≤': '<=',
  '→': '->',
  '←': '<-',
  '↑': '^',
  '↓': 'v',
  '▲': '^',
  '▼': 'v',
  '●': '*',
  '○': 'o',
  '✗': 'x',
  '│': '|',
  '─': '-',
  '┊': ':',
  '█': '#',
  '▸': '>',
  '▏': '_',
  '«': '<',
  '»': '>',
  '\u00a0': ' ',
};

function toAscii(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp < 0x80 ? ch : (ASCII_MAP[ch] ?? '?');
  }
  return out;
}

export function makeTheme(options: { color: boolean; ascii: boolean }): Theme {
  const glyphs = options.ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
  return {
    color: options.color,
    ascii: options.ascii,
    // Without colour the second chart series needs its own look: dots instead of lines.
    glyphs: options.color ? glyphs : { ...glyphs, secondarySeries: options.ascii ? '.' : '·' },
    border: options.ascii ? 'classic' : 'single',
    colorOf: (tone) => (options.color && tone ? TONE_COLORS[tone] : undefined),
    text: options.ascii ? toAscii : (s) => s,
  };
}

export const ThemeContext = createContext<Theme>(makeTheme({ color: true, ascii: false }));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
