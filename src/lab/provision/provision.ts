import fs from 'node:fs';
import path from 'node:path';
import type { LabPaths } from '../paths.js';
import { PINNED, SPARK_KAFKA_CONNECTOR } from '../versions.js';
import { ensureArtifacts, type MavenCoordinate, type ResolvedArtifact } from './maven.js';
import { checkPrerequisites, type Prerequisites } from './prereqs.js';
import { ensureListenerJar, type ListenerJar } from './listenerJar.js';
import type { BuiltJar } from './javaJar.js';
import { ensureUiGuardJar } from './uiGuardJar.js';
import { ensurePythonEnv, type PythonEnv } from './pythonEnv.js';

export interface Provisioned {
  prereqs: Prerequisites;
  pythonEnv: PythonEnv;
  /** Classpath of the Kafka broker and its tools. */
  kafkaJars: string[];
  /** Jars to hand to spark-submit --jars: the connector and what pyspark does not already ship. */
  connectorJars: string[];
  /** The JVM progress listener, built from spark-apps/listener against pyspark's jars. */
  listenerJar: ListenerJar;
  /** The master UI's guard (spark-apps/ui-guard), on the master's class path. */
  uiGuardJar: BuiltJar;
}

const KAFKA_BROKER_DEPS: MavenCoordinate[] = [
  { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: PINNED.kafka },
  // kafka-tools brings ProducerPerformance, used by the generator benchmark.
  { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: PINNED.kafka },
  // The broker logs through SLF4J; Kafka's distribution ships these bindings, the Maven POMs do not.
  { groupId: 'org.slf4j', artifactId: 'slf4j-api', version: PINNED.slf4j },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: PINNED.log4j },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j2-impl', version: PINNED.log4j },
];

/** Artifacts pyspark already has in its jars/ folder (any version) are left out of --jars. */
export function connectorJarsNotInSpark(artifacts: ResolvedArtifact[], sparkJarNames: string[]): string[] {
  return artifacts
    .filter((a) => !sparkJarNames.some((j) => j.startsWith(`${a.artifactId}-`) && /^\d/.test(j.slice(a.artifactId.length + 1))))
    .map((a) => a.file);
}

/**
 * Makes sure Java, Python, pyspark and the Kafka and connector jars are there; downloads only what
 * is missing. A second call does no network work.
 */
export async function provision(paths: LabPaths, python: string, log: (line: string) => void): Promise<Provisioned> {
  const prereqs = await checkPrerequisites(python);
  fs.mkdirSync(paths.cacheDir, { recursive: true });
  const pythonEnv = await ensurePythonEnv(paths.venvDir, python, log);
  const kafka = await ensureArtifacts('kafka-broker', KAFKA_BROKER_DEPS, paths.kafkaLibDir, paths.mavenWorkDir, log);
  const connector = await ensureArtifacts('spark-kafka-connector', [SPARK_KAFKA_CONNECTOR], paths.connectorLibDir, paths.mavenWorkDir, log);
  const sparkJarNames = fs.readdirSync(path.join(pythonEnv.sparkHome, 'jars'));
  const listenerJar = await ensureListenerJar(paths.cacheDir, pythonEnv.sparkHome, log);
  const uiGuardJar = await ensureUiGuardJar(paths.cacheDir, pythonEnv.sparkHome, log);
  return {
    prereqs,
    pythonEnv,
    kafkaJars: kafka.artifacts.map((a) => a.file),
    connectorJars: connectorJarsNotInSpark(connector.artifacts, sparkJarNames),
    listenerJar,
    uiGuardJar,
  };
}
