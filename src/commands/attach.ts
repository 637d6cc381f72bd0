/**
 * `sparktop attach`: the spark-submit options that give any Structured Streaming job (PySpark,
 * Scala, Java; Spark 3.5 or 4.0) the progress listener without a code change. The jar is built
 * once per source version (`lab provision` does it too) and, with `--docker CONTAINER`, put where a
 * job submitted inside that container can read it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { attachFailureMessage, copyIntoCall, inspectMountsCall, jarPlacement, parseMounts, type JarPlacement } from '../control/dockerAttach.js';
import { DockerFailure, runDocker } from '../control/dockerRunner.js';
import { InvalidResource } from '../domain/resources.js';
import { shellQuote } from '../domain/sparkSubmit.js';
import { defaultCacheDir, labPaths } from '../lab/paths.js';
import { ensureListenerJar, listenerSubmitArgs } from '../lab/provision/listenerJar.js';
import { ensurePythonEnv } from '../lab/provision/pythonEnv.js';
import { port as parsePort } from '../lab/labFlags.js';
import { KAFKA_CONF_PREFIX, labAccessArgs } from '../lab/sparkAuth.js';
import { existingLabKafkaAuth } from '../lab/kafkaAuth.js';
import { kafkaClientProperties } from '../domain/kafkaClientAuth.js';

export interface AttachFlags {
  json?: boolean;
  lab?: boolean;
  docker?: string;
  listenerHost?: string;
  listenerPort?: string;
  cacheDir?: string;
  python?: string;
}

const DEFAULT_PORT = 4090;

function writableDir(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

async function placeInContainer(container: string, jar: string): Promise<JarPlacement> {
  try {
    const mounts = parseMounts(await runDocker(inspectMountsCall(container), 30_000));
    const placement = jarPlacement(mounts, path.basename(jar), writableDir);
    if (placement.kind === 'mount') fs.copyFileSync(jar, placement.hostPath);
    else await runDocker(copyIntoCall(container, jar, placement.containerPath), 60_000);
    return placement;
  } catch (err) {
    if (err instanceof DockerFailure) throw new Error(attachFailureMessage(container, err.kind, err.why, process.env.DOCKER_HOST));
    throw err;
  }
}

/**
 * What a user's job adds to read the lab's Kafka: a Kafka source takes client options only as its
 * own `kafka.*` options (no Spark conf reaches them), so the job copies the lab's
 * `spark.sparktop.kafka.*` confs into them. Without the lab's properties file they copy nothing.
 */
export function kafkaLoginLines(prefix: string, options: readonly string[]): string[] {
  return [
    `The lab's Kafka takes only the lab's user (SASL/PLAIN). Spark hands no setting to a Kafka source's client, so the`,
    `job's reader needs one change: copy the lab's login (${options.join(', ')}) from the properties file:`,
    '  PySpark:',
    '    for k, v in spark.sparkContext.getConf().getAll():',
    `        if k.startswith("${prefix}"):`,
    `            reader = reader.option("kafka." + k[len("${prefix}"):], v)`,
    '  Scala (reader a var):',
    `    for ((k, v) <- spark.sparkContext.getConf.getAllWithPrefix("${prefix}")) reader = reader.option("kafka." + k, v)`,
    '  Java:',
    `    for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAllWithPrefix("${prefix}"))`,
    '      reader = reader.option("kafka." + kv._1(), kv._2());',
  ];
}

export async function attachCommand(flags: AttachFlags): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const paths = labPaths(flags.cacheDir ?? defaultCacheDir());
  if (flags.lab && flags.docker) throw new InvalidResource('lab', '--lab is the local lab (sparktop lab up); the Docker lab needs no secret: use --docker alone');
  const labArgs = flags.lab ? labAccessArgs(paths) : [];
  if (!labArgs) throw new InvalidResource('lab', `no local lab has been started with the cache folder ${paths.cacheDir}: start it with \`sparktop lab up\` (its Spark secret is made then)`);
  // Inside a container the listener must listen beyond the container's loopback to be reached through a published port.
  const host = flags.listenerHost ?? (flags.docker ? '0.0.0.0' : '127.0.0.1');
  if (!/^[\w.:-]+$/.test(host)) throw new InvalidResource('listener-host', `expected a host name or address, got "${host}"`);
  const port = flags.listenerPort === undefined ? DEFAULT_PORT : parsePort('listener-port', flags.listenerPort);
  const env = await ensurePythonEnv(paths.venvDir, flags.python ?? 'python3', log);
  const built = await ensureListenerJar(paths.cacheDir, env.sparkHome, log);
  const placement = flags.docker ? await placeInContainer(flags.docker, built.jar) : null;
  const jar = placement ? placement.containerPath : built.jar;
  const args = [...labArgs, ...listenerSubmitArgs(jar, { host, port })];
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const progressUrl = `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
  const kafkaAuth = flags.lab ? existingLabKafkaAuth(paths) : null;
  const kafkaOptions = kafkaAuth ? Object.keys(kafkaClientProperties(kafkaAuth)).map((n) => `kafka.${n}`) : [];
  if (flags.json) {
    const lab = { labArgs, kafkaConfPrefix: KAFKA_CONF_PREFIX, kafkaOptions };
    process.stdout.write(`${JSON.stringify(flags.lab ? { args, progressUrl, ...lab } : { args, progressUrl })}\n`);
    return 0;
  }
  const out: string[] = [];
  if (placement?.kind === 'mount') out.push(`Copied the listener jar to ${placement.hostPath} (${flags.docker}:${placement.containerPath}, a folder it mounts).`, '');
  if (placement?.kind === 'copy') out.push(`Copied the listener jar into ${flags.docker}:${placement.containerPath} (it mounts no host folder; copy again after the container is recreated).`, '');
  out.push(`Add these options to the job's spark-submit (${kafkaAuth ? '' : 'no code change; '}PySpark, Scala and Java jobs, Spark 3.5 and 4.0):`, '');
  for (let i = 0; i < args.length; i += 2) out.push(`  ${args.slice(i, i + 2).map(shellQuote).join(' ')}${i + 2 < args.length ? ' \\' : ''}`);
  out.push(
    '',
    `The driver then serves the job's streaming progress on port ${port}; watch it with`,
    `  sparktop --progress-url ${progressUrl} --spark-ui http://<driver host>:4040 --kafka <bootstrap> --topic <topic>`,
    'If the job already has --jars, append the jar to that list (comma-separated) instead of a second --jars.',
    ...(flags.lab
      ? [
          `--properties-file gives the job the local lab's Spark secret (spark.authenticate; a file only you can read): the lab's master refuses jobs without it.`,
          'It takes the place of $SPARK_CONF_DIR/spark-defaults.conf for this submission (Spark 4: add --load-spark-defaults to read both).',
          ...(kafkaAuth ? ['', ...kafkaLoginLines(KAFKA_CONF_PREFIX, kafkaOptions), ''] : []),
        ]
      : []),
    `A taken port leaves the job running without the endpoint; the driver log says so (sparktop-listener:).`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
