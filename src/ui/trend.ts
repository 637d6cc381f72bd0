/** Whether the newest value is clearly above or below the few before it. Pure. */
export function trendOf(values: ReadonlyArray<number | null>, window = 5, threshold = 0.05): 'up' | 'down' | null {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const last = known[known.length - 1];
  const before = known.slice(-1 - window, -1);
  if (last === undefined || before.length === 0) return null;
  const mean = before.reduce((a, b) => a + b, 0) / before.length;
  if (mean <= 0) return last > 0 ? 'up' : null;
  const change = (last - mean) / mean;
  return change > threshold ? 'up' : change < -threshold ? 'down' : null;
}
