/**
 * Only the lab's owner may use its Kafka (issue #19): both listeners (clients', and the KRaft
 * controller's, which creates and deletes topics without an authorizer) take SASL/PLAIN with one
 * generated user. Its password lives in lab/kafka-password (0600); lab/kafka-client.properties
 * (0600) is the client side, in the form Kafka's tools take as --command-config. sparktop's own
 * clients read it; the lab's job gets the same options from the lab's spark-defaults.conf.
 */
import fs from 'node:fs';
import {
  jaasConfig,
  kafkaClientPropertiesText,
  parseKafkaClientProperties,
  type KafkaAccess,
  type KafkaClientAuth,
} from '../domain/kafkaClientAuth.js';
import { writeFileAtomic } from '../files/outputFile.js';
import { kafkaBootstrap, type LabConfig } from './labConfig.js';
import { OWNER_ONLY_FILE_MODE, ownerOnlySecret } from './ownerSecret.js';
import type { LabPaths } from './paths.js';

export const LAB_KAFKA_USER = 'sparktop';

/** The lab's Kafka user and its password (made once per cache folder). */
export function labKafkaAuth(paths: LabPaths): KafkaClientAuth {
  return { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: LAB_KAFKA_USER, password: ownerOnlySecret(paths.kafkaPasswordFile) } };
}

/** Writes the client properties of the Kafka about to start, and returns its authentication. */
export function writeLabKafkaClientConfig(paths: LabPaths): KafkaClientAuth {
  const auth = labKafkaAuth(paths);
  writeFileAtomic(paths.kafkaClientConfigFile, kafkaClientPropertiesText(auth, 'Written by `sparktop lab up`: how a client logs in to the lab\'s Kafka (Kafka tools: --command-config). Mode 0600.'), OWNER_ONLY_FILE_MODE);
  return auth;
}

/** The lab Kafka's authentication as its last start wrote it; null for a lab started without SASL (or never). */
export function existingLabKafkaAuth(paths: LabPaths): KafkaClientAuth | null {
  let text: string;
  try {
    text = fs.readFileSync(paths.kafkaClientConfigFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return parseKafkaClientProperties(text, paths.kafkaClientConfigFile);
}

/** How sparktop's own code reaches the lab's Kafka. */
export function labKafkaAccess(config: LabConfig, paths: LabPaths): KafkaAccess {
  return { bootstrap: kafkaBootstrap(config), auth: existingLabKafkaAuth(paths) };
}

/** The broker's SASL settings for both listeners (server.properties, itself 0600). */
export function brokerSaslProperties(sasl: { username: string; password: string }, listenerNames: readonly string[]): string[] {
  // One JAAS line per listener: the broker checks clients against user_<name>, and uses
  // username/password itself where it is a client (the controller listener, in KRaft).
  const jaas = jaasConfig('PLAIN', { username: sasl.username, password: sasl.password, [`user_${sasl.username}`]: sasl.password });
  return [
    'sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.controller.protocol=PLAIN',
    'sasl.mechanism.inter.broker.protocol=PLAIN',
    ...listenerNames.map((l) => `listener.name.${l.toLowerCase()}.plain.sasl.jaas.config=${jaas}`),
  ];
}
