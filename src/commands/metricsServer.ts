/**
 * `--metrics HOST:PORT`: `/metrics` over HTTP, rendered from the model at each scrape
 * (src/metrics/openMetrics.ts). Loopback unless another host is given.
 */
import http from 'node:http';
import { InvalidResource } from '../domain/resources.js';
import { OPENMETRICS_CONTENT_TYPE } from '../metrics/openMetrics.js';

export interface MetricsAddress {
  host: string;
  port: number;
}

/** `HOST:PORT`, `[IPv6]:PORT` or `PORT` (127.0.0.1). */
export function parseMetricsAddress(value: string): MetricsAddress {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[\w.-]+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new InvalidResource('metrics', `expected HOST:PORT (e.g. 127.0.0.1:9464), got "${value}"`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

export interface MetricsServer {
  /** The address it listens on (the port chosen when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(address: MetricsAddress, metrics: () => string): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('read-only: GET /metrics\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('sparktop serves GET /metrics (OpenMetrics text)\n');
      return;
    }
    let body: string;
    try {
      body = metrics();
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`cannot render the metrics: ${(err as Error).message}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': OPENMETRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new InvalidResource('metrics', err.code === 'EADDRINUSE' ? `${address.host}:${address.port} is already in use` : `cannot listen on ${address.host}:${address.port}: ${err.message}`)),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
