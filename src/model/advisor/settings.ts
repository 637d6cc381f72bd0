/**
 * The advisor's settings a user can change, by name (`--threshold gcRatio=0.2`, the config file's
 * `advisor` section, the README's table): where each sits in AdvisorOptions and which values it
 * takes. Pure: parsing a flag or a file is the caller's.
 */
import { DEFAULT_ADVISOR_THRESHOLDS, DEFAULT_HYSTERESIS, type AdvisorHysteresis, type AdvisorOptions, type AdvisorOptionsInput, type AdvisorThresholds } from './options.js';

export type SettingKind = 'ratio' | 'skewLevel' | 'count' | 'ms' | 'positive';

const KINDS: Record<SettingKind, { expected: string; fits: (n: number) => boolean }> = {
  ratio: { expected: 'a number between 0 and 1', fits: (n) => n > 0 && n <= 1 },
  skewLevel: { expected: 'a number above 1 (max ÷ median)', fits: (n) => n > 1 },
  count: { expected: 'a positive integer', fits: (n) => Number.isInteger(n) && n >= 1 },
  ms: { expected: 'a number of milliseconds, 0 or more', fits: (n) => n >= 0 },
  positive: { expected: 'a number above 0', fits: (n) => n > 0 },
};

type ThresholdName = Exclude<keyof AdvisorThresholds, 'skew'> | `skew.${keyof AdvisorThresholds['skew']}`;
type HysteresisName = keyof Pick<AdvisorHysteresis, 'raiseAfter' | 'clearAfter' | 'healthyAfter'>;
export type AdvisorSettingName = ThresholdName | HysteresisName;

export interface AdvisorSetting {
  /** As written in `--threshold name=value`; a dot goes one level down (`skew.severe`). */
  name: AdvisorSettingName;
  section: 'thresholds' | 'hysteresis';
  kind: SettingKind;
}

// What each one means: options.ts and the README's "Advisor thresholds" table.
const THRESHOLDS: Record<ThresholdName, SettingKind> = {
  'skew.low': 'skewLevel',
  'skew.moderate': 'skewLevel',
  'skew.severe': 'skewLevel',
  'skew.critical': 'skewLevel',
  gcRatio: 'ratio',
  gcError: 'ratio',
  memoryRatio: 'ratio',
  shufflePerCore: 'count',
  tinyTaskMs: 'ms',
  stateGrowthBatches: 'count',
  stateGrowthMin: 'positive',
  generatorFraction: 'ratio',
  failureWindowMs: 'ms',
};

// evaluateEveryMs and cleared are not the user's: they pace the evaluation and size the advisor view.
const HYSTERESIS: Record<HysteresisName, SettingKind> = { raiseAfter: 'count', clearAfter: 'count', healthyAfter: 'count' };

export const ADVISOR_SETTINGS: readonly AdvisorSetting[] = [
  ...Object.entries(THRESHOLDS).map(([name, kind]) => ({ name: name as ThresholdName, section: 'thresholds' as const, kind })),
  ...Object.entries(HYSTERESIS).map(([name, kind]) => ({ name: name as HysteresisName, section: 'hysteresis' as const, kind })),
];

const DEFAULT_ADVISOR_OPTIONS: AdvisorOptions = { thresholds: DEFAULT_ADVISOR_THRESHOLDS, hysteresis: DEFAULT_HYSTERESIS };

export function findSetting(name: string): AdvisorSetting | undefined {
  return ADVISOR_SETTINGS.find((s) => s.name === name);
}

/** What a value of the setting must be, e.g. `a number between 0 and 1`. */
export function expectedValue(setting: AdvisorSetting): string {
  return KINDS[setting.kind].expected;
}

export function fitsSetting(setting: AdvisorSetting, value: number): boolean {
  return Number.isFinite(value) && KINDS[setting.kind].fits(value);
}

function pathOf(setting: AdvisorSetting): string[] {
  return [setting.section, ...setting.name.split('.')];
}

/** The setting's value in (resolved or recorded) options; undefined when it is not there. */
export function settingValue(options: unknown, setting: AdvisorSetting): unknown {
  let at: unknown = options;
  for (const key of pathOf(setting)) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

export function defaultValue(setting: AdvisorSetting): number {
  return settingValue(DEFAULT_ADVISOR_OPTIONS, setting) as number;
}

/** `input` with the setting set to `value` (a copy). */
export function withSetting(input: AdvisorOptionsInput, setting: AdvisorSetting, value: number): AdvisorOptionsInput {
  const [section, key, sub] = pathOf(setting) as ['thresholds' | 'hysteresis', string, string | undefined];
  const part: Record<string, unknown> = { ...input[section] };
  part[key!] = sub === undefined ? value : { ...(part[key!] as object | undefined), [sub]: value };
  return { ...input, [section]: part };
}

/** `name=value` for every setting of `options` that is not its default (options as resolved, or as recorded). */
export function differencesFromDefaults(options: unknown): string[] {
  const out: string[] = [];
  for (const s of ADVISOR_SETTINGS) {
    const v = settingValue(options, s);
    if (typeof v === 'number' && v !== defaultValue(s)) out.push(`${s.name}=${v}`);
  }
  return out;
}
