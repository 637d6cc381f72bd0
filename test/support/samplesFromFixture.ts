/**
 * Recorded lab answers → samples, through the same AnswerInterpreter the live monitor uses.
 * Fixtures live in test/fixtures/lab/<scenario>.jsonl, one EndpointAnswer per line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../../src/model/samples.js';
import { AnswerInterpreter, type EndpointAnswer } from '../../src/sources/answers.js';

const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lab');

const answerCache = new Map<string, EndpointAnswer[]>();

/** The recorded answers of a scenario, in file order (a torn last line is skipped). Cached: treat as read-only. */
export function answersFromFixture(scenario: string): readonly EndpointAnswer[] {
  const cached = answerCache.get(scenario);
  if (cached) return cached;
  const text = fs.readFileSync(path.join(FIXTURE_DIR, `${scenario}.jsonl`), 'utf8');
  const answers: EndpointAnswer[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      answers.push(JSON.parse(line) as EndpointAnswer);
    } catch {
      // a recording interrupted mid-line: skip the torn line, as replay does
    }
  }
  answerCache.set(scenario, answers);
  return answers;
}

/** Samples of the answers (all, or those `keep` accepts), each answer through one interpreter in order. */
export function samplesOfAnswers(answers: readonly EndpointAnswer[]): Sample[] {
  const interpreter = new AnswerInterpreter();
  const samples: Sample[] = [];
  for (const a of answers) samples.push(...interpreter.interpret(a));
  return samples;
}

const perAnswerCache = new Map<string, Sample[][]>();

/**
 * The samples of each answer of a scenario (index-aligned with its answers), through one
 * interpreter. Cached: the model never mutates samples, so models may share them.
 */
export function samplesPerAnswer(scenario: string): readonly Sample[][] {
  const cached = perAnswerCache.get(scenario);
  if (cached) return cached;
  const interpreter = new AnswerInterpreter();
  const perAnswer = answersFromFixture(scenario).map((a) => interpreter.interpret(a));
  perAnswerCache.set(scenario, perAnswer);
  return perAnswer;
}

export function samplesFromFixture(scenario: string): Sample[] {
  return samplesPerAnswer(scenario).flat();
}
