/**
 * A produce-only Kafka client for one topic, on the wire protocol (Produce v7), without
 * idempotence. Partition leaders come from the caller (e.g. kafkajs admin metadata); on a
 * retriable error the producer asks the caller to refresh them and tries again with backoff.
 *
 * sendBatches() puts the batches of one call that go to the same broker into one request (a
 * request carries a partition at most once: a second batch for it goes into another request).
 *
 * With `sasl`, each new connection authenticates with SASL/PLAIN before it carries a Produce.
 */
import { BrokerConnection } from './connection.js';
import { KafkaProtocolError, LeaderUnknownError, isRetriable } from './errors.js';
import { decodeProduceResponse, encodeProduceRequest, type Acks, type PartitionRecords } from './produceRequest.js';
import type { Compression, RecordValue } from './recordBatch.js';
import { authenticatePlain } from './sasl.js';
import { Writer } from './writer.js';

export interface BrokerAddress {
  host: string;
  port: number;
}

export interface WireProducerOptions {
  topic: string;
  /** The current leader of each partition of the topic. */
  leaders: () => ReadonlyMap<number, BrokerAddress>;
  /** Brings `leaders()` up to date (called before a retry). */
  refreshLeaders: () => Promise<void>;
  /** Default 'sparktop'. */
  clientId?: string;
  /** Default -1 (all in-sync replicas). */
  acks?: Acks;
  /** How long the broker may wait for replicas (the request's timeout field); default 30000. */
  ackTimeoutMs?: number;
  /** Default 'none'. */
  compression?: Compression;
  /** Further attempts after a retriable failure; default 5. */
  retries?: number;
  /** Wait before the first retry, doubled for each next one up to maxRetryBackoffMs; default 100. */
  retryBackoffMs?: number;
  /** Default 2000. */
  maxRetryBackoffMs?: number;
  /** Produce requests in flight per broker connection; default 5. */
  maxInFlight?: number;
  /** Default 3000. */
  connectTimeoutMs?: number;
  /** Time for a broker's whole answer to one request; default 30000. */
  requestTimeoutMs?: number;
  /**
   * SASL/PLAIN credentials, for a listener with security protocol SASL_PLAINTEXT and mechanism
   * PLAIN (no other mechanism, no TLS). Unset: no authentication (a PLAINTEXT listener). A refusal
   * rejects the sends waiting for that connection at once, without retries.
   */
  sasl?: { username: string; password: string };
}

export interface PartitionBatch {
  partition: number;
  values: readonly RecordValue[];
  /** Every record's timestamp (ms since the epoch). */
  timestamp: number;
}

export interface ProduceResult {
  partition: number;
  /** Offset of the batch's first record; -1n with acks 0. */
  baseOffset: bigint;
}

interface Item extends PartitionRecords {
  /** Attempts made so far. */
  attempt: number;
  resolve: (r: ProduceResult) => void;
  reject: (err: Error) => void;
}

const MAX_CORRELATION_ID = 0x7fffffff;

export class WireProducer {
  private readonly topic: string;
  private readonly clientId: string;
  private readonly acks: Acks;
  private readonly ackTimeoutMs: number;
  private readonly compression: Compression;
  private readonly retries: number;
  private readonly retryBackoffMs: number;
  private readonly maxRetryBackoffMs: number;
  private readonly writer = new Writer();
  private readonly gzipScratch = new Writer(256 * 1024);
  private readonly connections = new Map<string, Promise<BrokerConnection>>();
  private readonly retryTimers = new Map<NodeJS.Timeout, Item[]>();
  private refreshing: Promise<void> | null = null;
  private correlationId = 0;
  private closed = false;

  constructor(private readonly opts: WireProducerOptions) {
    this.topic = opts.topic;
    this.clientId = opts.clientId ?? 'sparktop';
    this.acks = opts.acks ?? -1;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 30_000;
    this.compression = opts.compression ?? 'none';
    this.retries = opts.retries ?? 5;
    this.retryBackoffMs = opts.retryBackoffMs ?? 100;
    this.maxRetryBackoffMs = opts.maxRetryBackoffMs ?? 2000;
  }

  /** Connects to every current leader; rejects if there is none or one cannot be reached. */
  async connect(): Promise<void> {
    const brokers = new Map<string, BrokerAddress>();
    for (const addr of this.opts.leaders().values()) brokers.set(`${addr.host}:${addr.port}`, addr);
    if (brokers.size === 0) throw new Error(`no partition leaders known for topic ${this.topic}`);
    await Promise.all([...brokers.values()].map((a) => this.connection(a)));
  }

  send(partition: number, values: readonly RecordValue[], timestamp: number): Promise<ProduceResult> {
    return this.sendBatches([{ partition, values, timestamp }])[0]!;
  }

  /** One promise per batch, in order; each settles on its own (a batch may be retried alone). */
  sendBatches(batches: readonly PartitionBatch[]): Promise<ProduceResult>[] {
    const items: Item[] = [];
    const promises = batches.map(
      (b) =>
        new Promise<ProduceResult>((resolve, reject) => {
          items.push({ partition: b.partition, values: b.values, timestamp: b.timestamp, attempt: 0, resolve, reject });
        }),
    );
    if (this.closed) {
      for (const it of items) it.reject(new Error('the producer is closed'));
    } else {
      this.dispatch(items);
    }
    return promises;
  }

