import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkajsAuthOptions, type KafkaAccess } from '../domain/kafkaClientAuth.js';
import type { HttpAnswer } from './http.js';

/** Walks an error and its causes (kafkajs wraps the broker's error when its retries run out). */
function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    out.push(e);
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return out;
}

/** Why the offsets of `topic` could not be read, in words a person can act on. */
export function describeKafkaError(err: unknown, topic: string): string {
  const chain = causes(err);
  if (chain.some((e) => (e as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION')) return `topic ${topic} does not exist`;
  const message = err instanceof Error ? err.message : String(err);
  if (chain.some((e) => (e as { name?: unknown }).name === 'KafkaJSSASLAuthenticationError')) return `the broker refused the login: ${message}`;
  if (/ECONNREFUSED|Connection error/i.test(message)) return 'connection refused';
  // A SASL listener drops a client that sends no handshake.
  if (/closed connection|connection closed/i.test(message)) return `${message} (a broker that requires SASL does this to a client without it: --kafka-config)`;
  return message;
}

/**
 * Reads the input topic's offsets (and a consumer group's, when asked) with kafkajs admin.
 * Read-only: `fetchOffsets` is called without `resolveOffsets`, which would commit to the group.
 */
/** A refusal the other login may not get: a SASL listener drops a client without one, and refuses a wrong one. */
function refusedLogin(err: unknown): boolean {
  return causes(err).some((e) => {
    const { name, message } = e as { name?: unknown; message?: unknown };
    return name === 'KafkaJSSASLAuthenticationError' || (typeof message === 'string' && /closed connection|connection closed|SASL/i.test(message));
  });
}

export class KafkaOffsetsReader {
  private admin: Admin | null = null;
  private busy = false;
  /** Whether `kafka.otherwise` is the login in use. */
  private otherwise = false;

  constructor(
    private readonly kafka: KafkaAccess,
    readonly topic: string,
    private readonly groupId: string | null,
    private readonly timeoutMs = 2000,
  ) {}

  private client(): Admin {
    if (!this.admin) {
      const kafka = new Kafka({
        clientId: 'sparktop',
        brokers: this.kafka.bootstrap.split(','),
        ...kafkajsAuthOptions(this.otherwise ? (this.kafka.otherwise ?? null) : this.kafka.auth),
        logLevel: logLevel.NOTHING,
        connectionTimeout: this.timeoutMs,
        requestTimeout: this.timeoutMs,
        retry: { retries: 0 },
      });
      this.admin = kafka.admin();
    }
    return this.admin;
  }

  private async reset(): Promise<void> {
    const a = this.admin;
    this.admin = null;
    await a?.disconnect().catch(() => undefined);
  }

  /** An answer shaped like a recorded `kafka:offsets` line; null while the previous read runs. */
  async read(): Promise<HttpAnswer | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const admin = this.client();
      const work = (async () => {
        await admin.connect();
        const offsets = await admin.fetchTopicOffsets(this.topic);
        let group = null;
        if (this.groupId) {
          const g = await admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] });
          group = {
            groupId: this.groupId,
            offsets: (g[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset) >= 0 ? Number(p.offset) : null })),
          };
        }
        return { topic: this.topic, offsets, group };
      })();
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs / 1000} s`)), this.timeoutMs + 500).unref());
      const body = await Promise.race([work, timeout]);
      return { status: 0, body };
    } catch (err) {
      await this.reset();
      if (this.kafka.otherwise !== undefined && refusedLogin(err)) this.otherwise = !this.otherwise;
      return { status: null, body: { error: describeKafkaError(err, this.topic) } };
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
