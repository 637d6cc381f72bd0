/**
 * Pure record factory for the load generator.
 *
 * Every record is one JSON object:
 *   {"timestamp": <epoch ms>, "status": "<HTTP-like code>", "severity": "Low|Medium|High|Critical",
 *    "source_ip": "<IPv4>", "user_id": "user_<n>", "content": "<short log text>"}
 *
 * Randomness comes from a small seedable PRNG (mulberry32), so tests are deterministic.
 * The factory does no I/O and never reads the clock: the caller passes `now`.
 */

export type Severity = 'Low' | 'Medium' | 'High' | 'Critical';

export interface LogRecord {
  timestamp: number;
  status: string;
  severity: Severity;
  source_ip: string;
  user_id: string;
  content: string;
}

export interface RecordFactoryOptions {
  /** Term injected into `content` of ADDITIONAL_TERM_RATE records per 10,000; null/'' = none. */
  additionalTerm?: string | null;
  /** Records per 10,000 carrying the term (0..10000). */
  additionalTermRate?: number;
  /** PRNG seed; default: random. */
  seed?: number;
  /** Number of distinct source IPs (default 1000, so the Spark job's per-IP state stays bounded). */
  ipPoolSize?: number;
  /** Users are user_1 .. user_<userCount> (default 10,000). */
  userCount?: number;
}

/** Seedable 32-bit PRNG (mulberry32). Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ordinary log lines (none mentions "vulnerability"). */
export const ORDINARY_LINES: readonly string[] = [
  'User login successful',
  'User logout',
  'Session token refreshed',
  'GET /api/v1/orders completed',
  'POST /api/v1/cart item added',
  'Payment authorized by gateway',
  'Payment declined: insufficient funds',
  'Cache miss for product catalog',
  'Cache entry evicted',
  'Database query took longer than 500 ms',
  'Connection pool exhausted, waiting for a free connection',
  'Request timed out after 30 s',
  'Upstream service returned 503',
  'Disk usage above 85 % on /var',
  'Memory usage above threshold',
  'Scheduled backup completed',
  'Configuration reloaded',
  'Health check passed',
  'Health check failed for dependency inventory-service',
  'Rate limit exceeded for API key',
  'Invalid password attempt',
  'Account locked after repeated failed logins',
  'Password reset email sent',
  'File upload completed',
  'File not found: /static/img/banner.png',
  'Permission denied for resource /admin',
  'TLS handshake failed',
  'Certificate expires in 14 days',
  'Message published to queue',
  'Retrying request to recommendation-service',
  'Slow response from search index',
  'New user registered',
  'Email delivery failed: mailbox unavailable',
  'Background job finished in 1.2 s',
  'Firewall rule updated',
  'Suspicious login from new location',
];

/** Lines containing "vulnerability" (the Spark query keeps these when severity is High). */
export const VULNERABILITY_LINES: readonly string[] = [
  'Security scan detected vulnerability in openssl',
  'Known vulnerability CVE-2024-3094 found in dependency',
  'SQL injection vulnerability probe blocked',
  'XSS vulnerability attempt in search parameter',
  'Path traversal vulnerability exploited on /download',
  'Unpatched vulnerability reported by host agent',
];

/** Templates for records carrying ADDITIONAL_TERM; `{term}` is replaced by the term. */
export const TERM_TEMPLATES: readonly string[] = [
  'Service {term} detected, restarting worker',
  'Unhandled {term} in payment-service',
  'Worker process reported {term} during request handling',
  '{term} reported by checkout pipeline',
];

/** Share of records whose content is a vulnerability line. */
export const VULNERABILITY_SHARE = 0.05;
/** Severity weights for ordinary records (Low, Medium, High, Critical). */
const ORDINARY_SEVERITY: readonly [Severity, number][] = [
  ['Low', 0.45],
  ['Medium', 0.3],
  ['High', 0.18],
  ['Critical', 0.07],
];
/** Vulnerability records skew to High: about 2.5 % of all records match the Spark filter. */
const VULN_SEVERITY: readonly [Severity, number][] = [
  ['Low', 0.1],
  ['Medium', 0.2],
  ['High', 0.5],
  ['Critical', 0.2],
];
const STATUS_WEIGHTS: readonly [string, number][] = [
  ['200', 0.62],
  ['201', 0.05],
  ['204', 0.03],
  ['301', 0.02],
  ['304', 0.04],
  ['400', 0.05],
  ['401', 0.04],
  ['403', 0.03],
  ['404', 0.06],
  ['429', 0.01],
  ['500', 0.03],
  ['502', 0.01],
  ['503', 0.01],
];

