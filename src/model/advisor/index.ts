/** The advisor: rules that say why the job does not keep up and what to change (issue #7). */
export { advisorView, evaluateAdvisor, type AdvisorInput } from './evaluate.js';
export { createAdvisorState, type AdvisorState } from './hysteresis.js';
export { DEFAULT_ADVISOR_THRESHOLDS, DEFAULT_HYSTERESIS, SNAPSHOT_HYSTERESIS, resolveAdvisorOptions, type AdvisorOptions, type AdvisorOptionsInput } from './options.js';
export { FINDING_IDS, RULES } from './rules.js';
