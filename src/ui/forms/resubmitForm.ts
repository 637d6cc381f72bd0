/**
 * The resubmit form's state and keys, without rendering: fields prefilled from the running job,
 * validated as typed against the cluster, then a review of the exact command line, then apply.
 */
import {
  InvalidResource,
  memoryToMb,
  parseConf,
  parseMemory,
  parsePositiveInt,
  parseTrigger,
  type JobResources,
} from '../../domain/resources.js';
import { editLine, type EditKey } from './lineEdit.js';

export type FieldId = 'executorCores' | 'executorMemory' | 'totalExecutorCores' | 'shufflePartitions' | 'maxOffsetsPerTrigger' | 'trigger' | 'conf';

export interface FieldSpec {
  id: FieldId;
  label: string;
  /** What a blank field means. */
  blank: string;
}

export const FIELDS: readonly FieldSpec[] = [
  { id: 'executorCores', label: 'executor cores', blank: 'all the cores of a worker' },
  { id: 'executorMemory', label: 'executor memory', blank: "Spark's default (1g)" },
  { id: 'totalExecutorCores', label: 'total executor cores', blank: 'every free core of the cluster' },
  { id: 'shufflePartitions', label: 'shuffle partitions', blank: "Spark's default (200)" },
  { id: 'maxOffsetsPerTrigger', label: 'maxOffsetsPerTrigger', blank: 'no limit' },
  { id: 'trigger', label: 'trigger interval', blank: 'as fast as possible' },
  { id: 'conf', label: 'extra --conf k=v …', blank: 'none' },
];

/** What the cluster can give (from the master), for the limits of the fields; null = unknown. */
export interface ClusterLimits {
  totalCores: number | null;
  /** The largest worker: one executor must fit on one worker. */
  workerCores: number | null;
  workerMemoryMb: number | null;
}

export type FormStage = 'edit' | 'reviewing' | 'review';

export interface ResubmitFormState {
  values: Record<FieldId, string>;
  focus: number;
  stage: FormStage;
  /** Kept from the running job although not in the form (e.g. driver memory). */
  base: JobResources;
  limits: ClusterLimits;
  /** Set once the review came back. */
  review: { commandLine: string; checkpointDir: string; resources: JobResources } | null;
  /** Why Enter did nothing (invalid fields) or why the review failed. */
  message: string | null;
}

export type FormEffect = { kind: 'none' } | { kind: 'cancel' } | { kind: 'review'; resources: JobResources } | { kind: 'apply' };

export function openResubmitForm(current: JobResources, limits: ClusterLimits): ResubmitFormState {
  const text = (v: number | string | undefined) => (v === undefined ? '' : String(v));
  return {
    values: {
      executorCores: text(current.executorCores),
      executorMemory: text(current.executorMemory),
      totalExecutorCores: text(current.totalExecutorCores),
      shufflePartitions: text(current.shufflePartitions),
      maxOffsetsPerTrigger: text(current.maxOffsetsPerTrigger),
      trigger: text(current.trigger),
      conf: Object.entries(current.conf)
        .map(([k, v]) => formatConfPair(k, v))
        .join(' '),
    },
    focus: 0,
    stage: 'edit',
    base: current,
    limits,
    review: null,
    message: null,
  };
}

