/**
 * How numbers, bytes, durations and times look on screen. Pure; every function shows an unknown
 * (null, NaN, ±Infinity) as `–`, never as 0.
 */

export const UNKNOWN = '–';

type Maybe = number | null | undefined;

function known(n: Maybe): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** `8120311` → `8 120 311` (grouped by three with a space, as in the design sketch). */
export function formatInt(n: Maybe): string {
  if (!known(n)) return UNKNOWN;
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Three significant digits with k/M/G: `950`, `9.95k`, `19.8k`, `198k`, `1.98M`. */
export function formatCompact(n: Maybe): string {
  if (!known(n)) return UNKNOWN;
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs < 1000) return sign + (abs < 10 && abs !== Math.round(abs) ? abs.toFixed(1).replace(/\.0$/, '') : String(Math.round(abs)));
  const units = ['k', 'M', 'G', 'T'];
  let value = abs;
  let unit = '';
  for (const u of units) {
    if (value < 999.5) break;
    value /= 1000;
    unit = u;
  }
  return sign + threeDigits(value) + unit;
}

/** For chart axes: compact without trailing zeros (`20k`, `1.5k`, `2.5M`). */
export function formatCompactAxis(n: Maybe): string {
  const text = formatCompact(n);
  const match = /^(-?\d+\.\d+)([kMGT]?)$/.exec(text);
  if (!match) return text;
  return match[1]!.replace(/0+$/, '').replace(/\.$/, '') + match[2]!;
}

function threeDigits(value: number): string {
  if (value >= 99.95) return String(Math.round(value));
  if (value >= 9.995) return value.toFixed(1);
  return value.toFixed(2);
}

/** Bytes in binary units, at most three digits: `512B`, `1.5K`, `29M`, `848M`, `1M` (for 1018K), `1.2G`. */
export function formatBytes(n: Maybe): string {
  if (!known(n)) return UNKNOWN;
  if (n < 0) return '-' + formatBytes(-n);
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let value = n;
  let i = 0;
  // The next unit from 1000 on, so a value never takes four digits (1018K → 1M).
  while (value >= 1000 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  if (i === 0) return `${Math.round(value)}B`;
  const shown = value < 9.95 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return shown + units[i];
}

/** `29M/848M`. */
export function formatBytesOf(used: Maybe, total: Maybe): string {
  return `${formatBytes(used)}/${formatBytes(total)}`;
}

/** A duration for reading: `310 ms`, `7.3 s`, `42 s`, `1:02`, `1:02:03`. */
export function formatDuration(ms: Maybe): string {
  if (!known(ms)) return UNKNOWN;
  if (ms < 0) return '-' + formatDuration(-ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 9950) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 59500) return `${Math.round(ms / 1000)} s`;
  return formatClockDuration(ms, false);
}

/** `m:ss`, or `h:mm:ss` from one hour; with `padHours`, always `hh:mm:ss`. */
export function formatClockDuration(ms: Maybe, padHours: boolean): string {
  if (!known(ms)) return UNKNOWN;
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  if (padHours) {
    const days = Math.floor(h / 24);
    const hh = String(h % 24).padStart(2, '0');
    return days > 0 ? `${days}d ${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}`;
  }
  return h > 0 ? `${h}:${mm}:${ss}` : `${m}:${ss}`;
}

/** Time since the application started: `00:12:31`, `2d 03:04:05`. */
export function formatUptime(ms: Maybe): string {
  return formatClockDuration(ms, true);
}

/** Wall-clock time of an epoch-ms instant in the local time zone: `14:03:27`. */
export function formatClock(epochMs: Maybe): string {
  if (!known(epochMs)) return UNKNOWN;
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
}

/** How old something is: `4 s`, `35 s`, `12 min`, `3 h`, `2 d`. */
export function formatAge(ms: Maybe): string {
  if (!known(ms)) return UNKNOWN;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** Seconds with one decimal below 100 (`1.9`), whole above (`340`). */
export function formatSeconds(seconds: Maybe): string {
  if (!known(seconds)) return UNKNOWN;
  return Math.abs(seconds) < 99.95 ? seconds.toFixed(1) : String(Math.round(seconds));
}

/** A 0..1 share as a whole percentage: `51%`. */
export function formatPercent(ratio: Maybe): string {
  if (!known(ratio)) return UNKNOWN;
  return `${Math.round(ratio * 100)}%`;
}

/** A max ÷ median ratio: `1.4×`. */
export function formatRatio(ratio: Maybe): string {
  if (!known(ratio)) return UNKNOWN;
  return `${ratio.toFixed(ratio < 9.95 ? 1 : 0)}×`;
}

/** Shortens in the middle, keeping both ends: `app-20260115…-0001`. */
export function elideMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  const tail = Math.floor((width - 1) / 2);
  const head = width - 1 - tail;
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - tail).join('');
}

export function healthLabel(health: 'keeping-up' | 'falling-behind' | 'idle' | 'down' | 'unknown'): string {
  if (health === 'unknown') return 'LAG & RATES UNKNOWN';
  return health.replace('-', ' ').toUpperCase();
}

/** At most five cells, for chart axes: `0`, `310ms`, `7.3s`, `42s`, `1:02`, `1.5h`. */
export function formatDurationShort(ms: Maybe): string {
  if (!known(ms)) return UNKNOWN;
  if (ms <= 0) return '0';
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  if (ms < 9950) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`;
  if (ms < 59500) return `${Math.round(ms / 1000)}s`;
  if (ms < 3600_000) return formatClockDuration(ms, false);
  return `${(ms / 3600_000).toFixed(1)}h`;
}
