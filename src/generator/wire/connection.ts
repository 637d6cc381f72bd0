/**
 * One TCP connection to a Kafka broker, requests pipelined: up to `maxInFlight` written and
 * unanswered, more wait their turn. Responses are framed by their size prefix and matched by
 * correlation id. A request that is not answered within its deadline (counted from send(), queue
 * wait included) closes the connection, like Kafka's Java client: the rest of its pending requests
 * fail too and can be retried on a new connection.
 */
import net from 'node:net';
import { KafkaConnectionError } from './errors.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Default 3000. */
  connectTimeoutMs?: number;
  /** Time for a whole answer, from send(); default 30000. */
  requestTimeoutMs?: number;
  /** Requests written and not yet answered; default 5. */
  maxInFlight?: number;
  /** Host name resolution (default: dns.lookup); the connect timeout covers it. */
  lookup?: net.LookupFunction;
  /** Called once when the connection is closed, whatever the reason. */
  onClose?: () => void;
}

interface Pending {
  correlationId: number;
  bytes: Buffer;
  expectResponse: boolean;
  resolve: (body: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const EMPTY = Buffer.alloc(0);
/** Far above any Produce response; a larger size prefix means the stream is out of step. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class BrokerConnection {
  readonly label: string;
  private readonly requestTimeoutMs: number;
  private readonly maxInFlight: number;
  private socket: net.Socket | null = null;
  private open = false;
  private closeReason: string | null = null;
  /** Written, waiting for the answer (or, with acks 0, for the write to finish). */
  private readonly inFlight = new Map<number, Pending>();
  private readonly queue: Pending[] = [];
  /** Bytes of a response that has not fully arrived; `frameSize` once its prefix has. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private frameSize = -1;

  private constructor(private readonly opts: ConnectionOptions) {
    this.label = `Kafka broker ${opts.host}:${opts.port}`;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 5);
  }

  static connect(opts: ConnectionOptions): Promise<BrokerConnection> {
    const c = new BrokerConnection(opts);
    return c.start(opts.connectTimeoutMs ?? 3000).then(() => c);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Requests sent and not yet settled (in flight and queued). */
  get pendingCount(): number {
    return this.inFlight.size + this.queue.length;
  }

  private start(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port, lookup } = this.opts;
      const socket = net.connect(lookup ? { host, port, lookup, noDelay: true } : { host, port, noDelay: true });
      this.socket = socket;
      const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${timeoutMs} ms`)), timeoutMs);
      const onConnectError = (err: Error) => {
        clearTimeout(timer);
        reject(new KafkaConnectionError(`${this.label}: ${err.message}`));
      };
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        socket.setKeepAlive(true, 60_000);
        this.open = true;
        socket.on('data', (chunk: Buffer) => this.onData(chunk));
        socket.on('error', (err) => {
          this.closeReason ??= err.message;
        });
        socket.on('close', () => this.onClosed());
        resolve();
      });
    });
  }

  /**
   * Writes `request` (size prefix included) and resolves with the response after its correlation
   * id. Without `expectResponse` (acks 0: the broker does not answer) resolves once written.
   */
  send(request: Buffer, correlationId: number, expectResponse = true): Promise<Buffer> {
    if (!this.open) return Promise.reject(new KafkaConnectionError(`${this.label}: ${this.closeReason ?? 'not connected'}`));
    if (this.inFlight.has(correlationId) || this.queue.some((q) => q.correlationId === correlationId)) {
      return Promise.reject(new Error(`${this.label}: correlation id ${correlationId} is already pending`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const req: Pending = { correlationId, bytes: request, expectResponse, resolve, reject, timer: undefined as unknown as NodeJS.Timeout };
      req.timer = setTimeout(() => this.onTimeout(req), this.requestTimeoutMs);
      if (this.inFlight.size < this.maxInFlight) this.write(req);
      else this.queue.push(req);
    });
  }

  /** Closes the connection; pending requests fail. */
  close(): void {
    if (!this.socket) return;
    this.closeReason ??= 'connection closed by the client';
    this.socket.destroy();
  }

  private write(req: Pending): void {
    this.inFlight.set(req.correlationId, req);
    if (req.expectResponse) {
      this.socket!.write(req.bytes);
    } else {
      this.socket!.write(req.bytes, (err) => {
        if (!err && this.inFlight.get(req.correlationId) === req) this.settle(req, EMPTY);
      });
    }
  }

  private settle(req: Pending, body: Buffer): void {
    clearTimeout(req.timer);
    this.inFlight.delete(req.correlationId);
    req.resolve(body);
    while (this.open && this.queue.length > 0 && this.inFlight.size < this.maxInFlight) this.write(this.queue.shift()!);
  }

  private onTimeout(req: Pending): void {
    const waiting = this.inFlight.get(req.correlationId) !== req;
    if (waiting) this.queue.splice(this.queue.indexOf(req), 1);
    else this.inFlight.delete(req.correlationId);
    req.reject(new KafkaConnectionError(`${this.label}: no answer within ${this.requestTimeoutMs} ms (correlation id ${req.correlationId}${waiting ? ', never sent: too many requests in flight' : ''})`));
    this.closeReason ??= `connection closed after a request timed out`;
    this.socket?.destroy();
  }

  private onClosed(): void {
    if (!this.open) return;
    this.open = false;
    const pending = [...this.inFlight.values(), ...this.queue];
    this.inFlight.clear();
    this.queue.length = 0;
    this.parts = [];
    this.closeReason ??= 'connection closed';
    const err = new KafkaConnectionError(`${this.label}: ${this.closeReason} (${pending.length} request${pending.length === 1 ? '' : 's'} pending)`);
    for (const req of pending) {
      clearTimeout(req.timer);
      req.reject(err);
    }
    this.opts.onClose?.();
  }

  private onData(chunk: Buffer): void {
    if (this.partsBytes > 0) {
      // a response began in an earlier chunk: gather exactly its bytes
      this.parts.push(chunk);
      this.partsBytes += chunk.length;
      if (this.frameSize < 0) {
        if (this.partsBytes < 4) return;
        const head = Buffer.concat(this.parts, this.partsBytes);
        this.parts = [head];
        this.frameSize = head.readInt32BE(0);
        if (!this.sizeOk(this.frameSize)) return;
      }
      const total = 4 + this.frameSize;
      if (this.partsBytes < total) return;
      const frame = Buffer.allocUnsafe(total);
      let filled = 0;
      let rest: Buffer = EMPTY;
      for (const part of this.parts) {
        const take = Math.min(part.length, total - filled);
        part.copy(frame, filled, 0, take);
        filled += take;
        if (take < part.length) rest = part.subarray(take);
      }
      this.parts = [];
      this.partsBytes = 0;
      this.frameSize = -1;
      this.onFrame(frame.subarray(4));
      if (rest.length === 0 || !this.open) return;
      chunk = rest;
    }
    let off = 0;
    while (chunk.length - off >= 4) {
      const size = chunk.readInt32BE(off);
      if (!this.sizeOk(size)) return;
      if (chunk.length - off - 4 < size) break;
      this.onFrame(chunk.subarray(off + 4, off + 4 + size));
      off += 4 + size;
      if (!this.open) return;
    }
    if (off < chunk.length) {
      this.parts = [chunk.subarray(off)];
      this.partsBytes = chunk.length - off;
      this.frameSize = this.partsBytes >= 4 ? chunk.readInt32BE(off) : -1;
    }
  }

  /** A size prefix that cannot be a response means the stream is out of step: closes. */
  private sizeOk(size: number): boolean {
    if (size >= 4 && size <= MAX_RESPONSE_BYTES) return true;
    this.fail(`response size ${size} out of range`);
    return false;
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < 4) {
      this.fail(`response of ${frame.length} bytes, too short for a correlation id`);
      return;
    }
    const id = frame.readInt32BE(0);
    const req = this.inFlight.get(id);
    if (!req || !req.expectResponse) {
      this.fail(`response with unexpected correlation id ${id}`);
      return;
    }
    this.settle(req, frame.subarray(4));
  }

  private fail(reason: string): void {
    this.closeReason ??= reason;
    this.socket?.destroy();
  }
}
