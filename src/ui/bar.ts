/** A horizontal bar for a 0..1 share, `width` cells, with eighth-cell steps where the glyphs allow. Pure. */
export function bar(ratio: number | null, width: number, full: string, partial: readonly string[]): string {
  if (ratio === null || !Number.isFinite(ratio) || width <= 0) return '';
  const clamped = Math.max(0, Math.min(1, ratio));
  const steps = partial.length + 1;
  const units = Math.round(clamped * width * steps);
  const whole = Math.floor(units / steps);
  const rest = units % steps;
  return full.repeat(whole) + (rest > 0 ? (partial[rest - 1] ?? '') : '');
}
