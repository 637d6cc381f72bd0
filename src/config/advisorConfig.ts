/**
 * The advisor's thresholds and hysteresis as the user gives them: the config file's `advisor`
 * section and `--threshold name=value` (repeatable). Flags win over the file, the file over the
 * defaults; the skew levels must still ascend once merged.
 */
import { z } from 'zod';
import { InvalidResource } from '../domain/resources.js';
import { DEFAULT_ADVISOR_THRESHOLDS, mergeAdvisorInputs, resolveAdvisorOptions, skewOrderProblem, type AdvisorOptions, type AdvisorOptionsInput } from '../model/advisor/options.js';
import { ADVISOR_SETTINGS, expectedValue, findSetting, fitsSetting, withSetting, type AdvisorSetting } from '../model/advisor/settings.js';

function numberSchema(setting: AdvisorSetting) {
  const error = `expected ${expectedValue(setting)}`;
  return z.number({ error }).refine((n) => fitsSetting(setting, n), { error });
}

/** The settings of a section that sit under `group` (`skew`), or directly in it (group null), by their last name part. */
function shapeOf(section: AdvisorSetting['section'], group: string | null): Record<string, z.ZodType<number>> {
  const shape: Record<string, z.ZodType<number>> = {};
  for (const s of ADVISOR_SETTINGS) {
    const parts = s.name.split('.');
    const inGroup = group === null ? parts.length === 1 : parts.length === 2 && parts[0] === group;
    if (s.section === section && inGroup) shape[parts.at(-1)!] = numberSchema(s);
  }
  return shape;
}

const skewSchema = z
  .object(shapeOf('thresholds', 'skew'))
  .partial()
  .strict()
  .superRefine((skew, ctx) => {
    const problem = skewOrderProblem({ ...DEFAULT_ADVISOR_THRESHOLDS.skew, ...skew });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `"advisor": {"thresholds": {...}, "hysteresis": {...}}` in sparktop.config.json; every field optional. */
export const advisorFileSchema = z
  .object({
    thresholds: z
      .object({ ...shapeOf('thresholds', null), skew: skewSchema })
      .partial()
      .strict(),
    hysteresis: z.object(shapeOf('hysteresis', null)).partial().strict(),
  })
  .partial()
  .strict()
  .transform((v) => v as AdvisorOptionsInput);

const NUMBER = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** `--threshold gcRatio=0.2 --threshold skew.severe=4`: the settings given (the last one of a name wins). */
export function parseThresholdFlags(values: readonly string[] | undefined): AdvisorOptionsInput {
  let input: AdvisorOptionsInput = {};
  for (const raw of values ?? []) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new InvalidResource('threshold', `expected name=value (e.g. gcRatio=0.2), got "${raw}"`);
    const name = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    const setting = findSetting(name);
    if (!setting) throw new InvalidResource('threshold', `unknown name "${name}"; known: ${ADVISOR_SETTINGS.map((s) => s.name).join(', ')}`);
    const n = Number(value);
    if (!NUMBER.test(value) || !fitsSetting(setting, n)) throw new InvalidResource('threshold', `${name} expects ${expectedValue(setting)}, got "${value}"`);
    input = withSetting(input, setting, n);
  }
  return input;
}

/** The defaults, then the file's section (already validated), then the flags. */
export function resolveAdvisorSettings(fromFile: AdvisorOptionsInput | undefined, flagValues: readonly string[] | undefined): AdvisorOptions {
  const merged = mergeAdvisorInputs(fromFile ?? {}, parseThresholdFlags(flagValues));
  const problem = skewOrderProblem({ ...DEFAULT_ADVISOR_THRESHOLDS.skew, ...merged.thresholds?.skew });
  if (problem) throw new InvalidResource('threshold', problem);
  return resolveAdvisorOptions(merged);
}