  /** Closes the connections; sends not yet settled fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, items] of this.retryTimers) {
      clearTimeout(timer);
      for (const it of items) it.reject(new Error('the producer was closed before a retry'));
    }
    this.retryTimers.clear();
    const conns = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(conns.map((p) => p.then((c) => c.close(), () => undefined)));
  }

  private dispatch(items: Item[]): void {
    const leaders = this.opts.leaders();
    const byBroker = new Map<string, { addr: BrokerAddress; requests: Item[][] }>();
    const leaderless: Item[] = [];
    for (const it of items) {
      it.attempt++;
      if (it.values.length === 0) {
        it.reject(new Error(`empty batch for ${this.topic} partition ${it.partition}`));
        continue;
      }
      const addr = leaders.get(it.partition);
      if (!addr) {
        leaderless.push(it);
        continue;
      }
      const key = `${addr.host}:${addr.port}`;
      let group = byBroker.get(key);
      if (!group) byBroker.set(key, (group = { addr, requests: [] }));
      let req = group.requests.find((r) => !r.some((x) => x.partition === it.partition));
      if (!req) group.requests.push((req = []));
      req.push(it);
    }
    if (leaderless.length > 0) {
      this.retryOrFail(leaderless, (it) => new LeaderUnknownError(this.topic, it.partition));
    }
    for (const { addr, requests } of byBroker.values()) {
      for (const req of requests) this.produce(addr, req);
    }
  }

  private produce(addr: BrokerAddress, items: Item[]): void {
    const correlationId = this.nextCorrelationId();
    let bytes: Buffer;
    try {
      bytes = encodeProduceRequest(
        this.writer,
        {
          correlationId,
          clientId: this.clientId,
          acks: this.acks,
          timeoutMs: this.ackTimeoutMs,
          compression: this.compression,
          topics: [{ topic: this.topic, partitions: items }],
        },
        this.gzipScratch,
      );
    } catch (err) {
      this.writer.pos = this.writer.start; // drop what was written of it
      for (const it of items) it.reject(err as Error);
      return;
    }
    this.connection(addr)
      .then((c) => c.send(bytes, correlationId, this.acks !== 0))
      .then(
        (body) => this.onResponse(items, body),
        (err: Error) => this.retryOrFail(items, () => err),
      );
  }

  private onResponse(items: Item[], body: Buffer): void {
    if (this.acks === 0) {
      for (const it of items) it.resolve({ partition: it.partition, baseOffset: -1n });
      return;
    }
    let partitions;
    try {
      partitions = decodeProduceResponse(body).topics.find((t) => t.topic === this.topic)?.partitions ?? [];
    } catch (err) {
      for (const it of items) it.reject(err as Error);
      return;
    }
    const failed: Item[] = [];
    const errors = new Map<Item, Error>();
    for (const it of items) {
      const r = partitions.find((p) => p.partition === it.partition);
      if (!r) {
        it.reject(new Error(`the Produce response names no result for ${this.topic} partition ${it.partition}`));
      } else if (r.errorCode === 0) {
        it.resolve({ partition: it.partition, baseOffset: r.baseOffset });
      } else {
        failed.push(it);
        errors.set(it, new KafkaProtocolError(r.errorCode, this.topic, it.partition));
      }
    }
    if (failed.length > 0) this.retryOrFail(failed, (it) => errors.get(it)!);
  }

  private retryOrFail(items: Item[], errorOf: (it: Item) => Error): void {
    const again: Item[] = [];
    for (const it of items) {
      const err = errorOf(it);
      if (this.closed || !isRetriable(err)) it.reject(err);
      else if (it.attempt > this.retries) it.reject(withAttempts(err, it.attempt));
      else again.push(it);
    }
    if (again.length === 0) return;
    const attempt = Math.max(...again.map((it) => it.attempt));
    const delay = Math.min(this.maxRetryBackoffMs, this.retryBackoffMs * 2 ** (attempt - 1));
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.refresh().then(() => {
        if (this.closed) for (const it of again) it.reject(new Error('the producer was closed before a retry'));
        else this.dispatch(again);
      });
    }, delay);
    this.retryTimers.set(timer, again);
  }

  /** One refresh at a time; its failure shows as the next attempt's error. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.opts
      .refreshLeaders()
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** The broker's connection, once open (and authenticated, with `sasl`); one per broker, shared. */
  private connection(addr: BrokerAddress): Promise<BrokerConnection> {
    const key = `${addr.host}:${addr.port}`;
    const existing = this.connections.get(key);
    if (existing) return existing;
    const opened = BrokerConnection.connect({
      host: addr.host,
      port: addr.port,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      requestTimeoutMs: this.opts.requestTimeoutMs,
      maxInFlight: this.opts.maxInFlight,
      onClose: () => {
        if (this.connections.get(key) === p) this.connections.delete(key);
      },
    });
    const sasl = this.opts.sasl;
    const p = sasl ? opened.then((c) => this.authenticate(c, sasl)) : opened;
    this.connections.set(key, p);
    p.catch(() => {
      if (this.connections.get(key) === p) this.connections.delete(key);
    });
    return p;
  }

  /** Resolves with `conn` once authenticated; on failure closes it. */
  private async authenticate(conn: BrokerConnection, credentials: { username: string; password: string }): Promise<BrokerConnection> {
    try {
      await authenticatePlain(conn, { clientId: this.clientId, ...credentials }, () => this.nextCorrelationId());
      return conn;
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  private nextCorrelationId(): number {
    this.correlationId = this.correlationId >= MAX_CORRELATION_ID ? 1 : this.correlationId + 1;
    return this.correlationId;
  }
}

function withAttempts(err: Error, attempts: number): Error {
  return new Error(`${err.message} (gave up after ${attempts} attempts)`, { cause: err });
}
