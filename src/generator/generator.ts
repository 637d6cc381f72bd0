/**
 * The load generator's run loop. Records go out through kafkajs's producer, or with `--producer
 * wire` through sparktop's own Produce requests (wireSender.ts); kafkajs reads the metadata in both.
 * See README.md "The load generator".
 *
 * - Paces by elapsed time (Pacer), sends a batch every tick (default 20 ms), at most
 *   `maxInFlight` produce calls in flight: a slow broker lowers the achieved rate, memory stays bounded.
 * - Counts sent / acked / errors; a produce call that still fails after kafkajs's retries counts
 *   all its records as errors. Nothing is dropped silently: records still in flight when the
 *   shutdown wait ends are reported as `unconfirmed`.
 * - Stats file once a second, a human status line every 5 s, control file read once a second.
 * - Broker unreachable / topic missing at start: a clear message per attempt, retried until aborted.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { CompressionTypes, Kafka, Partitioners, logLevel, type Message, type Producer, type Admin } from 'kafkajs';
import { describeError, kafkaLogCreator } from './kafkaLog.js';
import { ControlFile, applyControl, keepingText, oneReadAtATime } from './controlFile.js';
import type { GeneratorControl } from './controlFile.js';
import type { GeneratorOptions } from './options.js';
import { Pacer } from './pacer.js';
import { createRecordFactory } from './records.js';
import { WireSender } from './wireSender.js';
import { kafkajsAuthOptions } from '../domain/kafkaClientAuth.js';
import { GeneratorStats, StatsFileWriter, formatFinalLine, formatStatusLine, groupDigits, type GeneratorStatsFile } from './stats.js';

export interface GeneratorIo {
  /** Abort to stop: producing stops, in-flight sends are awaited (at most shutdownTimeoutMs). */
  signal: AbortSignal;
  /** One human-readable line (no trailing newline). */
  log: (line: string) => void;
  /** Called once a second with the same object written to the stats file. */
  onStats?: (stats: GeneratorStatsFile) => void;
  /** Read once a second instead of the control file (a producing thread's orders from its parent). */
  control?: () => GeneratorControl;
  /** A producing thread: its parent logs the status line, control changes and totals. */
  quiet?: boolean;
}

export interface GeneratorTotals {
  startedAt: string;
  stoppedAt: string;
  /** From runGenerator's start to its end. */
  elapsedMs: number;
  /** Time spent producing (from the connection to the broker to the stop). */
  producingMs: number;
  /** Whether the broker was ever reached. */
  connected: boolean;
  sent: number;
  acked: number;
  errors: number;
  lastError: string | null;
  /** Records sent but neither acked nor failed when the shutdown wait ended. */
  unconfirmed: number;
  /** acked / producing time (records per second). */
  averageRps: number;
}

/** How long the shutdown waits for in-flight sends, and separately for the disconnect. */
export const SHUTDOWN_TIMEOUT_MS = 5000;
/** Pause between connection attempts at start. */
export const CONNECT_RETRY_MS = 5000;
/** One produce call carries at most this many bytes of values (brokers reject batches > 1 MB by default). */
const MAX_BATCH_BYTES = 512 * 1024;

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  try {
    await sleepTimer(ms, undefined, { signal });
  } catch {
    /* aborted */
  }
}

/** Resolves with the promise's value, or undefined when the signal aborts first. */
async function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  const ac = new AbortController();
  const t = sleepTimer(ms, 'timeout' as const, { signal: ac.signal }).catch(() => 'timeout' as const);
  try {
    return await Promise.race([p, t]);
  } finally {
    ac.abort();
  }
}

