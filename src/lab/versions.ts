/**
 * Pinned versions of everything the local lab downloads. The Spark Kafka connector must match
 * pyspark exactly; 4.0.0 is also what the classroom lab uses (`--packages …:4.0.0`).
 */
export const PINNED = {
  pyspark: '4.0.0',
  scalaBinary: '2.13',
  kafka: '4.1.1',
  log4j: '2.24.3',
  slf4j: '2.0.17',
} as const;

export const SPARK_KAFKA_CONNECTOR = {
  groupId: 'org.apache.spark',
  artifactId: `spark-sql-kafka-0-10_${PINNED.scalaBinary}`,
  version: PINNED.pyspark,
} as const;

export const MIN_JAVA_MAJOR = 17;
export const MIN_PYTHON: readonly [number, number] = [3, 9];
