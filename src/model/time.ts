/** Spark's REST dates ("2026-11-28T18:31:42.598GMT") → epoch ms; null when absent or invalid. */
export function sparkDate(s: string | null | undefined): number | null {
  if (!s) return null;
  const ms = Date.parse(s.replace(/GMT$/, 'Z'));
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
