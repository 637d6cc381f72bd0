import os from 'node:os';
import type { JobResources } from '../domain/resources.js';
import { BASELINE_RESOURCES } from '../domain/resources.js';

export type QueryName = 'activity2' | 'activity3';

/** Everything `lab up` needs to know; every field has a default and a flag. */
export interface LabConfig {
  cacheDir: string;
  python: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  topic: string;
  partitions: number;
  masterPort: number;
  masterUiPort: number;
  workers: number;
  workerCores: number;
  workerMemory: string;
  workerUiPort: number;
  driverUiPort: number;
  listenerPort: number;
  generators: number;
  rps: number;
  query: QueryName;
  resources: JobResources;
  kafkaHeap: string;
  daemonMemory: string;
  startingOffsets: 'latest' | 'earliest';
}

export function defaultWorkerMemory(): string {
  // Leave room for Kafka, the master, the worker daemon and the driver.
  const totalGb = Math.floor(os.totalmem() / 1024 ** 3);
  return `${Math.max(2, Math.min(8, totalGb - 4))}g`;
}

export function defaultLabConfig(cacheDir: string): LabConfig {
  return {
    cacheDir,
    python: process.env.SPARKTOP_PYTHON ?? 'python3',
    kafkaPort: 9094,
    kafkaControllerPort: 9093,
    topic: 'logs',
    partitions: 2,
    masterPort: 7077,
    masterUiPort: 8080,
    workers: 1,
    workerCores: os.availableParallelism(),
    workerMemory: defaultWorkerMemory(),
    workerUiPort: 8081,
    driverUiPort: 4040,
    listenerPort: 4090,
    generators: 1,
    rps: 10_000,
    query: 'activity2',
    resources: { ...BASELINE_RESOURCES, driverMemory: '1g' },
    kafkaHeap: '512m',
    daemonMemory: '512m',
    startingOffsets: 'latest',
  };
}

export const kafkaBootstrap = (c: LabConfig) => `127.0.0.1:${c.kafkaPort}`;
export const masterUrl = (c: LabConfig) => `spark://127.0.0.1:${c.masterPort}`;
/** The HTTP ports sparktop asks on the host: the local lab's, or the Docker lab's published ones. */
export type LabEndpoints = Pick<LabConfig, 'masterUiPort' | 'driverUiPort' | 'listenerPort'>;
export const masterUi = (c: LabEndpoints) => `http://127.0.0.1:${c.masterUiPort}`;
export const driverUi = (c: LabEndpoints) => `http://127.0.0.1:${c.driverUiPort}`;
export const listenerUrl = (c: LabEndpoints) => `http://127.0.0.1:${c.listenerPort}`;