export async function runGenerator(opts: GeneratorOptions, io: GeneratorIo): Promise<GeneratorTotals> {
  const { signal, log } = io;
  const startedWall = new Date();
  const startedPerf = performance.now();
  const stats = new GeneratorStats(5000);
  const factory = createRecordFactory({
    additionalTerm: opts.additionalTerm,
    additionalTermRate: opts.additionalTermRate,
    ...(opts.seed !== null ? { seed: opts.seed } : {}),
  });
  const brokerText = opts.brokers.join(',');

  // --- control state -----------------------------------------------------------------------
  let targetRps = opts.targetRps;
  let controlPaused = false;
  let pacer: Pacer | null = null;
  const effectiveRate = () => (controlPaused ? 0 : targetRps);
  const isPaused = () => controlPaused || targetRps === 0;

  const controlFile = opts.controlFile && !io.control ? new ControlFile(opts.controlFile, log) : null;
  const readControl = async (): Promise<void> => {
    const ctl = io.control ? io.control() : await controlFile?.read(() => keepingText({ targetRps, paused: controlPaused }));
    const changed = ctl ? applyControl({ targetRps, paused: controlPaused }, ctl) : null;
    if (!changed) return;
    ({ targetRps, paused: controlPaused } = changed.state);
    pacer?.setRate(performance.now(), effectiveRate(), stats.sent);
    if (!io.quiet) log(`control: ${changed.changes}`);
  };

  // --- housekeeping: stats file + control file once a second, status line every 5 s ----------
  const statsWriter = opts.statsFile ? new StatsFileWriter(opts.statsFile, log) : null;
  const statsObject = (): GeneratorStatsFile => {
    const achieved = stats.achievedRps(performance.now());
    return {
      pid: process.pid,
      startedAt: startedWall.toISOString(),
      at: new Date().toISOString(),
      topic: opts.topic,
      broker: brokerText,
      targetRps,
      paused: isPaused(),
      achievedRps: achieved === null ? null : Math.round(achieved * 10) / 10,
      ...stats.snapshot(),
    };
  };
  let connected = false;
  let housekeepingTicks = 0;
  const pollControl = oneReadAtATime(readControl);
  const housekeeping = () => {
    housekeepingTicks++;
    if (controlFile || io.control) pollControl();
    const s = statsObject();
    statsWriter?.write(s);
    io.onStats?.(s);
    if (connected && !io.quiet && housekeepingTicks % 5 === 0) log(formatStatusLine(s));
  };
  housekeeping();
  const housekeepingTimer = setInterval(housekeeping, 1000);

  // --- kafkajs -------------------------------------------------------------------------------
  const kafka = new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    ...kafkajsAuthOptions(opts.kafkaAuth),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(log),
    connectionTimeout: 3000,
    // cluster level (connect, metadata): few retries, so a start without a broker reports quickly
    // and an aborted start does not keep retrying in the background for long; we retry ourselves
    retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner, // no key → round robin over partitions
    allowAutoTopicCreation: false,
    // produce calls: kafkajs's usual 5 retries before a batch counts as errors
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000 },
  });
  const compression = opts.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;

  // Connect; make sure the topic exists (the lab creates it with 2 partitions; an auto-created
  // topic would get the broker's default partition count).
  let producingStart = 0;
  let attempt = 0;
  while (!signal.aborted) {
    attempt++;
    let admin: Admin | null = null;
    try {
      await unlessAborted(producer.connect(), signal);
      if (signal.aborted) break;
      admin = kafka.admin();
      await unlessAborted(admin.connect(), signal);
      if (signal.aborted) break;
      const md = await unlessAborted(admin.fetchTopicMetadata({ topics: [] }), signal);
      if (signal.aborted || !md) break;
      const topic = md.topics.find((t) => t.name === opts.topic);
      if (!topic) {
        const msg = `topic "${opts.topic}" does not exist on ${brokerText} (create it, e.g. with 2 partitions)`;
        stats.lastError = msg;
        log(`${msg}; retrying in ${CONNECT_RETRY_MS / 1000} s (attempt ${attempt})`);
      } else if (opts.partition !== null && !topic.partitions.some((p) => p.partitionId === opts.partition)) {
        // Like a missing topic: it may be recreated with more partitions.
        const msg = `topic "${opts.topic}" has no partition ${opts.partition} (partitions 0 to ${topic.partitions.length - 1})`;
        stats.lastError = msg;
        log(`${msg}; retrying in ${CONNECT_RETRY_MS / 1000} s (attempt ${attempt})`);
      } else {
        const where = opts.partition === null ? `${topic.partitions.length} partition(s)` : `${topic.partitions.length} partition(s), writing to partition ${opts.partition} only`;
        log(`connected to ${brokerText}; topic ${opts.topic} has ${where}; target ${groupDigits(targetRps)}/s, acks ${opts.acks}, compression ${opts.compression}`);
        connected = true;
      }
    } catch (err) {
      const refusedLogin = (err as Error).name === 'KafkaJSSASLAuthenticationError';
      const msg = `${refusedLogin ? `Kafka at ${brokerText} refused the login` : `cannot reach Kafka at ${brokerText}`}: ${describeError(err)}`;
      stats.lastError = msg;
      log(`${msg}; retrying in ${CONNECT_RETRY_MS / 1000} s (attempt ${attempt})`);
    } finally {
      if (admin) await withTimeout(admin.disconnect().catch(() => undefined), 2000);
    }
    if (connected) break;
    await sleep(CONNECT_RETRY_MS, signal);
  }
  if (connected) stats.lastError = null;

  // --- the wire producer (--producer wire): its own metadata connection -------------------------
  let wire: WireSender | null = null;
  if (connected && opts.producer === 'wire' && !signal.aborted) {
    try {
      wire = await WireSender.open(kafka, {
        topic: opts.topic,
        clientId: opts.clientId,
        acks: opts.acks,
        compression: opts.compression,
        maxInFlight: opts.maxInFlight,
        partition: opts.partition,
        sasl: opts.kafkaAuth?.sasl ? { username: opts.kafkaAuth.sasl.username, password: opts.kafkaAuth.sasl.password } : undefined,
      });
      log('producing with the wire producer (Produce v7)');
    } catch (err) {
      const msg = `the wire producer cannot connect: ${describeError(err)}; producing with kafkajs instead`;
      stats.lastError = msg;
      log(msg);
    }
  }

  // --- produce loop --------------------------------------------------------------------------
  const inFlight = new Set<Promise<void>>();
  const onFailure = (n: number, msg: string) => {
    if (stats.errors === 0 || msg !== stats.lastError) log(`send failed (${groupDigits(n)} records counted as errors): ${msg}`);
    stats.onFailed(n, msg);
  };
  const track = (p: Promise<void>) => {
    const tracked: Promise<void> = p.finally(() => {
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
  };
  const sendBatch = (messages: Message[]) => {
    const n = messages.length;
    stats.onSent(n);
    track(
      producer.send({ topic: opts.topic, messages, acks: opts.acks, compression }).then(
        () => stats.onAcked(n),
        (err: unknown) => onFailure(n, describeError(err)),
      ),
    );
  };
  const sendWire = (sender: WireSender, values: string[], timestamp: number) => {
    stats.onSent(values.length);
    track(
      sender.send(values, timestamp).then(({ acked, failed, error }) => {
        if (acked > 0) stats.onAcked(acked);
        if (failed > 0) onFailure(failed, error ?? 'send failed');
      }),
    );
  };

  if (connected && !signal.aborted) {
    await readControl(); // start paused / at the controlled rate without a first burst
    producingStart = performance.now();
    pacer = new Pacer({ rate: effectiveRate(), startMs: producingStart, startSent: stats.sent });
    let nextTick = producingStart;
    while (!signal.aborted) {
      const now = performance.now();
      const free = opts.maxInFlight - inFlight.size;
      if (free > 0) {
        let due = pacer.due(now, stats.sent, free * opts.maxBatch);
        const ts = Date.now();
        while (due > 0 && inFlight.size < opts.maxInFlight) {
          const values: string[] = [];
          let bytes = 0;
          const k = Math.min(due, opts.maxBatch);
          while (values.length < k && bytes < MAX_BATCH_BYTES) {
            const value = factory.nextJson(ts);
            bytes += value.length;
            values.push(value);
          }
          due -= values.length;
          if (wire) sendWire(wire, values, ts);
          else sendBatch(values.map((value): Message => (opts.partition === null ? { value } : { value, partition: opts.partition })));
        }
      }
      stats.sample(performance.now());
      nextTick += opts.tickMs;
      const after = performance.now();
      if (nextTick < after) nextTick = after; // behind: do not try to catch up ticks, the pacer does that
      await sleep(Math.max(1, nextTick - after), signal);
    }
  }

  // --- shutdown ------------------------------------------------------------------------------
  const stoppedPerf = performance.now();
  if (inFlight.size > 0) {
    log(`stopping: waiting up to ${SHUTDOWN_TIMEOUT_MS / 1000} s for ${groupDigits(stats.inFlight)} in-flight records`);
    await withTimeout(Promise.allSettled([...inFlight]), SHUTDOWN_TIMEOUT_MS);
  }
  clearInterval(housekeepingTimer);
  const producingMs = connected && producingStart > 0 ? stoppedPerf - producingStart : 0;
  const totals: GeneratorTotals = {
    startedAt: startedWall.toISOString(),
    stoppedAt: new Date().toISOString(),
    elapsedMs: Math.round(performance.now() - startedPerf),
    producingMs: Math.round(producingMs),
    connected,
    sent: stats.sent,
    acked: stats.acked,
    errors: stats.errors,
    lastError: stats.lastError,
    unconfirmed: stats.inFlight,
    averageRps: producingMs > 0 ? Math.round((stats.acked * 1000 * 10) / producingMs) / 10 : 0,
  };
  const final = statsObject();
  io.onStats?.(final);
  if (statsWriter) await statsWriter.flush(final);
  if (!io.quiet) log(formatFinalLine(totals));
  if (wire) await withTimeout(wire.close(), SHUTDOWN_TIMEOUT_MS);
  const disc = await withTimeout(
    producer.disconnect().then(
      () => 'ok' as const,
      (err: unknown) => describeError(err),
    ),
    SHUTDOWN_TIMEOUT_MS,
  );
  if (disc !== 'ok') log(`warning: disconnect from Kafka: ${disc}`);
  return totals;
}
