/**
 * Finds an application's driver UI (issue "Several applications and queries"). Each driver on a
 * host takes the next free UI port from 4040 (spark.ui.port), and its `/api/v1/applications` lists
 * its own application id: the ports of --spark-ui's host from 4040 up (and from --spark-ui's own
 * port up) are asked, one cheap request each with a short timeout, and the answers map application
 * id → driver URL. The map is cached: asked again only when the master's set of running
 * applications changed, or when the chosen driver stopped answering (`invalidate`).
 */
import type { EndpointAnswer } from './answers.js';
import { HttpEndpoint, type HttpAnswer } from './http.js';
import { PayloadError } from './payload.js';
import { parseApplications } from './parseDriver.js';

/** Spark's default first UI port. */
export const SPARK_UI_PORT = 4040;
/** Ports asked beyond the number of running applications (a driver of another master, a busy port). */
export const EXTRA_PORTS = 3;
const PROBE_TIMEOUT_MS = 1500;
/** A chosen application no port answered for is looked for again at most this often. */
const MISS_RETRY_MS = 3000;

/**
 * The driver URLs to ask for `appCount` running applications: --spark-ui's port and the next ones,
 * then 4040 and the next ones (N = running applications + EXTRA_PORTS each), on --spark-ui's host.
 */
export function candidateUrls(sparkUi: string, appCount: number): string[] {
  const u = new URL(sparkUi);
  const n = Math.max(1, appCount) + EXTRA_PORTS;
  const own = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const ports = new Set<number>();
  for (let i = 0; i < n; i++) ports.add(own + i);
  for (let i = 0; i < n; i++) ports.add(SPARK_UI_PORT + i);
  return [...ports].filter((p) => p > 0 && p <= 65535).map((p) => `${u.protocol}//${u.host.replace(/:\d+$/, '')}:${p}`);
}

/**
 * Pure: the answers of the candidate ports → application id → driver URL, for the running
 * applications the master lists (`activeIds`) only. A port that did not answer, answered something
 * else, or serves an application the master does not run (another master's, a finished one) maps
 * nothing. Two ports naming one application (should not happen): the first asked wins.
 */
export function driversOf(answers: ReadonlyArray<Pick<EndpointAnswer, 'status' | 'body'> & { url: string }>, activeIds: readonly string[]): Map<string, string> {
  const wanted = new Set(activeIds);
  const map = new Map<string, string>();
  for (const a of answers) {
    if (a.status !== 200) continue;
    let app;
    try {
      app = parseApplications(a.body);
    } catch (err) {
      if (err instanceof PayloadError) continue;
      throw err;
    }
    if (!app || app.completed || !wanted.has(app.id) || map.has(app.id)) continue;
    map.set(app.id, a.url);
  }
  return map;
}

export interface DiscoveryOptions {
  /** Asks one URL's `/api/v1/applications` (tests give their own). */
  get?: (url: string) => Promise<HttpAnswer | null>;
  /** Sees every probe answer (the fixture recorder). */
  onAnswer?: (url: string, answer: HttpAnswer) => void;
}

export class DriverDiscovery {
  private map = new Map<string, string>();
  /** The sorted running ids the map was built for; null: ask again. */
  private builtFor: string | null = null;
  private probing: Promise<void> | null = null;
  private readonly endpoints = new Map<string, HttpEndpoint>();
  private probedAt = 0;
  /** The URLs asked in the last probe (for messages). */
  lastCandidates: string[] = [];

  constructor(
    private readonly sparkUi: string,
    private readonly opts: DiscoveryOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  /** The next lookup asks the ports again (the chosen driver stopped answering, or serves another app). */
  invalidate(): void {
    this.builtFor = null;
  }

  /** The driver URL of `appId` among the master's running `activeIds` (null: no port answered with it). */
  async find(appId: string, activeIds: readonly string[]): Promise<string | null> {
    const key = [...activeIds].sort().join(',');
    // Not found (its driver still starting, or a port too slow to answer): asked again, not too often.
    const retryMiss = !this.map.has(appId) && this.now() - this.probedAt >= MISS_RETRY_MS;
    if (this.builtFor !== key || retryMiss) {
      this.probing ??= this.probe(activeIds, key).finally(() => (this.probing = null));
      await this.probing;
    }
    return this.map.get(appId) ?? null;
  }

  private async get(url: string): Promise<HttpAnswer | null> {
    if (this.opts.get) return this.opts.get(url);
    let e = this.endpoints.get(url);
    if (!e) this.endpoints.set(url, (e = new HttpEndpoint(url, PROBE_TIMEOUT_MS)));
    return e.get('/api/v1/applications');
  }

  private async probe(activeIds: readonly string[], key: string): Promise<void> {
    const urls = candidateUrls(this.sparkUi, activeIds.length);
    this.lastCandidates = urls;
    const answers = await Promise.all(
      urls.map(async (url) => {
        const a = await this.get(url);
        if (a) this.opts.onAnswer?.(url, a);
        return { url, status: a?.status ?? null, body: a?.body ?? null };
      }),
    );
    this.map = driversOf(answers, activeIds);
    this.builtFor = key;
    this.probedAt = this.now();
  }
}

/** `127.0.0.1:4040-4043, 24040-24043` for messages. */
export function portsText(urls: readonly string[]): string {
  if (urls.length === 0) return 'no port';
  const host = new URL(urls[0]!).hostname;
  const ports = urls.map((u) => Number(new URL(u).port)).sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = ports[0]!;
  let prev = start;
  for (const p of [...ports.slice(1), NaN]) {
    if (p === prev + 1) {
      prev = p;
      continue;
    }
    ranges.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = prev = p;
  }
  return `${host}:${ranges.join(', ')}`;
}
