/**
 * The lab the e2e tests bring up and talk to, as `sparktop lab up` (no flags) will configure it
 * with this process's environment: its ports and cache folder (test/e2e/isolation.ts sets them
 * before anything else), and its size, which the lab derives from the machine (one worker with
 * every core, `defaultWorkerMemory()`; src/lab/labConfig.ts). Read when asked, never cached, and no
 * side effects: bench/outages.ts uses it too, against whatever lab its environment names.
 */
import { defaultLabConfig, driverUi, kafkaBootstrap, listenerUrl, masterUi, masterUrl, type LabConfig } from '../../src/lab/labConfig.js';
import { labConfigFromFlags } from '../../src/lab/labFlags.js';
import { labPaths, type LabPaths } from '../../src/lab/paths.js';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkajsAuthOptions, type KafkaClientAuth } from '../../src/domain/kafkaClientAuth.js';
import { existingLabKafkaAuth } from '../../src/lab/kafkaAuth.js';
import { memoryMb } from '../../src/model/advisor/resources.js';

/** The lab's ports by what listens there (and so what `lab up` checks is free). */
export type LabPortName = 'kafkaPort' | 'kafkaControllerPort' | 'masterPort' | 'masterUiPort' | 'workerUiPort' | 'driverUiPort' | 'listenerPort';
export const LAB_PORT_NAMES: readonly LabPortName[] = ['kafkaPort', 'kafkaControllerPort', 'masterPort', 'masterUiPort', 'workerUiPort', 'driverUiPort', 'listenerPort'];

/** The ports a lab started with no flag and no SPARKTOP_*_PORT takes: a user's lab, as the tests must leave it. */
export const DEFAULT_LAB_PORTS: Readonly<Record<LabPortName, number>> = (() => {
  const d = defaultLabConfig('/unused');
  return Object.fromEntries(LAB_PORT_NAMES.map((n) => [n, d[n]])) as Record<LabPortName, number>;
})();

function config(): LabConfig {
  return labConfigFromFlags({});
}

function mb(memory: string): number {
  const n = memoryMb(memory);
  if (n === null) throw new Error(`not a memory size: ${memory}`);
  return n;
}

export const LAB = {
  get config(): LabConfig {
    return config();
  },
  get cacheDir(): string {
    return config().cacheDir;
  },
  get paths(): LabPaths {
    return labPaths(config().cacheDir);
  },
  /** `127.0.0.1:<kafka port>` */
  get kafka(): string {
    return kafkaBootstrap(config());
  },
  /** `spark://127.0.0.1:<master port>` */
  get master(): string {
    return masterUrl(config());
  },
  get masterUi(): string {
    return masterUi(config());
  },
  get driverUi(): string {
    return driverUi(config());
  },
  get listener(): string {
    return listenerUrl(config());
  },
  get kafkaPort(): number {
    return config().kafkaPort;
  },
  get masterPort(): number {
    return config().masterPort;
  },
  get masterUiPort(): number {
    return config().masterUiPort;
  },
  get driverUiPort(): number {
    return config().driverUiPort;
  },
  get listenerPort(): number {
    return config().listenerPort;
  },
  /** Every port the lab listens on (one worker UI per worker). */
  get ports(): number[] {
    const c = config();
    const ports = [c.kafkaPort, c.kafkaControllerPort, c.masterPort, c.masterUiPort, c.driverUiPort, c.listenerPort];
    for (let i = 0; i < c.workers; i++) ports.push(c.workerUiPort + i);
    return ports;
  },
  /** The cluster's cores, as the master reports them (`cores used/total` in the header). */
  get cores(): number {
    const c = config();
    return c.workers * c.workerCores;
  },
  /** One worker's memory in MB (the most one executor may ask). */
  get workerMemoryMb(): number {
    return mb(config().workerMemory);
  },
  /**
   * Executors of the lab's own job (the baseline resources: 1 core and 1 GB each, no total): a
   * standalone master starts as many on each worker as both its cores and its memory allow.
   */
  get baselineExecutors(): number {
    const c = config();
    const cores = c.resources.executorCores ?? 1;
    const memory = mb(c.resources.executorMemory ?? '1g');
    return c.workers * Math.min(Math.floor(c.workerCores / cores), Math.floor(mb(c.workerMemory) / memory));
  },
  /** The cores the lab's own job holds: `cores <this>/<cores>` in the header. */
  get baselineCores(): number {
    return this.baselineExecutors * (config().resources.executorCores ?? 1);
  },
};

/** How the lab's Kafka is logged in to (its client properties file; null before its first start). */
export function labKafkaAuth(): KafkaClientAuth | null {
  return existingLabKafkaAuth(LAB.paths);
}

/** `--kafka-config <the lab's client properties>` for a `sparktop gen` of the lab's Kafka. */
export function labKafkaConfigArgs(): string[] {
  return labKafkaAuth() ? ['--kafka-config', LAB.paths.kafkaClientConfigFile] : [];
}

/** A kafkajs client of the lab's broker, logged in as the lab's user. */
export function labKafkaClient(opts: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ clientId: 'sparktop-e2e', brokers: [LAB.kafka], logLevel: logLevel.NOTHING, retry: { retries: 2 }, ...kafkajsAuthOptions(labKafkaAuth()), ...opts });
}