function formatConfPair(key: string, value: string): string {
  return /\s|"/.test(value) ? `${key}="${value.replace(/"/g, '\\"')}"` : `${key}=${value}`;
}

/** Words separated by spaces; double quotes keep spaces in a value (`k="-Xss4m -XX:+UseG1GC"`). */
export function splitConfWords(text: string): string[] | string {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted && text[i + 1] === '"') {
      word += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (/\s/.test(c) && !quoted) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoted) return 'a quote is not closed';
  if (inWord) words.push(word);
  return words;
}

export interface FormValidation {
  resources: JobResources | null;
  errors: Partial<Record<FieldId, string>>;
}

/** Every field checked against the flags' rules and the cluster; the resources when all are valid. */
export function validateForm(values: Record<FieldId, string>, base: JobResources, limits: ClusterLimits): FormValidation {
  const errors: Partial<Record<FieldId, string>> = {};
  const r: JobResources = { conf: {} };
  if (base.driverMemory !== undefined) r.driverMemory = base.driverMemory;
  const field = <T>(id: FieldId, parse: (text: string) => T): T | undefined => {
    const text = values[id].trim();
    if (/[\u0000-\u001f\u007f]/.test(values[id])) {
      errors[id] = 'control characters are not allowed';
      return undefined;
    }
    if (text === '') return undefined;
    try {
      return parse(text);
    } catch (err) {
      errors[id] = err instanceof InvalidResource ? err.message.replace(/^--[a-z-]+: /, '') : String(err);
      return undefined;
    }
  };
  r.executorCores = field('executorCores', (t) => parsePositiveInt('executor-cores', t));
  r.executorMemory = field('executorMemory', (t) => parseMemory('executor-memory', t));
  r.totalExecutorCores = field('totalExecutorCores', (t) => parsePositiveInt('total-executor-cores', t));
  r.shufflePartitions = field('shufflePartitions', (t) => parsePositiveInt('shuffle-partitions', t));
  r.maxOffsetsPerTrigger = field('maxOffsetsPerTrigger', (t) => parsePositiveInt('max-offsets-per-trigger', t));
  r.trigger = field('trigger', (t) => parseTrigger('trigger', t));
  r.conf =
    field('conf', (t) => {
      const words = splitConfWords(t);
      if (typeof words === 'string') throw new InvalidResource('conf', words);
      return parseConf(words);
    }) ?? {};

  const { totalCores, workerCores, workerMemoryMb } = limits;
  if (r.executorCores !== undefined && workerCores !== null && r.executorCores > workerCores) {
    errors.executorCores = `at most ${workerCores}: no worker has more cores`;
  }
  if (r.totalExecutorCores !== undefined && totalCores !== null && r.totalExecutorCores > totalCores) {
    errors.totalExecutorCores = `at most ${totalCores}: the cluster's cores`;
  }
  if (r.totalExecutorCores !== undefined && r.executorCores !== undefined && r.totalExecutorCores < r.executorCores && !errors.totalExecutorCores) {
    errors.totalExecutorCores = `less than the executor cores (${r.executorCores}): no executor could start`;
  }
  if (r.executorMemory !== undefined && workerMemoryMb !== null && memoryToMb(r.executorMemory) > workerMemoryMb) {
    errors.executorMemory = `at most ${workerMemoryMb}m: the largest worker's memory`;
  }
  for (const key of Object.keys(r) as Array<keyof JobResources>) if (r[key] === undefined) delete r[key];
  return { resources: Object.keys(errors).length === 0 ? r : null, errors };
}

/** How many executors a standalone master starts for these resources (null when it depends on the cluster). */
export function executorCount(values: Record<FieldId, string>, limits: ClusterLimits): number | null {
  const perExecutor = Number(values.executorCores.trim() || limits.workerCores || NaN);
  const total = Number(values.totalExecutorCores.trim() || limits.totalCores || NaN);
  if (!Number.isInteger(perExecutor) || !Number.isInteger(total) || perExecutor < 1) return null;
  return Math.floor(total / perExecutor);
}

export function formKey(state: ResubmitFormState, key: EditKey): { state: ResubmitFormState; effect: FormEffect } {
  const none = { kind: 'none' } as const;
  if (state.stage === 'reviewing') {
    return key.name === 'escape' ? { state: { ...state, stage: 'edit' }, effect: none } : { state, effect: none };
  }
  if (state.stage === 'review') {
    if (key.name === 'return') return { state, effect: { kind: 'apply' } };
    if (key.name === 'escape') return { state: { ...state, stage: 'edit', review: null }, effect: none };
    return { state, effect: none };
  }
  switch (key.name) {
    case 'escape':
      return { state, effect: { kind: 'cancel' } };
    case 'tab':
    case 'down':
      return { state: { ...state, focus: (state.focus + 1) % FIELDS.length, message: null }, effect: none };
    case 'shift+tab':
    case 'up':
      return { state: { ...state, focus: (state.focus + FIELDS.length - 1) % FIELDS.length, message: null }, effect: none };
    case 'return': {
      const v = validateForm(state.values, state.base, state.limits);
      if (!v.resources) {
        const count = Object.keys(v.errors).length;
        return { state: { ...state, message: `${count} field${count === 1 ? ' is' : 's are'} invalid: fix ${count === 1 ? 'it' : 'them'} to review` }, effect: none };
      }
      return { state: { ...state, stage: 'reviewing', message: null }, effect: { kind: 'review', resources: v.resources } };
    }
    default: {
      const id = FIELDS[state.focus]!.id;
      const edited = editLine(state.values[id], key);
      if (edited === state.values[id]) return { state, effect: none };
      return { state: { ...state, values: { ...state.values, [id]: edited }, message: null }, effect: none };
    }
  }
}

/** The review came back: show it, or say why it failed (the form stays open for another try). */
export function reviewed(state: ResubmitFormState, result: { ok: true; commandLine: string; checkpointDir: string; resources: JobResources } | { ok: false; message: string }): ResubmitFormState {
  if (state.stage !== 'reviewing') return state;
  if (!result.ok) return { ...state, stage: 'edit', message: `cannot review: ${result.message}` };
  return { ...state, stage: 'review', review: { commandLine: result.commandLine, checkpointDir: result.checkpointDir, resources: result.resources } };
}
