/**
 * The model's state as bytes and back, for replay's snapshots (src/record/replayIndex.ts): V8's
 * structured serialisation, which keeps Maps, Sets, sparse arrays and shared references, deflated
 * at the fastest level (a state of the lab's recordings: 0.2–1 MB, 4–9× smaller, about 1 ms each
 * way), in a Buffer off the JS heap whose length is what it costs. Serialisation drops prototypes; the model's only
 * class is `Ring`, whose instances are recognised by their fields and given their prototype back
 * (test/unit/replayIndex.test.ts checks that a decoded state has the same classes everywhere).
 * derive's cache (`memo`) is left out: it is rebuilt from the state on the first derive.
 */
import v8 from 'node:v8';
import zlib from 'node:zlib';
import type { ModelState } from '../model/index.js';
import { Ring } from '../model/ring.js';

const RING_FIELDS = Object.keys(new Ring(1)).sort().join();

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Gives Rings their prototype back, in place; `seen` maps each decoded object to what replaces it. */
function revive(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    seen.set(value, value);
    for (let i = 0; i < value.length; i++) if (i in value) value[i] = revive(value[i], seen);
    return value;
  }
  if (value instanceof Map) {
    seen.set(value, value);
    for (const [k, v] of value) value.set(k, revive(v, seen));
    return value;
  }
  if (value instanceof Set) {
    // Set members are keys: the model keeps only primitives in Sets.
    seen.set(value, value);
    return value;
  }
  if (!isPlainObject(value)) return value;
  const target: Record<string, unknown> = Object.keys(value).sort().join() === RING_FIELDS ? (Object.create(Ring.prototype) as Record<string, unknown>) : value;
  seen.set(value, target);
  for (const key of Object.keys(value)) target[key] = revive(value[key], seen);
  return target;
}

export function encodeModel(state: ModelState): Buffer {
  return zlib.deflateRawSync(v8.serialize({ ...state, memo: new Map() }), { level: 1 });
}

export function decodeModel(bytes: Buffer): ModelState {
  return revive(v8.deserialize(zlib.inflateRawSync(bytes)), new Map()) as ModelState;
}
