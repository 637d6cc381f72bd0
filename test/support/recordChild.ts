/**
 * A child process that records the resubmit fixture's samples, one every 20 ms, and prints
 * `recorded <n>` after each, until it is killed. For the `kill -9` test.
 *
 *   node --import tsx test/support/recordChild.ts FILE
 */
import { openRecorder } from '../../src/record/recorder.js';
import { samplesFromFixture } from './samplesFromFixture.js';
import { TEST_CONFIG } from './recordingFixtures.js';

const file = process.argv[2];
if (!file) throw new Error('usage: recordChild.ts FILE');
const samples = samplesFromFixture('resubmit');
const recorder = openRecorder(file, TEST_CONFIG, Date.now());
let n = 0;
setInterval(() => {
  recorder.record(samples[n % samples.length]!);
  n++;
  process.stdout.write(`recorded ${n}\n`);
}, 20);
