/**
 * The generator's sends through the wire producer (src/generator/wire) instead of kafkajs's
 * producer: the same round robin over the topic's partitions, one Produce request per tick's batch
 * for all of them. Partition leaders come from a kafkajs admin (metadata only), read again before a
 * retry and every METADATA_REFRESH_MS, so a topic recreated with more partitions is written to in full.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Acks, Compression } from './options.js';
import { WireProducer, type BrokerAddress } from './wire/producer.js';

const METADATA_REFRESH_MS = 10_000;

export interface WireSenderOptions {
  topic: string;
  clientId: string;
  acks: Acks;
  compression: Compression;
  /** Produce requests in flight per broker connection. */
  maxInFlight: number;
  /** Every record to this partition; null: round robin over all. */
  partition: number | null;
  /** SASL/PLAIN credentials; undefined: plaintext. */
  sasl?: { username: string; password: string } | undefined;
}

export class WireSender {
  private leaders = new Map<number, BrokerAddress>();
  private partitions: number[] = [];
  private next = 0;
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;
  private readonly producer: WireProducer;

  /** A sender with a metadata connection of its own (closed with it), connected to the partition leaders. */
  static async open(kafka: Kafka, opts: WireSenderOptions): Promise<WireSender> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const sender = new WireSender(admin, opts);
      await sender.refresh();
      await sender.producer.connect();
      return sender;
    } catch (err) {
      await admin.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private constructor(
    private readonly admin: Admin,
    private readonly opts: WireSenderOptions,
  ) {
    this.producer = new WireProducer({
      topic: opts.topic,
      clientId: opts.clientId,
      acks: opts.acks,
      compression: opts.compression,
      maxInFlight: opts.maxInFlight,
      ...(opts.sasl ? { sasl: opts.sasl } : {}),
      leaders: () => this.leaders,
      refreshLeaders: () => this.refresh(),
    });
  }

  /** Reads the topic's partition leaders (one read at a time; callers share it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readLeaders().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readLeaders(): Promise<void> {
    const [cluster, metadata] = await Promise.all([this.admin.describeCluster(), this.admin.fetchTopicMetadata({ topics: [this.opts.topic] })]);
    const brokers = new Map(cluster.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    const leaders = new Map<number, BrokerAddress>();
    for (const p of metadata.topics.find((t) => t.name === this.opts.topic)?.partitions ?? []) {
      const broker = brokers.get(p.leader);
      if (broker) leaders.set(p.partitionId, broker);
    }
    this.leaders = leaders;
    this.partitions = [...leaders.keys()].sort((a, b) => a - b);
    this.refreshedAt = Date.now();
  }

  /**
   * Sends `values` (split round robin over the partitions, or all to the fixed one) in one request
   * per broker; resolves with the records acked and those that failed (with the first error).
   */
  async send(values: string[], timestamp: number): Promise<{ acked: number; failed: number; error: string | null }> {
    if (Date.now() - this.refreshedAt > METADATA_REFRESH_MS) void this.refresh().catch(() => undefined);
    const targets = this.opts.partition !== null ? [this.opts.partition] : this.partitions.length > 0 ? this.partitions : [0];
    const split = targets.map(() => [] as string[]);
    for (const v of values) split[this.next++ % targets.length]!.push(v);
    const batches = targets.map((partition, i) => ({ partition, values: split[i]!, timestamp })).filter((b) => b.values.length > 0);
    const results = await Promise.allSettled(this.producer.sendBatches(batches));
    let acked = 0;
    let failed = 0;
    let error: string | null = null;
    results.forEach((r, i) => {
      const n = batches[i]!.values.length;
      if (r.status === 'fulfilled') acked += n;
      else {
        failed += n;
        error ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
      }
    });
    return { acked, failed, error };
  }

  async close(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
