/** Every flag the CLI knows (meow's definitions), and the groups commands share. */
import type { Result } from 'meow';

const str = { type: 'string' } as const;

export const flagDefinitions = {
  cacheDir: str,
  python: str,
  partitions: str,
  workers: str,
  workerCores: str,
  workerMemory: str,
  generators: str,
  rps: { type: 'string' as const, aliases: ['targetRps'] },
  query: str,
  topic: str,
  startingOffsets: str,
  kafkaPort: str,
  kafkaControllerPort: str,
  masterPort: str,
  masterUiPort: str,
  workerUiPort: str,
  driverUiPort: str,
  listenerPort: str,
  listenerHost: str,
  docker: str,
  executorCores: str,
  executorMemory: str,
  totalExecutorCores: str,
  numExecutors: str,
  driverMemory: str,
  shufflePartitions: str,
  maxOffsetsPerTrigger: str,
  trigger: str,
  conf: { type: 'string' as const, isMultiple: true as const },
  threshold: { type: 'string' as const, isMultiple: true as const },
  purge: { type: 'boolean' as const },
  json: { type: 'boolean' as const },
  lab: { type: 'boolean' as const },
  lines: str,
  kafka: str,
  kafkaConfig: str,
  group: str,
  sparkUi: str,
  sparkMaster: str,
  progressUrl: str,
  checkpoint: str,
  app: str,
  queryName: str,
  refresh: str,
  targetBatch: str,
  config: str,
  // meow gives an undeclared boolean `false`, so without this default every run was colourless.
  color: { type: 'boolean' as const, default: true },
  ascii: { type: 'boolean' as const },
  target: str,
  maxBatchMs: str,
  minRatio: str,
  failOn: str,
  additionalTerm: str,
  additionalTermRate: str,
  acks: str,
  statsFile: str,
  controlFile: str,
  partition: str,
  producer: str,
  /** gen: the record sequence's PRNG seed (the same records on every run). */
  seed: str,
  /** gen: producing threads, a number or auto. */
  threads: str,
  speed: str,
  at: str,
  /** replay, report: a Spark event log (file or rolling folder) instead of a recording. */
  eventLog: str,
  record: str,
  cast: str,
  /** monitor, serve: /metrics for Prometheus on HOST:PORT. */
  metrics: str,
  output: { type: 'string' as const, shortFlag: 'o' },
  /** report, sweep: write over an existing -o file. */
  force: { type: 'boolean' as const },
  plan: str,
  startRps: str,
  maxRps: str,
  settle: str,
  measure: str,
  maxMeasure: str,
  steps: str,
  rpsPerGenerator: str,
  maxGenerators: str,
  resume: str,
  tui: { type: 'boolean' as const, default: true },
};

export type Flags = Result<typeof flagDefinitions>['flags'];
export type FlagName = keyof typeof flagDefinitions;

export const definedFlags = [...Object.keys(flagDefinitions), 'targetRps', 'o', 'help', 'version'];
export const valueFlags = Object.entries(flagDefinitions)
  .filter(([, d]) => d.type === 'string')
  .map(([name]) => name);

/** Flags whose default is not `undefined`/`false`: at their default they were not given. */
export const FLAG_DEFAULTS: Partial<Record<FlagName, unknown>> = { color: true, tui: true };

export const LAB_FLAGS: FlagName[] = ['cacheDir', 'python', 'kafkaPort', 'kafkaControllerPort', 'masterPort', 'masterUiPort', 'workerUiPort', 'driverUiPort', 'listenerPort', 'topic'];
export const RESOURCE_FLAGS: FlagName[] = ['executorCores', 'executorMemory', 'totalExecutorCores', 'numExecutors', 'driverMemory', 'shufflePartitions', 'maxOffsetsPerTrigger', 'trigger', 'conf'];
export const UP_FLAGS: FlagName[] = [...LAB_FLAGS, ...RESOURCE_FLAGS, 'partitions', 'workers', 'workerCores', 'workerMemory', 'generators', 'rps', 'query', 'startingOffsets'];
export const WATCH_FLAGS: FlagName[] = ['kafka', 'kafkaConfig', 'topic', 'group', 'sparkUi', 'sparkMaster', 'progressUrl', 'checkpoint', 'app', 'queryName', 'refresh', 'targetBatch', 'config', 'cacheDir', 'threshold'];
