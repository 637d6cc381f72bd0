/**
 * What the outage e2e tests (test/e2e/suites/outages.ts) and bench/outages.ts read off the screen,
 * checked on frames the real App draws at 120×40 from the recordings: the wording of the outage
 * notices and where they are, the partition rows, the batch id. A change of wording in the UI
 * fails here, not only on the live lab.
 *
 * Outages the recordings have: Kafka (kafka-down). The others are copies of steady in which an
 * endpoint's answers from the middle on are what sparktop's HTTP reader returns for a refused
 * connection (`{status: null, body: {error: 'connection refused'}}`, src/sources/http.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derive } from '../../src/model/index.js';
import type { EndpointAnswer } from '../../src/sources/answers.js';
import {
  lastBatchOnScreen,
  logEndOffsets,
  masterShownDown,
  masterShownUp,
  panelText,
  partitionRows,
  UNREACHABLE,
} from '../support/screenText.js';
import { derivedFromFixture, modelFromAnswers } from '../support/derivedFromFixture.js';
import { answersFromFixture } from '../support/samplesFromFixture.js';
import { appShower, linesOf } from '../support/screen.js';

const show = appShower();
const SIZE = { columns: 120, rows: 40 };

/** steady with `prefix` endpoints refusing connections from the middle of the recording on. */
function refusing(prefix: string): EndpointAnswer[] {
  const answers = answersFromFixture('steady');
  const from = Math.floor(answers.length / 2);
  return answers.map((a, i) => (i >= from && a.endpoint.startsWith(prefix) ? { ...a, status: null, body: { error: 'connection refused' } } : a));
}

function screenOf(answers: EndpointAnswer[]): string[] {
  const { model, now } = modelFromAnswers(answers);
  return linesOf(show(derive(model, now), SIZE));
}

describe('screen reading for the outage tests, at 120×40', () => {
  it('every source up (steady): no notice, the master\'s dot OK, 2 partition rows with their log-end offsets, the last batch id', () => {
    const lines = linesOf(show(derivedFromFixture('steady'), SIZE));
    assert.doesNotMatch(lines.join('\n'), UNREACHABLE);
    assert.equal(masterShownUp(lines), true, lines.slice(0, 2).join('\n'));
    assert.equal(masterShownDown(lines), false);
    assert.deepEqual(partitionRows(lines), [0, 1]);
    assert.deepEqual(logEndOffsets(lines), [2017015, 2017016]);
    assert.equal(lastBatchOnScreen(panelText(lines, 'Batches')), 3);
    assert.match(panelText(lines, 'Executors'), /^[│|]\s?(driver|\d+)\s+\d/m);
    assert.match(lines[1]!, /cores \d+\/\d+/);
  });

  it('the master refusing connections: `master unreachable since HH:MM:SS` on the header\'s resources line, its dot down', () => {
    const lines = screenOf(refusing('master:'));
    assert.equal(masterShownDown(lines), true, lines[1]);
    assert.equal(masterShownUp(lines), false, lines[0]);
    assert.match(lines[1]!, /master unreachable since \d\d:\d\d:\d\d \(connection refused\)/);
    assert.doesNotMatch(panelText(lines, 'Partitions'), UNREACHABLE, 'Kafka still read');
  });

  it('the listener refusing connections: `progress unreachable since HH:MM:SS (connection refused)` in the Batches panel', () => {
    const lines = screenOf(refusing('listener:'));
    const batches = panelText(lines, 'Batches');
    assert.match(batches, /progress unreachable since \d\d:\d\d:\d\d \((connection refused|connection reset)/);
    assert.doesNotMatch(lines.join('\n'), /spark driver unreachable|master unreachable/);
    assert.notEqual(lastBatchOnScreen(batches), null, 'the last batch is still named');
    assert.doesNotMatch(panelText(lines, 'Partitions'), UNREACHABLE);
  });

  it('the driver refusing connections: `spark driver unreachable since HH:MM:SS` in the Batches panel', () => {
    const lines = screenOf(refusing('driver:'));
    assert.match(panelText(lines, 'Batches'), /spark driver unreachable since \d\d:\d\d:\d\d/);
    assert.match(panelText(lines, 'Executors'), UNREACHABLE);
  });

  it('Kafka down (kafka-down): the notice in the Partitions panel only, the last rows still there', () => {
    const answers = answersFromFixture('kafka-down');
    const at = answers.findIndex((a) => a.endpoint === 'kafka:offsets' && a.status === null) + 20;
    const lines = linesOf(show(derivedFromFixture('kafka-down', { at }), SIZE));
    // The recording keeps kafkajs's message of the time (connect ECONNREFUSED …), shortened to its code.
    assert.match(panelText(lines, 'Partitions'), /unreachable since \d\d:\d\d:\d\d \((ECONNREFUSED|connection refused)\)/);
    assert.doesNotMatch(panelText(lines, 'Executors'), UNREACHABLE);
    assert.deepEqual(partitionRows(lines), [0, 1]);
  });

  it('a third partition with offsets from 0 and no Spark offset is a partition row too', () => {
    // steady with one more partition in every Kafka answer, at offset 0 (a topic recreated with 3 partitions).
    const answers = answersFromFixture('steady').map((a) => {
      if (a.endpoint !== 'kafka:offsets' || a.status !== 0) return a;
      const body = a.body as { offsets: Array<{ partition: number }> };
      return { ...a, body: { ...body, offsets: [...body.offsets, { partition: 2, offset: '0', high: '0', low: '0' }] } };
    });
    const lines = screenOf(answers);
    assert.deepEqual(partitionRows(lines), [0, 1, 2]);
    assert.deepEqual(logEndOffsets(lines), [2017015, 2017016, 0]);
  });
});
