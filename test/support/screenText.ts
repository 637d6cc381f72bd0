/**
 * Reading the monitor's screen as a person does: the Partitions table, the Batches title, a panel's
 * text, the master's state in the header. Pure; used by the e2e suites on tmux captures and by unit
 * tests on frames the App draws.
 */

/** Partition numbers of the Partitions table (left column of the overview). */
export function partitionRows(lines: string[]): number[] {
  const found = new Set<number>();
  for (const l of lines) {
    const m = /^[│|]\s?(\d{1,4})\s+[\d ]{4,}/.exec(l);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** The log-end offsets of the Partitions table, in screen order. */
export function logEndOffsets(lines: string[]): number[] {
  return lines.flatMap((l) => {
    const m = /^[│|]\s?\d{1,4}\s+([\d ]{4,}?)\s{2}/.exec(l);
    return m ? [Number(m[1]!.replace(/ /g, ''))] : [];
  });
}

/** The newest batch id in the Batches panel's title (`last #N`). */
export function lastBatchOnScreen(screen: string): number | null {
  const m = /last #(\d+)/.exec(screen);
  return m ? Number(m[1]) : null;
}

/**
 * The text of the overview panel titled `title` (`┌ Partitions logs ───┐` … `└───┘`), cut out of
 * its half of the screen: what that panel says, without its neighbour's text.
 */
export function panelText(lines: string[], title: string): string {
  for (let i = 0; i < lines.length; i++) {
    const chars = [...lines[i]!];
    const text = chars.join('');
    const at = text.search(new RegExp(`[┌+] ${title}\\b`));
    if (at < 0) continue;
    const from = [...text.slice(0, at)].length;
    const corner = chars.findIndex((c, k) => k > from && (c === '┐' || c === '+'));
    const to = corner < 0 ? chars.length : corner + 1;
    const out = [chars.slice(from, to).join('')];
    for (let j = i + 1; j < lines.length; j++) {
      const row = [...lines[j]!].slice(from, to).join('');
      out.push(row);
      if (/^[└+]/.test(row)) break;
    }
    return out.join('\n');
  }
  return '';
}

export const UNREACHABLE = /unreachable since \d\d:\d\d:\d\d/;

/** The header's resources line (second line) while the master cannot be read: `master unreachable since 14:03:27 (connection refused)`. */
export function masterShownDown(lines: string[]): boolean {
  return /master unreachable since \d\d:\d\d:\d\d/.test(lines[1] ?? '');
}

/**
 * The master read again: no outage in the resources line, and the master's dot in the title line
 * is the OK one (`master ●`, or `m●` when the line is tight). The resources line's `master 1
 * worker, cores 2/2` is the least important piece of that line and may be left out at 120 columns.
 */
export function masterShownUp(lines: string[]): boolean {
  return !/master unreachable/.test(lines[1] ?? '') && /(?:master |\bm)●/.test(lines[0] ?? '');
}
