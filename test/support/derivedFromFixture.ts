/**
 * A Derived snapshot at a recorded moment of a lab fixture: applies the fixture's samples up to
 * answer index `at` (inclusive; default: the last answer) and derives at that answer's time.
 * For ui component tests: real data, no lab needed.
 */
import type { Derived } from '../../src/model/derivedTypes.js';
import { applySample, createModel, derive, type ModelOptions, type ModelState } from '../../src/model/index.js';
import type { EndpointAnswer } from '../../src/sources/answers.js';
import { AnswerInterpreter } from '../../src/sources/answers.js';
import { answersFromFixture, samplesPerAnswer } from './samplesFromFixture.js';

export interface FixtureMoment {
  /** Answer index (0-based, inclusive) or 'end'. */
  at?: 'end' | number;
  targetBatchMs?: number;
}

function lastIndex(answers: readonly EndpointAnswer[], at: FixtureMoment['at']): number {
  const last = at === undefined || at === 'end' ? answers.length - 1 : at;
  if (!Number.isInteger(last) || last < 0 || last >= answers.length) throw new RangeError(`answer index ${String(at)} outside 0..${answers.length - 1}`);
  return last;
}

/**
 * The model after the answers [0, at] (those `keep` accepts), and the time of answer `at`;
 * `model` options override the defaults (targetBatchMs included).
 */
export function modelFromAnswers(
  answers: readonly EndpointAnswer[],
  options: FixtureMoment & { keep?: (a: EndpointAnswer) => boolean; model?: ModelOptions } = {},
): { model: ModelState; now: number } {
  const last = lastIndex(answers, options.at);
  const model = createModel({ ...(options.targetBatchMs === undefined ? {} : { targetBatchMs: options.targetBatchMs }), ...options.model });
  const interpreter = new AnswerInterpreter();
  for (let i = 0; i <= last; i++) {
    const a = answers[i]!;
    if (options.keep && !options.keep(a)) continue;
    for (const s of interpreter.interpret(a)) applySample(model, s);
  }
  return { model, now: answers[last]!.t };
}

/** How often the live monitor derives (its refresh): the advisor's hysteresis counts these evaluations. */
export const REFRESH_MS = 1000;

export function derivedFromFixture(scenario: string, options: FixtureMoment & { model?: ModelOptions } = {}): Derived {
  const answers = answersFromFixture(scenario);
  const last = lastIndex(answers, options.at);
  const perAnswer = samplesPerAnswer(scenario);
  const model = createModel({ ...(options.targetBatchMs === undefined ? {} : { targetBatchMs: options.targetBatchMs }), ...options.model });
  let derivedAt = -Infinity;
  for (let i = 0; i < last; i++) {
    for (const s of perAnswer[i]!) applySample(model, s);
    // As the monitor does, so the advisor sees the run evolve (and its hysteresis applies).
    if (answers[i]!.t - derivedAt >= REFRESH_MS) derive(model, (derivedAt = answers[i]!.t));
  }
  for (const s of perAnswer[last]!) applySample(model, s);
  return derive(model, answers[last]!.t);
}

/**
 * Walks a fixture once, deriving after every answer (those `keep` accepts): for properties that
 * must hold at every moment, or to find when something first happens.
 */
export function eachMoment(
  scenario: string,
  visit: (derived: Derived, index: number, model: ModelState) => void,
  options: { keep?: (a: EndpointAnswer) => boolean; targetBatchMs?: number; model?: ModelOptions } = {},
): void {
  const answers = answersFromFixture(scenario);
  const model = createModel({ ...(options.targetBatchMs === undefined ? {} : { targetBatchMs: options.targetBatchMs }), ...options.model });
  const interpreter = new AnswerInterpreter();
  const perAnswer = options.keep ? null : samplesPerAnswer(scenario);
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i]!;
    if (options.keep && !options.keep(a)) continue;
    for (const s of perAnswer ? perAnswer[i]! : interpreter.interpret(a)) applySample(model, s);
    visit(derive(model, a.t), i, model);
  }
}
