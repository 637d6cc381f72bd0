/**
 * How a Kafka client authenticates, read from a Kafka client properties file — the file Kafka's own
 * tools take as `--command-config` (security.protocol, sasl.mechanism, sasl.jaas.config). The local
 * lab writes one (src/lab/kafkaAuth.ts); `--kafka-config` points sparktop at a user's own.
 */

export type KafkaSecurityProtocol = 'PLAINTEXT' | 'SASL_PLAINTEXT' | 'SASL_SSL' | 'SSL';
export type KafkaSaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface KafkaClientAuth {
  protocol: KafkaSecurityProtocol;
  /** Null for PLAINTEXT and SSL. */
  sasl: { mechanism: KafkaSaslMechanism; username: string; password: string } | null;
}

export class InvalidKafkaClientConfig extends Error {}

const PROTOCOLS: readonly KafkaSecurityProtocol[] = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'];
const MECHANISMS: readonly KafkaSaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const LOGIN_MODULE: Record<KafkaSaslMechanism, string> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/** `key=value` / `key: value` / `key value` lines of a Java properties file (no line continuations, no escapes but `\\`). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.replace(/\\\\/g, '\\'));
    else out.set(line, '');
  }
  return out;
}

/** `username="x" password="y"` options of a JAAS login module line. */
function jaasOptions(jaas: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of jaas.matchAll(/([A-Za-z_][\w.]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) out.set(m[1]!, m[2]!.replace(/\\(.)/g, '$1'));
  return out;
}

/** The client's authentication from properties text; `source` names the file in messages. Never echoes a password. */
export function parseKafkaClientProperties(text: string, source: string): KafkaClientAuth {
  const props = parseProperties(text);
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!PROTOCOLS.includes(protocol as KafkaSecurityProtocol)) {
    throw new InvalidKafkaClientConfig(`${source}: security.protocol must be one of ${PROTOCOLS.join(', ')}, got "${protocol}"`);
  }
  if (!protocol.startsWith('SASL_')) return { protocol: protocol as KafkaSecurityProtocol, sasl: null };
  const mechanism = (props.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
  if (!MECHANISMS.includes(mechanism as KafkaSaslMechanism)) {
    throw new InvalidKafkaClientConfig(`${source}: sasl.mechanism ${mechanism} is not supported (sparktop speaks ${MECHANISMS.join(', ')})`);
  }
  const jaas = props.get('sasl.jaas.config');
  if (!jaas) throw new InvalidKafkaClientConfig(`${source}: SASL needs sasl.jaas.config with username="…" password="…"`);
  const module = LOGIN_MODULE[mechanism as KafkaSaslMechanism];
  if (!jaas.includes(module)) throw new InvalidKafkaClientConfig(`${source}: sasl.jaas.config for ${mechanism} must use ${module}`);
  const options = jaasOptions(jaas);
  const username = options.get('username');
  const password = options.get('password');
  if (!username || password === undefined) throw new InvalidKafkaClientConfig(`${source}: sasl.jaas.config has no username="…" and password="…"`);
  return { protocol: protocol as KafkaSecurityProtocol, sasl: { mechanism: mechanism as KafkaSaslMechanism, username, password } };
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A JAAS line of `mechanism`'s login module with `options` (values quoted). */
export function jaasConfig(mechanism: KafkaSaslMechanism, options: Record<string, string>): string {
  const pairs = Object.entries(options).map(([key, value]) => `${key}=${quoted(value)}`);
  return `${LOGIN_MODULE[mechanism]} required ${pairs.join(' ')};`;
}

/** The JAAS line a client of `mechanism` logs in with. */
export function clientJaasConfig(mechanism: KafkaSaslMechanism, username: string, password: string): string {
  return jaasConfig(mechanism, { username, password });
}

/** The Kafka client options (the three a Spark Kafka source takes with a `kafka.` prefix) of `auth`. */
export function kafkaClientProperties(auth: KafkaClientAuth): Record<string, string> {
  if (!auth.sasl) return { 'security.protocol': auth.protocol };
  return {
    'security.protocol': auth.protocol,
    'sasl.mechanism': auth.sasl.mechanism,
    'sasl.jaas.config': clientJaasConfig(auth.sasl.mechanism, auth.sasl.username, auth.sasl.password),
  };
}

/** The properties file text of `auth` (for Kafka's tools' --command-config, and for sparktop's --kafka-config). */
export function kafkaClientPropertiesText(auth: KafkaClientAuth, comment: string): string {
  const lines = [`# ${comment}`, ...Object.entries(kafkaClientProperties(auth)).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`), ''];
  return lines.join('\n');
}

/** The part of a kafkajs client's config that authenticates (structurally kafkajs's `ssl` and `sasl`). */
type KafkajsMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
type KafkajsSasl = { [M in KafkajsMechanism]: { mechanism: M; username: string; password: string } }[KafkajsMechanism];

export interface KafkajsAuthOptions {
  ssl?: boolean;
  sasl?: KafkajsSasl;
}

export function kafkajsAuthOptions(auth: KafkaClientAuth | null): KafkajsAuthOptions {
  if (!auth) return {};
  const ssl = auth.protocol === 'SSL' || auth.protocol === 'SASL_SSL' ? { ssl: true } : {};
  if (!auth.sasl) return ssl;
  const mechanism = auth.sasl.mechanism.toLowerCase() as KafkajsMechanism;
  return { ...ssl, sasl: { mechanism, username: auth.sasl.username, password: auth.sasl.password } as KafkajsSasl };
}

/** Where a Kafka is and how to log in to it. */
export interface KafkaAccess {
  /** "host:port[,host:port…]" */
  bootstrap: string;
  auth: KafkaClientAuth | null;
  /**
   * Another way in, tried while the first is refused: the local lab's broker may have been
   * (re)started with its login or, by an older sparktop, without one since the watch began.
   */
  otherwise?: KafkaClientAuth | null;
}
