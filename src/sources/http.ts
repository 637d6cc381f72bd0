import axios, { AxiosError, type AxiosInstance } from 'axios';

/** What a request that passed its deadline failed with. */
export function deadlineText(timeoutMs: number): string {
  return `no complete answer within ${timeoutMs / 1000} s`;
}

/** Why a request got no usable answer, in words a person can act on. */
export function describeHttpError(err: unknown, timeoutMs: number): string {
  if (err instanceof AxiosError) {
    if (err.code === 'ECONNREFUSED') return 'connection refused';
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT') return `no answer within ${timeoutMs / 1000} s`;
    if (err.code === 'ECONNRESET') return 'connection reset';
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'host not found';
    if (err.code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED' || err.code === 'ERR_BAD_RESPONSE') return 'answer too large or malformed';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Whether a URL points at this machine, where compressing answers costs CPU and saves nothing. */
export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

export interface HttpAnswer {
  status: number | null;
  body: unknown;
}

/**
 * One base URL; at most one request in flight per path (a poll that finds the previous one still
 * running is skipped, so a stalled endpoint cannot pile up requests). Every request has a deadline
 * for the whole answer (connect, headers and body): axios's own `timeout` restarts with every byte,
 * so an endpoint that trickles kept a request open for ever, and the panel showed old values as if
 * live. A request past its deadline is aborted and answers `{status: null, body: {error}}` like any
 * other failure, so a skipped poll never hides an outage for longer than the deadline. Bodies are
 * parsed as JSON when they are JSON and kept as text otherwise: validation happens in parse.ts.
 */
export class HttpEndpoint {
  private readonly client: AxiosInstance;
  private readonly inFlight = new Set<string>();

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 2000,
  ) {
    this.client = axios.create({
      baseURL: baseUrl.replace(/\/$/, ''),
      maxContentLength: 32 * 1024 * 1024,
      responseType: 'text',
      transitional: { silentJSONParsing: true, forcedJSONParsing: false, clarifyTimeoutError: false },
      validateStatus: () => true,
      // Spark's Jetty gzips its JSON; on loopback gunzipping every answer each second was the
      // monitor's largest allocation after rendering.
      ...(isLoopback(baseUrl) ? { headers: { 'Accept-Encoding': 'identity' } } : {}),
    });
  }

  busy(path: string): boolean {
    return this.inFlight.has(path);
  }

  /** null when a request for the same path is still running (that one answers, at the latest at its deadline). */
  async get(path: string): Promise<HttpAnswer | null> {
    if (this.inFlight.has(path)) return null;
    this.inFlight.add(path);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    try {
      const res = await this.client.get<string>(path, { signal: deadline.signal });
      let body: unknown = res.data;
      if (typeof res.data === 'string') {
        try {
          body = JSON.parse(res.data);
        } catch {
          body = res.data;
        }
      }
      return { status: res.status, body };
    } catch (err) {
      const error = deadline.signal.aborted ? deadlineText(this.timeoutMs) : describeHttpError(err, this.timeoutMs);
      return { status: null, body: { error } };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(path);
    }
  }
}
