/** A Kafka client properties file (`--kafka-config`): read and checked, with the flag named in errors. */
import fs from 'node:fs';
import { InvalidResource } from '../domain/resources.js';
import { InvalidKafkaClientConfig, parseKafkaClientProperties, type KafkaAccess, type KafkaClientAuth } from '../domain/kafkaClientAuth.js';

export function readKafkaClientConfig(file: string, flag = 'kafka-config'): KafkaClientAuth {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidResource(flag, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
  try {
    return parseKafkaClientProperties(text, file);
  } catch (err) {
    if (err instanceof InvalidKafkaClientConfig) throw new InvalidResource(flag, err.message);
    throw err;
  }
}

/** The watched Kafka and how to log in to it (with the lab's broker, also the other way). */
export function watchedKafka(config: { kafka: string; kafkaConfig: string | null; labKafkaConfig: string | null }): KafkaAccess {
  const auth = config.kafkaConfig ? readKafkaClientConfig(config.kafkaConfig) : null;
  if (!config.labKafkaConfig) return { bootstrap: config.kafka, auth };
  return { bootstrap: config.kafka, auth, otherwise: config.kafkaConfig ? null : readKafkaClientConfig(config.labKafkaConfig) };
}
