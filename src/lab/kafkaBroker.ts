import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkajsAuthOptions, type KafkaAccess, type KafkaClientAuth } from '../domain/kafkaClientAuth.js';
import { writeFileAtomic } from '../files/outputFile.js';
import { brokerSaslProperties } from './kafkaAuth.js';
import { OWNER_ONLY_FILE_MODE } from './ownerSecret.js';
import { run } from './provision/exec.js';
import type { LabConfig } from './labConfig.js';
import type { LabPaths } from './paths.js';
import type { DetachedSpec } from './processes.js';

const LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = info
logger.raft.name = org.apache.kafka.raft
logger.raft.level = warn
`;

/**
 * A single KRaft node (broker + controller) listening on loopback only; with `auth`, both listeners
 * take only SASL/PLAIN with the lab's user (src/lab/kafkaAuth.ts).
 */
export function serverProperties(config: LabConfig, paths: LabPaths, auth: KafkaClientAuth | null): string {
  const protocol = auth?.sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${config.kafkaControllerPort}`,
    `listeners=CLIENT://127.0.0.1:${config.kafkaPort},CONTROLLER://127.0.0.1:${config.kafkaControllerPort}`,
    `advertised.listeners=CLIENT://127.0.0.1:${config.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=CLIENT',
    `listener.security.protocol.map=CONTROLLER:${protocol},CLIENT:${protocol}`,
    ...(auth?.sasl ? brokerSaslProperties(auth.sasl, ['CLIENT', 'CONTROLLER']) : []),
    `log.dirs=${paths.kafkaDataDir}`,
    `num.partitions=${config.partitions}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // The lab is for tuning runs, not for keeping data: cap what a long run leaves on disk.
    'log.retention.hours=6',
    'log.retention.bytes=4294967296',
    'log.segment.bytes=268435456',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/** Kafka's own format for cluster ids: 16 random bytes, base64url without padding. */
export function newClusterId(): string {
  return crypto.randomBytes(16).toString('base64url');
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** server.properties (0600: it holds the lab user's password) and Kafka's log4j2.properties. */
export function writeKafkaConfig(config: LabConfig, paths: LabPaths, auth: KafkaClientAuth | null): { properties: string; log4j: string } {
  fs.mkdirSync(paths.kafkaConfigDir, { recursive: true });
  const properties = path.join(paths.kafkaConfigDir, 'server.properties');
  const log4j = path.join(paths.kafkaConfigDir, 'log4j2.properties');
  writeFileAtomic(properties, serverProperties(config, paths, auth), OWNER_ONLY_FILE_MODE);
  fs.writeFileSync(log4j, LOG4J2);
  return { properties, log4j };
}

/** Formats the KRaft storage once; later starts reuse it (the topic and its offsets survive restarts). */
export async function ensureStorageFormatted(kafkaJars: string[], files: { properties: string; log4j: string }, paths: LabPaths): Promise<boolean> {
  if (fs.existsSync(path.join(paths.kafkaDataDir, 'meta.properties'))) return false;
  fs.mkdirSync(paths.kafkaDataDir, { recursive: true });
  const r = await run(javaCommand(), [
    '-Xmx256m',
    `-Dlog4j2.configurationFile=${files.log4j}`,
    '-cp',
    kafkaJars.join(path.delimiter),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    newClusterId(),
    '-c',
    files.properties,
  ]);
  if (r.code !== 0) throw new Error(`formatting Kafka storage failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
  return true;
}

export function kafkaSpec(config: LabConfig, kafkaJars: string[], files: { properties: string; log4j: string }, logFile: string): DetachedSpec {
  return {
    command: javaCommand(),
    args: [
      `-Xmx${config.kafkaHeap}`,
      `-Xms${config.kafkaHeap}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${files.log4j}`,
      '-cp',
      kafkaJars.join(path.delimiter),
      'kafka.Kafka',
      files.properties,
    ],
    logFile,
  };
}

function quietKafka(kafka: KafkaAccess): Kafka {
  return new Kafka({
    clientId: 'sparktop-lab',
    brokers: kafka.bootstrap.split(','),
    ...kafkajsAuthOptions(kafka.auth),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1500,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
}

/** Runs `use` with a connected admin client of the broker, disconnected afterwards whatever happens. */
async function withAdmin<T>(kafka: KafkaAccess, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = quietKafka(kafka).admin();
  try {
    await admin.connect();
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Readiness probe: the broker answers metadata requests and has a controller. */
export async function brokerReady(kafka: KafkaAccess): Promise<true | undefined> {
  return withAdmin(kafka, async (admin) => {
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null ? true : undefined;
  });
}

/**
 * Creates the topic with `partitions` partitions, or grows it; Kafka cannot shrink a topic, so an
 * existing topic with more partitions is kept and reported.
 */
export async function ensureTopic(kafka: KafkaAccess, topic: string, partitions: number): Promise<{ partitions: number; note: string | null }> {
  return withAdmin(kafka, async (admin) => {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    } else {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const have = meta.topics[0]?.partitions.length ?? 0;
      if (have < partitions) {
        await admin.createPartitions({ topicPartitions: [{ topic, count: partitions }] });
      } else if (have > partitions) {
        return { partitions: have, note: `topic ${topic} already has ${have} partitions (Kafka cannot reduce them; \`lab down --purge\` starts over)` };
      }
    }
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const parts = meta.topics[0]?.partitions ?? [];
    if (parts.length !== partitions || parts.some((p) => p.leader < 0)) throw new Error(`topic ${topic} has no leader for every partition yet`);
    return { partitions: parts.length, note: null };
  });
}

export async function topicEndOffsets(kafka: KafkaAccess, topic: string): Promise<number[]> {
  return withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  });
}

/** Partitions of `topic` now (null: no such topic). */
export async function topicPartitionCount(kafka: KafkaAccess, topic: string): Promise<number | null> {
  return withAdmin(kafka, async (admin) => {
    if (!(await admin.listTopics()).includes(topic)) return null;
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0]?.partitions.length ?? null;
  });
}

/**
 * Deletes `topic` (its records too) and creates it again with `partitions` partitions — the only
 * way to get fewer. Producers and the job must be stopped first: a producer writing meanwhile
 * gets errors (the broker does not auto-create topics), a query reading it loses its offsets.
 */
export async function recreateTopic(kafka: KafkaAccess, topic: string, partitions: number, timeoutMs = 60_000): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    if ((await admin.listTopics()).includes(topic)) await admin.deleteTopics({ topics: [topic], timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    // Deletion is asynchronous in the controller: creating too early fails with TOPIC_ALREADY_EXISTS.
    for (;;) {
      // kafkajs resolves false (not an error) while the old topic still exists.
      let problem = 'the old topic is still being deleted';
      try {
        if (await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true, timeout: timeoutMs })) break;
      } catch (err) {
        problem = (err as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} could not be created again with ${partitions} partitions: ${problem}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const parts = meta.topics[0]?.partitions ?? [];
    if (parts.length !== partitions) throw new Error(`topic ${topic} has ${parts.length} partitions after recreation, not ${partitions}`);
  });
}

/** Health probe: the broker answers metadata for `topic` with a leader for every partition (else throws why). */
export async function kafkaAnswersTopic(kafka: KafkaAccess, topic: string): Promise<true> {
  return withAdmin(kafka, async (admin): Promise<true> => {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const parts = meta.topics[0]?.partitions ?? [];
    if (parts.length === 0) throw new Error('no partitions');
    if (parts.some((p) => p.leader < 0)) throw new Error('a partition has no leader');
    return true;
  });
}
