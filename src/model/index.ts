/** The model's public API: samples in (`applySample`), display-ready `Derived` out (`derive`). */
export { createModel, applySample, type ModelState, type AppState } from './store.js';
export { derive } from './derive.js';
export { toStatusJson, type StatusJson } from './status.js';
export { retainedSizes, type RetainedSizes } from './sizes.js';
export {
  DEFAULT_CAPACITY,
  DEFAULT_THRESHOLDS,
  DEFAULT_WINDOWS,
  type ModelCapacity,
  type ModelOptions,
  type ModelThresholds,
  type ModelWindows,
} from './options.js';
export { Ring } from './ring.js';
export type * from './derivedTypes.js';
export type * from './samples.js';
