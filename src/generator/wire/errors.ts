/** Kafka error codes a Produce or SASL request may answer with, and the errors the wire producer rejects with. */

const NAMES: Record<number, string> = {
  [-1]: 'UNKNOWN_SERVER_ERROR',
  1: 'OFFSET_OUT_OF_RANGE',
  2: 'CORRUPT_MESSAGE',
  3: 'UNKNOWN_TOPIC_OR_PARTITION',
  5: 'LEADER_NOT_AVAILABLE',
  6: 'NOT_LEADER_OR_FOLLOWER',
  7: 'REQUEST_TIMED_OUT',
  8: 'BROKER_NOT_AVAILABLE',
  9: 'REPLICA_NOT_AVAILABLE',
  10: 'MESSAGE_TOO_LARGE',
  13: 'NETWORK_EXCEPTION',
  17: 'INVALID_TOPIC_EXCEPTION',
  18: 'RECORD_LIST_TOO_LARGE',
  19: 'NOT_ENOUGH_REPLICAS',
  20: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  21: 'INVALID_REQUIRED_ACKS',
  29: 'TOPIC_AUTHORIZATION_FAILED',
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  32: 'INVALID_TIMESTAMP',
  33: 'UNSUPPORTED_SASL_MECHANISM',
  34: 'ILLEGAL_SASL_STATE',
  35: 'UNSUPPORTED_VERSION',
  42: 'INVALID_REQUEST',
  43: 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  44: 'POLICY_VIOLATION',
  45: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  46: 'DUPLICATE_SEQUENCE_NUMBER',
  47: 'INVALID_PRODUCER_EPOCH',
  53: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  56: 'KAFKA_STORAGE_ERROR',
  58: 'SASL_AUTHENTICATION_FAILED',
  59: 'UNKNOWN_PRODUCER_ID',
  74: 'FENCED_LEADER_EPOCH',
  75: 'UNKNOWN_LEADER_EPOCH',
  76: 'UNSUPPORTED_COMPRESSION_TYPE',
  87: 'INVALID_RECORD',
};

/** Worth a metadata refresh and another attempt. */
const RETRIABLE = new Set([3, 5, 6, 7, 13, 19, 20]);

export function kafkaErrorName(code: number): string {
  return NAMES[code] ?? `KAFKA_ERROR_${code}`;
}

/** A partition's error code in a Produce response. */
export class KafkaProtocolError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly code: number,
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`Kafka error ${kafkaErrorName(code)} (${code}) producing to ${topic} partition ${partition}`);
    this.name = 'KafkaProtocolError';
    this.retriable = RETRIABLE.has(code);
  }
}

/** The connection failed or closed, or an answer did not come in time: worth another attempt. */
export class KafkaConnectionError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'KafkaConnectionError';
  }
}

/** The caller's leaders name none for a partition: worth a refresh and another attempt. */
export class LeaderUnknownError extends Error {
  readonly retriable = true;
  constructor(topic: string, partition: number) {
    super(`no leader known for ${topic} partition ${partition}`);
    this.name = 'LeaderUnknownError';
  }
}

/** The broker refused SASL authentication, or does not offer it: another attempt would fare no better. */
export class SaslAuthenticationError extends Error {
  readonly retriable = false;
  constructor(
    message: string,
    /** The broker's error code; null when the client refused before asking. */
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'SaslAuthenticationError';
  }
}

export function isRetriable(err: unknown): boolean {
  return (err instanceof KafkaProtocolError || err instanceof KafkaConnectionError || err instanceof LeaderUnknownError) && err.retriable;
}