function pickWeighted<T>(table: readonly [T, number][], r: number): T {
  let acc = 0;
  for (const [value, w] of table) {
    acc += w;
    if (r < acc) return value;
  }
  // rounding: fall back to the last entry
  const last = table[table.length - 1];
  if (!last) throw new Error('empty weight table');
  return last[0];
}

function pick<T>(arr: readonly T[], r: number): T {
  const v = arr[Math.floor(r * arr.length)];
  if (v === undefined) throw new Error('empty list');
  return v;
}

function makeIpPool(size: number, rnd: () => number): string[] {
  const seen = new Set<string>();
  const pool: string[] = [];
  while (pool.length < size) {
    // first octet 1..223 without 127 (public-looking unicast)
    let a = 1 + Math.floor(rnd() * 223);
    if (a === 127) a = 128;
    const ip = `${a}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
    if (!seen.has(ip)) {
      seen.add(ip);
      pool.push(ip);
    }
  }
  return pool;
}

export interface RecordFactory {
  /** One record object. */
  next(now: number): LogRecord;
  /** One record serialized as JSON (the Kafka message value). */
  nextJson(now: number): string;
  /** The term actually used (null = none). */
  readonly term: string | null;
}

export function createRecordFactory(opts: RecordFactoryOptions = {}): RecordFactory {
  const seed = opts.seed ?? Math.floor(Math.random() * 0xffffffff);
  const rnd = mulberry32(seed);
  const term = opts.additionalTerm ? opts.additionalTerm : null;
  const termRate = term ? (opts.additionalTermRate ?? 0) : 0;
  if (!Number.isInteger(termRate) || termRate < 0 || termRate > 10000) {
    throw new RangeError(`additionalTermRate must be an integer 0..10000, got ${termRate}`);
  }
  const termProbability = termRate / 10000;
  const ipPool = makeIpPool(Math.max(1, opts.ipPoolSize ?? 1000), rnd);
  const userCount = Math.max(1, opts.userCount ?? 10000);

  // Records without the term must not contain it by accident, or a count of the term would be off.
  const lowerTerm = term?.toLowerCase() ?? null;
  const clean = (lines: readonly string[]) =>
    lowerTerm === null ? lines : lines.filter((l) => !l.toLowerCase().includes(lowerTerm));
  let ordinary = clean(ORDINARY_LINES);
  const vulnerability = clean(VULNERABILITY_LINES);
  if (ordinary.length === 0) ordinary = ['-'];
  const termLines = term ? TERM_TEMPLATES.map((t) => t.replace('{term}', term)) : [];

  // JSON-encoded copies of every content line, so nextJson() needs no JSON.stringify per record
  const enc = (lines: readonly string[]) => lines.map((l) => JSON.stringify(l));
  const ordinaryJson = enc(ordinary);
  const vulnerabilityJson = enc(vulnerability);
  const termJson = enc(termLines);

  // scratch state of the last draw (no allocation per record)
  let cIdx = 0;
  let cList: readonly string[] = ordinary;
  let cJson: readonly string[] = ordinaryJson;
  let sev: Severity = 'Low';
  let status = '200';
  let ip = '';
  let user = 0;

  const draw = (): void => {
    if (termProbability > 0 && rnd() < termProbability) {
      cList = termLines;
      cJson = termJson;
      sev = pickWeighted(VULN_SEVERITY, rnd());
    } else if (vulnerability.length > 0 && rnd() < VULNERABILITY_SHARE) {
      cList = vulnerability;
      cJson = vulnerabilityJson;
      sev = pickWeighted(VULN_SEVERITY, rnd());
    } else {
      cList = ordinary;
      cJson = ordinaryJson;
      sev = pickWeighted(ORDINARY_SEVERITY, rnd());
    }
    cIdx = Math.floor(rnd() * cList.length);
    status = pickWeighted(STATUS_WEIGHTS, rnd());
    ip = pick(ipPool, rnd());
    user = 1 + Math.floor(rnd() * userCount);
  };

  const next = (now: number): LogRecord => {
    draw();
    return {
      timestamp: now,
      status,
      severity: sev,
      source_ip: ip,
      user_id: `user_${user}`,
      content: cList[cIdx] ?? '',
    };
  };

  /** Same text as JSON.stringify(next(now)), built without an intermediate object. */
  const nextJson = (now: number): string => {
    draw();
    return `{"timestamp":${now},"status":"${status}","severity":"${sev}","source_ip":"${ip}","user_id":"user_${user}","content":${cJson[cIdx] ?? '""'}}`;
  };

  return { next, nextJson, term };
}
