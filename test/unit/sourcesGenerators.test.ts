/** The local lab's generator stats: one parser for the live reader and for recorded answers. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Sample } from '../../src/model/samples.js';
import { AnswerInterpreter } from '../../src/sources/answers.js';
import { parseGeneratorStats, readGeneratorStats, readGeneratorStatsAnswer, type GeneratorStatsAnswer } from '../../src/sources/generators.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { tempDir } from '../support/tempDir.js';

describe('generator stats', () => {
  const answers = answersFromFixture('experiments').filter((a) => a.endpoint === 'generators:stats');

  it('become a generators sample per recorded answer, leaving out stats files of generators that are gone', () => {
    assert.ok(answers.length > 100);
    const interpreter = new AnswerInterpreter();
    const first = answers[0]!;
    const body = first.body as GeneratorStatsAnswer;
    assert.ok(body.generators.some((g) => !g.alive), 'the recording starts with a stats file left by an earlier lab');
    const [sample] = interpreter.interpret(first) as Array<Extract<Sample, { kind: 'generators' }>>;
    assert.equal(sample!.kind, 'generators');
    const alive = body.generators.filter((g) => g.alive);
    assert.deepEqual(
      sample!.data.generators.map((g) => [g.name, g.targetRps, g.paused]),
      alive.map((g) => [g.name, (g.stats as { targetRps: number }).targetRps, false]),
    );
    const counts = new Set(answers.map((a) => (interpreter.interpret(a)[0] as Extract<Sample, { kind: 'generators' }>).data.generators.length));
    assert.deepEqual([...counts].sort(), [1, 2], 'the recording scales from 1 to 2 generators');
  });

  it('a bad answer yields nothing rather than an error of a source', () => {
    const interpreter = new AnswerInterpreter();
    assert.deepEqual(interpreter.interpret({ t: 1, endpoint: 'generators:stats', status: 0, body: { nope: true } }), []);
    assert.deepEqual(interpreter.interpret({ t: 1, endpoint: 'control', status: 0, body: 'text' }), []);
  });

  it('the live reader reads the same shape from a directory, judging liveness by pid', () => {
    const dir = tempDir('sparktop-gen-');
    try {
      const recorded = (answers.at(-1)!.body as GeneratorStatsAnswer).generators[0]!.stats as Record<string, unknown>;
      fs.writeFileSync(path.join(dir, 'generator-1.stats.json'), JSON.stringify({ ...recorded, pid: process.pid }));
      fs.writeFileSync(path.join(dir, 'generator-2.stats.json'), JSON.stringify({ ...recorded, pid: 2 ** 22 + 12345 }));
      fs.writeFileSync(path.join(dir, 'generator-3.stats.json'), '{"torn');
      const answer = readGeneratorStatsAnswer(dir)!;
      assert.deepEqual(
        answer.generators.map((g) => [g.name, g.alive]),
        [
          ['generator-1', true],
          ['generator-2', false],
        ],
      );
      assert.deepEqual(readGeneratorStats(dir), parseGeneratorStats(answer));
      assert.deepEqual(readGeneratorStats(dir)!.generators.map((g) => g.name), ['generator-1']);
      assert.equal(readGeneratorStats(path.join(dir, 'missing')), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
