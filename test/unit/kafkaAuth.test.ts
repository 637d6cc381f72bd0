import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  kafkaClientProperties,
  kafkaClientPropertiesText,
  kafkajsAuthOptions,
  parseKafkaClientProperties,
  parseProperties,
  InvalidKafkaClientConfig,
} from '../../src/domain/kafkaClientAuth.js';
import { resolveWatchConfig } from '../../src/config/watchConfig.js';
import { watchedKafka } from '../../src/config/kafkaClientFile.js';
import { InvalidResource } from '../../src/domain/resources.js';
import { checkProducerAuth, GeneratorOptionsError } from '../../src/generator/options.js';
import { existingLabKafkaAuth, labKafkaAccess, writeLabKafkaClientConfig } from '../../src/lab/kafkaAuth.js';
import { serverProperties, writeKafkaConfig } from '../../src/lab/kafkaBroker.js';
import { generatorSpec } from '../../src/lab/generators.js';
import { defaultLabConfig } from '../../src/lab/labConfig.js';
import { labPaths } from '../../src/lab/paths.js';
import { tempDir } from '../support/tempDir.js';

const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe('Kafka client properties (--kafka-config, the lab\'s kafka-client.properties)', () => {
  it('reads SASL/PLAIN and SCRAM logins in the form Kafka\'s tools take, and plaintext without a login', () => {
    const plain = parseKafkaClientProperties(
      [
        '# a comment',
        'security.protocol = SASL_PLAINTEXT',
        'sasl.mechanism: PLAIN',
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="p=a;s\\\\"s";',
        'bootstrap.servers=ignored:9092',
      ].join('\n'),
      'client.properties',
    );
    assert.deepEqual(plain, { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'alice', password: 'p=a;s"s' } });
    const scram = parseKafkaClientProperties(
      'security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="x";\n',
      'f',
    );
    assert.deepEqual(kafkajsAuthOptions(scram), { ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'bob', password: 'x' } });
    assert.deepEqual(parseKafkaClientProperties('', 'f'), { protocol: 'PLAINTEXT', sasl: null });
    assert.deepEqual(kafkajsAuthOptions(null), {});
    assert.deepEqual(kafkajsAuthOptions({ protocol: 'PLAINTEXT', sasl: null }), {});
  });

  it('writes what it reads back (the lab\'s file round-trips)', () => {
    const auth = { protocol: 'SASL_PLAINTEXT' as const, sasl: { mechanism: 'PLAIN' as const, username: 'u', password: 'we"ird\\pw' } };
    const text = kafkaClientPropertiesText(auth, 'test');
    assert.deepEqual(parseKafkaClientProperties(text, 'f'), auth);
    assert.equal(parseProperties(text).get('sasl.mechanism'), 'PLAIN');
  });

  it('names the file and the problem, never the password', () => {
    const bad: Array<[string, RegExp]> = [
      ['security.protocol=SASL_TLS', /security\.protocol must be one of/],
      ['security.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI', /sasl\.mechanism GSSAPI is not supported/],
      ['security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN', /needs sasl\.jaas\.config/],
      ['security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="a" password="secret1";', /must use org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule/],
      ['security.protocol=SASL_PLAINTEXT\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required password="secret1";\nsasl.mechanism=PLAIN', /no username=/],
    ];
    for (const [text, expected] of bad) {
      assert.throws(() => parseKafkaClientProperties(text, '/x/client.properties'), (err: Error) => {
        assert.ok(err instanceof InvalidKafkaClientConfig);
        assert.match(err.message, /^\/x\/client\.properties: /);
        assert.match(err.message, expected);
        assert.ok(!err.message.includes('secret1'), err.message);
        return true;
      });
    }
  });

  it('refuses for the wire producer what it cannot speak (TLS, SCRAM), with the flag named', () => {
    const login = { username: 'u', password: 'p' };
    assert.doesNotThrow(() => checkProducerAuth('wire', { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', ...login } }));
    assert.doesNotThrow(() => checkProducerAuth('kafkajs', { protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-256', ...login } }));
    assert.throws(() => checkProducerAuth('wire', { protocol: 'SASL_SSL', sasl: { mechanism: 'PLAIN', ...login } }), (e: Error) => e instanceof GeneratorOptionsError && /--kafka-config.*no TLS/.test(e.message));
    assert.throws(() => checkProducerAuth('wire', { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'SCRAM-SHA-256', ...login } }), /PLAIN with --producer wire/);
  });
});

describe("the lab's Kafka login", () => {
  it('puts SASL/PLAIN on both listeners (the controller\'s too) with a generated password, server.properties and client file 0600', () => {
    const paths = labPaths(tempDir('sparktop-kafka-auth-'));
    fs.mkdirSync(paths.labDir, { recursive: true });
    const config = defaultLabConfig(paths.cacheDir);
    assert.equal(existingLabKafkaAuth(paths), null, 'no Kafka started yet: no login');
    const auth = writeLabKafkaClientConfig(paths);
    const password = fs.readFileSync(paths.kafkaPasswordFile, 'utf8').trim();
    assert.match(password, /^[0-9a-f]{64}$/);
    assert.deepEqual(auth, { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'sparktop', password } });
    assert.deepEqual(existingLabKafkaAuth(paths), auth);
    assert.deepEqual(labKafkaAccess(config, paths), { bootstrap: `127.0.0.1:${config.kafkaPort}`, auth });
    assert.equal(writeLabKafkaClientConfig(paths).sasl?.password, password, 'the password is kept across starts');

    const { properties } = writeKafkaConfig(config, paths, auth);
    const props = new Map(fs.readFileSync(properties, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(props.get('listener.security.protocol.map'), 'CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT');
    assert.equal(props.get('listeners'), `CLIENT://127.0.0.1:${config.kafkaPort},CONTROLLER://127.0.0.1:${config.kafkaControllerPort}`);
    assert.equal(props.get('sasl.enabled.mechanisms'), 'PLAIN');
    assert.equal(props.get('sasl.mechanism.controller.protocol'), 'PLAIN');
    for (const listener of ['client', 'controller']) {
      assert.equal(
        props.get(`listener.name.${listener}.plain.sasl.jaas.config`),
        `org.apache.kafka.common.security.plain.PlainLoginModule required username="sparktop" password="${password}" user_sparktop="${password}";`,
      );
    }
    for (const f of [properties, paths.kafkaPasswordFile, paths.kafkaClientConfigFile]) assert.equal(mode(f), 0o600, f);
    assert.doesNotMatch(serverProperties(config, paths, null), /sasl/i, 'without a login: plaintext listeners');
  });

  it("gives the generators the client file's path, never the password, on their command line", () => {
    const paths = labPaths(tempDir('sparktop-kafka-gen-'));
    fs.mkdirSync(paths.labDir, { recursive: true });
    const config = defaultLabConfig(paths.cacheDir);
    const log = path.join(paths.labDir, 'gen.log');
    assert.ok(!generatorSpec(config, paths, 1, log).args.includes('--kafka-config'), 'a lab whose Kafka has no login');
    const auth = writeLabKafkaClientConfig(paths);
    const args = generatorSpec(config, paths, 1, log).args;
    assert.equal(args[args.indexOf('--kafka-config') + 1], paths.kafkaClientConfigFile);
    assert.ok(!args.join(' ').includes(auth.sasl!.password));
  });

  it('watches the lab\'s Kafka with its login, another Kafka without, and checks a --kafka-config file at once', () => {
    const dir = tempDir('sparktop-kafka-watch-');
    const paths = labPaths(dir);
    fs.mkdirSync(paths.labDir, { recursive: true });
    writeLabKafkaClientConfig(paths);
    const lab = { kafkaPort: 29094, kafkaClientConfig: paths.kafkaClientConfigFile, generatorsDir: paths.generatorsDir };
    assert.equal(resolveWatchConfig({}, lab, {}, dir).kafkaConfig, paths.kafkaClientConfigFile);
    assert.equal(resolveWatchConfig({ kafka: 'localhost:29094' }, lab, {}, dir).kafkaConfig, paths.kafkaClientConfigFile);
    assert.equal(resolveWatchConfig({ kafka: 'broker:9092' }, lab, {}, dir).kafkaConfig, null);
    assert.equal(resolveWatchConfig({}, { ...lab, kafkaClientConfig: undefined }, {}, dir).kafkaConfig, null, 'a lab whose Kafka does not run with it');
    // The other way in, for a lab Kafka started (or stopped) after the watch began.
    const labAuth = existingLabKafkaAuth(paths);
    const running = resolveWatchConfig({}, { ...lab, kafkaClientConfigKept: paths.kafkaClientConfigFile }, {}, dir);
    assert.deepEqual(watchedKafka(running), { bootstrap: '127.0.0.1:29094', auth: labAuth, otherwise: null });
    const stopped = resolveWatchConfig({}, { ...lab, kafkaClientConfig: undefined, kafkaClientConfigKept: paths.kafkaClientConfigFile }, {}, dir);
    assert.deepEqual(watchedKafka(stopped), { bootstrap: '127.0.0.1:29094', auth: null, otherwise: labAuth });
    const elsewhere = resolveWatchConfig({ kafka: 'broker:9092' }, { ...lab, kafkaClientConfigKept: paths.kafkaClientConfigFile }, {}, dir);
    assert.deepEqual(watchedKafka(elsewhere), { bootstrap: 'broker:9092', auth: null }, 'another broker: no lab login tried');
    const mine = path.join(dir, 'mine.properties');
    fs.writeFileSync(mine, 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="me" password="pw";\n');
    assert.equal(resolveWatchConfig({ kafka: 'broker:9092', kafkaConfig: 'mine.properties' }, lab, {}, dir).kafkaConfig, mine);
    assert.equal(resolveWatchConfig({ kafka: 'broker:9092' }, lab, { SPARKTOP_KAFKA_CONFIG: mine }, dir).kafkaConfig, mine);
    assert.throws(() => resolveWatchConfig({ kafkaConfig: 'missing.properties' }, lab, {}, dir), (e: Error) => e instanceof InvalidResource && /^--kafka-config: cannot read .*missing\.properties/.test(e.message));
    fs.writeFileSync(mine, 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=OAUTHBEARER\n');
    assert.throws(() => resolveWatchConfig({ kafkaConfig: mine }, lab, {}, dir), /--kafka-config: .*OAUTHBEARER is not supported/);
  });
});

describe('kafkaClientProperties', () => {
  it('gives a Spark Kafka source its three options', () => {
    assert.deepEqual(Object.keys(kafkaClientProperties({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'u', password: 'p' } })), ['security.protocol', 'sasl.mechanism', 'sasl.jaas.config']);
  });
});
