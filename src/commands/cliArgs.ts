/** Command-line words before meow parses them, and the flags it could not place. */
import { kebab } from '../text/kebab.js';

/**
 * `--trigger -1s` would reach the parser as the flag `--trigger` without a value and the short
 * flags `-1` and `-s`: a word starting with `-` right after a flag that takes a value, and which is
 * not itself a known flag, is that flag's value (`--trigger=-1s`), so validation can name the flag.
 */
export function attachDashValues(argv: readonly string[], valueFlags: readonly string[], allFlags: readonly string[]): string[] {
  const takesValue = new Set(valueFlags.map(kebab));
  const known = new Set(allFlags.map(kebab));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const next = argv[i + 1];
    const name = word.startsWith('--') && !word.includes('=') ? word.slice(2) : null;
    if (name !== null && takesValue.has(name) && next !== undefined && next.startsWith('-') && next !== '--') {
      const nextName = next.startsWith('--') ? next.slice(2).split('=')[0]! : null;
      if (nextName === null || !known.has(nextName)) {
        out.push(`${word}=${next}`);
        i++;
        continue;
      }
    }
    out.push(word);
  }
  return out;
}

/** Flags the parser found that the CLI does not define, as the user wrote them (`--frobnicate`, `-x`). */
export function unknownFlags(parsed: Record<string, unknown>, defined: readonly string[]): string[] {
  const known = new Set(defined);
  return Object.keys(parsed)
    .filter((k) => !known.has(k))
    .map((k) => (k.length === 1 ? `-${k}` : `--${kebab(k)}`));
}
