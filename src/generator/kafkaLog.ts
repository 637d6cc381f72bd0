import { logLevel, type LogEntry } from 'kafkajs';

/** Error → one line, including the cause kafkajs wraps in retry errors. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let msg = `${err.name}: ${err.message}`;
  const cause = (err as { cause?: unknown; originalError?: unknown }).cause ?? (err as { originalError?: unknown }).originalError;
  if (cause instanceof Error && cause.message !== err.message) msg += ` (cause: ${cause.name}: ${cause.message})`;
  return msg;
}

/**
 * A kafkajs logCreator writing one line per message through `log`, at WARN and above, and
 * suppressing repeats of the same message within 30 s (counted, shown on the next print).
 */
export function kafkaLogCreator(log: (line: string) => void, repeatWindowMs = 30_000) {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (_level: logLevel) =>
    ({ namespace, level, log: entry }: LogEntry) => {
      if (level > logLevel.WARN || level === logLevel.NOTHING) return;
      const { message, error, broker } = entry as { message: string; error?: unknown; broker?: unknown };
      const key = `${namespace}|${message}|${String(error ?? '')}`;
      const now = Date.now();
      const prev = seen.get(key);
      if (prev && now - prev.at < repeatWindowMs) {
        prev.suppressed++;
        return;
      }
      if (seen.size > 200) seen.clear();
      seen.set(key, { at: now, suppressed: 0 });
      const label = level === logLevel.ERROR ? 'error' : 'warn';
      let line = `kafkajs ${label} [${namespace}] ${message}`;
      if (error !== undefined && error !== '' && !message.includes(String(error))) line += `: ${String(error)}`;
      if (broker !== undefined) line += ` (broker ${String(broker)})`;
      if (prev && prev.suppressed > 0) line += ` (repeated ${prev.suppressed}× since)`;
      log(line);
    };
}
