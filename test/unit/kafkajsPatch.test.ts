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

/** Stops the queue and its armed check (unpatched, that check re-arms itself forever); returns what was armed. */
function disarm(q: RequestQueue): NodeJS.Timeout | null {
  const armed = q.throttleCheckTimeoutId;
  if (armed) clearTimeout(armed);
  q.throttleCheckTimeoutId = null;
  q.destroy();
  return armed;
}

describe('the kafkajs patch', () => {
  it('is applied: an idle, unthrottled queue arms no timer', () => {
    const q = queue();
    q.checkPendingRequests();
    assert.equal(disarm(q), null, 'an idle queue re-arms its check (run npm install to apply patches/)');
  });

  it('still checks again while throttled or while requests wait', () => {
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.checkPendingRequests();
    assert.notEqual(disarm(throttled), null, 'a throttled queue checks when the throttle ends');

    const waiting = queue();
    waiting.pending.push({});
    (waiting as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    waiting.pending.length = 0;
    assert.notEqual(disarm(waiting), null, 'a queue with waiting requests checks again');
  });
});
