import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  elideMiddle,
  formatAge,
  formatBytes,
  formatBytesOf,
  formatClock,
  formatCompact,
  formatDuration,
  formatDurationShort,
  formatInt,
  formatPercent,
  formatRatio,
  formatSeconds,
  formatUptime,
  healthLabel,
  UNKNOWN,
} from '../../src/text/format.js';

describe('ui format', () => {
  it('shows every unknown as – and never as 0', () => {
    for (const f of [formatInt, formatCompact, formatBytes, formatDuration, formatDurationShort, formatAge, formatSeconds, formatPercent, formatRatio, formatUptime, formatClock]) {
      assert.equal(f(null), UNKNOWN, f.name);
      assert.equal(f(undefined), UNKNOWN, f.name);
      assert.equal(f(Number.NaN), UNKNOWN, f.name);
      assert.equal(f(Number.POSITIVE_INFINITY), UNKNOWN, f.name);
    }
    assert.equal(UNKNOWN, '–');
    assert.equal(formatBytesOf(null, 848 * 2 ** 20), '–/848M');
  });

  it('groups digits by three with spaces', () => {
    assert.equal(formatInt(0), '0');
    assert.equal(formatInt(999), '999');
    assert.equal(formatInt(1000), '1 000');
    assert.equal(formatInt(8120311), '8 120 311');
    assert.equal(formatInt(-19111), '-19 111');
    assert.equal(formatInt(12.6), '13');
  });

  it('writes rates compact with three significant digits', () => {
    assert.equal(formatCompact(0), '0');
    assert.equal(formatCompact(2.5), '2.5');
    assert.equal(formatCompact(950), '950');
    assert.equal(formatCompact(9950), '9.95k');
    assert.equal(formatCompact(19_812), '19.8k');
    assert.equal(formatCompact(198_400), '198k');
    assert.equal(formatCompact(999_700), '1.00M');
    assert.equal(formatCompact(1_980_000), '1.98M');
  });

  it('writes bytes in binary units', () => {
    assert.equal(formatBytes(0), '0B');
    assert.equal(formatBytes(512), '512B');
    assert.equal(formatBytes(1536), '1.5K');
    assert.equal(formatBytes(29 * 2 ** 20), '29M');
    assert.equal(formatBytes(1023.9 * 2 ** 10), '1M');
    assert.equal(formatBytes(1018 * 2 ** 10), '1M', 'never four digits');
    assert.equal(formatBytes(999 * 2 ** 20), '999M');
    assert.equal(formatBytesOf(29 * 2 ** 20, 848 * 2 ** 20), '29M/848M');
    assert.equal(formatBytes(1.2 * 2 ** 30), '1.2G');
  });

  it('writes durations for reading and for chart axes', () => {
    assert.equal(formatDuration(310), '310 ms');
    assert.equal(formatDuration(7310), '7.3 s');
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(62_000), '1:02');
    assert.equal(formatDuration(3_723_000), '1:02:03');
    assert.equal(formatDurationShort(0), '0');
    assert.equal(formatDurationShort(310), '310ms');
    assert.equal(formatDurationShort(7310), '7.3s');
    assert.equal(formatDurationShort(62_000), '1:02');
    for (const ms of [1, 999, 9_999, 59_000, 599_000, 3_599_000, 36_000_000]) assert.ok(formatDurationShort(ms).length <= 5, String(ms));
  });

  it('writes uptime, wall-clock time and ages', () => {
    assert.equal(formatUptime(751_000), '00:12:31');
    assert.equal(formatUptime(2 * 86_400_000 + 3_723_000), '2d 01:02:03');
    assert.match(formatClock(Date.now()), /^\d\d:\d\d:\d\d$/);
    const noon = new Date(2026, 0, 15, 14, 3, 27).getTime();
    assert.equal(formatClock(noon), '14:03:27');
    assert.equal(formatAge(35_000), '35 s');
    assert.equal(formatAge(12 * 60_000), '12 min');
    assert.equal(formatAge(3 * 3_600_000), '3 h');
  });

  it('writes seconds, shares and ratios', () => {
    assert.equal(formatSeconds(1.94), '1.9');
    assert.equal(formatSeconds(340.2), '340');
    assert.equal(formatPercent(0.514), '51%');
    assert.equal(formatRatio(1.42), '1.4×');
    assert.equal(formatRatio(12.3), '12×');
  });

  it('elides in the middle and names the health', () => {
    assert.equal(elideMiddle('app-20260115093012-0001', 14), 'app-202…2-0001');
    assert.equal(elideMiddle('short', 14), 'short');
    assert.equal([...elideMiddle('app-20260115093012-0001', 9)].length, 9);
    assert.equal(healthLabel('keeping-up'), 'KEEPING UP');
    assert.equal(healthLabel('falling-behind'), 'FALLING BEHIND');
  });
});
