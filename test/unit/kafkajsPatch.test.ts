/**
 * kafkajs 2.2.4 (the latest release) re-arms its pending-request check with a negative delay when
 * nothing is pending: a 1 ms timer per broker connection, forever (tulios/kafkajs#1556, #1704). In
 * the monitor it cost 3–4 % of a core at 1 Hz, more than everything else together.
 * patches/kafkajs+2.2.4.patch stops the check when nothing is pending and nothing is throttled;
 * `npm install` applies it (postinstall).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const kafkajsRoot = path.dirname(require.resolve('kafkajs/package.json'));

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
}
type RequestQueueClass = new (options: object) => RequestQueue;

function queue(): RequestQueue {
  const RequestQueue = require(path.join(kafkajsRoot, 'src/network/requestQueue/index.js')) as RequestQueueClass;
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return new RequestQueue({ maxInFlightRequests: null, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:1', logger });
}

describe('the kafkajs patch', () => {
  it('is applied: an idle, unthrottled queue arms no timer', () => {
    const q = queue();
    q.checkPendingRequests();
    const armed = q.throttleCheckTimeoutId;
    // Unpatched, that timer re-arms itself forever: stop it so that a failure does not hang the run.
    if (armed) clearTimeout(armed);
    q.destroy();
    assert.equal(armed, null, 'an idle queue re-arms its check (run npm install to apply patches/)');
  });

  it('still checks again while throttled or while requests wait', () => {
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.checkPendingRequests();
    assert.notEqual(throttled.throttleCheckTimeoutId, null, 'a throttled queue checks when the throttle ends');
    clearTimeout(throttled.throttleCheckTimeoutId!);
    throttled.throttleCheckTimeoutId = null;
    throttled.destroy();

    const waiting = queue();
    waiting.throttledUntil = Date.now() + 60_000;
    waiting.pending.push({});
    waiting.throttleCheckTimeoutId = null;
    (waiting as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    assert.notEqual(waiting.throttleCheckTimeoutId, null, 'a queue with waiting requests checks again');
    clearTimeout(waiting.throttleCheckTimeoutId!);
    waiting.pending.length = 0;
    waiting.throttleCheckTimeoutId = null;
    waiting.destroy();
  });
});
