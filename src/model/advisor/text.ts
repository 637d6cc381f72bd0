/** Numbers in advisor evidence: short, unit attached, unknown as `unknown` (never 0). */

export function rate(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'unknown';
  const abs = Math.abs(n);
  const text = abs >= 10_000 ? `${(n / 1000).toFixed(0)}k` : abs >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0);
  return `${text} rec/s`;
}

export function secs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'unknown';
  return `${(ms / 1000).toFixed(Math.abs(ms) < 10_000 ? 1 : 0)} s`;
}

export function pct(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return 'unknown';
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

export function times(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : /(s|ch)$/.test(word) ? 'es' : 's'}`;
