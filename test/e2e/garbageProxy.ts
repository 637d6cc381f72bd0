/**
 * A misbehaving endpoint for the resilience tests: it forwards to the real lab endpoint (driver,
 * master or listener) and spoils the answer in one of the ways real endpoints fail. It is the
 * input of the thing under test, not a stand-in for Spark: the answers it spoils are Spark's own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const GARBAGE_MODES = ['html', 'http500', 'stall', 'truncated', 'wrong-shape', 'huge', 'negative', 'nan'] as const;
export type GarbageMode = (typeof GARBAGE_MODES)[number] | 'pass';

function mapNumbers(value: unknown, f: (n: number) => number): unknown {
  if (typeof value === 'number') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, f));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, f)]));
  return value;
}

/** The upstream body spoiled as `mode` says; null = do not answer at all (a stall). */
export function spoil(mode: GarbageMode, status: number, body: string): { status: number; type: string; body: string } | null {
  const json = (text: string) => ({ status, type: 'application/json', body: text });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  // Answers that are not JSON (the driver's Prometheus text) are spoiled by the HTML/500/stall modes only.
  if (parsed === undefined && ['truncated', 'wrong-shape', 'huge', 'negative', 'nan'].includes(mode)) return json(body);
  switch (mode) {
    case 'pass':
      return json(body);
    case 'html':
      return { status: 200, type: 'text/html', body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>' };
    case 'http500':
      return { status: 500, type: 'text/plain', body: 'Internal Server Error' };
    case 'stall':
      return null;
    case 'truncated':
      return json(body.slice(0, Math.max(1, Math.floor(body.length / 2))));
    case 'wrong-shape':
      return json(JSON.stringify(Array.isArray(parsed) ? { items: parsed } : [parsed]));
    case 'huge':
      return json(JSON.stringify(mapNumbers(parsed, () => 1e300)));
    case 'negative':
      return json(JSON.stringify(mapNumbers(parsed, (n) => (n === 0 ? -1 : -Math.abs(n)))));
    case 'nan':
      // Not valid JSON, but what some serialisers write.
      return json(JSON.stringify(mapNumbers(parsed, () => 424242)).replace(/424242/g, 'NaN'));
  }
}

export interface GarbageProxy {
  url: string;
  mode: GarbageMode;
  /** Requests answered so far. */
  requests: number;
  close(): Promise<void>;
}

export async function startGarbageProxy(upstream: string, mode: GarbageMode): Promise<GarbageProxy> {
  const stalled = new Set<http.ServerResponse>();
  const proxy: GarbageProxy = { url: '', mode, requests: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    proxy.requests++;
    void (async () => {
      let status = 502;
      let body = '';
      try {
        const r = await fetch(`${upstream}${req.url ?? '/'}`, { signal: AbortSignal.timeout(5000) });
        status = r.status;
        body = await r.text();
      } catch (err) {
        body = JSON.stringify({ proxyError: String(err) });
      }
      const out = spoil(proxy.mode, status, body);
      if (out === null) {
        // Answer after 10 s, long after the client's timeout.
        stalled.add(res);
        setTimeout(() => {
          stalled.delete(res);
          if (!res.writableEnded) res.end(body);
        }, 10_000).unref();
        return;
      }
      res.writeHead(out.status, { 'content-type': out.type });
      res.end(out.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
