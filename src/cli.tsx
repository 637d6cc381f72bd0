import meow from 'meow';
import { genCommand } from './commands/gen.js';
import { labDownCommand, labLogsCommand, labProvisionCommand, labStatusCommand, labUpCommand } from './commands/lab.js';
import { checkCommand } from './commands/check.js';
import { monitorCommand } from './commands/monitor.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { InvalidConfigFile } from './config.js';
import { submitCommand } from './commands/submit.js';
import { InvalidResource } from './control/resources.js';
import { GeneratorOptionsError } from './generator/options.js';
import { MissingPrerequisite } from './lab/provision/prereqs.js';

const usage = `
  Usage
    $ sparktop [monitor]                 full-screen live view (local lab by default)
    $ sparktop status [--json]           one snapshot, no TUI
    $ sparktop check [--max-batch-ms N] [--min-ratio R]   exit 0 healthy, 1 unhealthy, 2 unreachable
    $ sparktop lab up|down|status|logs <component>|provision
    $ sparktop gen                       load generator in the foreground
    $ sparktop submit [resource flags]   (re)submit the logs job to the local lab
    $ sparktop start                     lab up, then the monitor (what \`npm start\` runs)

  Watch flags (monitor, status, check; env SPARKTOP_KAFKA, SPARKTOP_SPARK_UI, …; or sparktop.config.json)
    --kafka HOST:PORT  --topic T  --group G (consumer-group lag)  --spark-ui URL  --spark-master URL
    --progress-url URL  --refresh 1s  --target-batch 20s  --config FILE  --no-color  --ascii
    --target docker|local   (monitor) which lab the hotkeys act on; default: the one that is running

  Lab flags (lab up; ports also for down/status/submit)
    --partitions N        partitions of the topic (2)        --workers N        Spark workers (1)
    --worker-cores N      cores per worker (all)             --worker-memory M  memory per worker (e.g. 4g)
    --generators N        load generators (1)                --rps N            records/s per generator (10000)
    --query Q             activity2 | activity3              --starting-offsets latest|earliest
    --topic T             input topic (logs)                 --cache-dir DIR    ($XDG_CACHE_HOME/sparktop)
    --python PY           Python for the pyspark venv (python3)
    --kafka-port --kafka-controller-port --master-port --master-ui-port --worker-ui-port
    --driver-ui-port --listener-port    (9094 9093 7077 8080 8081 4040 4090; env SPARKTOP_<NAME>_PORT)
    lab down --purge      also delete Kafka data and Spark checkpoints
    lab status --json     machine-readable          lab logs <component> [--lines N]

  Resource flags (lab up, submit)
    --executor-cores N  --executor-memory M  --total-executor-cores N  --num-executors N
    --driver-memory M  --shuffle-partitions N  --max-offsets-per-trigger N  --trigger 10s
    --conf spark.key=value (repeatable)

  Generator flags (gen; env KAFKA_BROKER KAFKA_TOPIC TARGET_RPS ADDITIONAL_TERM ADDITIONAL_TERM_RATE)
    --kafka HOST:PORT  --topic T  --rps N (--target-rps)  --additional-term W  --additional-term-rate N
    --acks -1|0|1  --stats-file F  --control-file F
`;

const str = { type: 'string' } as const;

const cli = meow(usage, {
  importMeta: import.meta,
  allowUnknownFlags: false,
  autoHelp: true,
  flags: {
    cacheDir: str,
    python: str,
    partitions: str,
    workers: str,
    workerCores: str,
    workerMemory: str,
    generators: str,
    rps: { type: 'string', aliases: ['targetRps'] },
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
    executorCores: str,
    executorMemory: str,
    totalExecutorCores: str,
    numExecutors: str,
    driverMemory: str,
    shufflePartitions: str,
    maxOffsetsPerTrigger: str,
    trigger: str,
    conf: { type: 'string', isMultiple: true },
    purge: { type: 'boolean' },
    json: { type: 'boolean' },
    lines: str,
    kafka: str,
    group: str,
    sparkUi: str,
    sparkMaster: str,
    progressUrl: str,
    refresh: str,
    targetBatch: str,
    config: str,
    color: { type: 'boolean' },
    ascii: { type: 'boolean' },
    target: str,
    maxBatchMs: str,
    minRatio: str,
    additionalTerm: str,
    additionalTermRate: str,
    acks: str,
    statsFile: str,
    controlFile: str,
  },
});

type Flags = typeof cli.flags;

/** Flags each command accepts; anything else given is a usage error (exit 2). */
const LAB = ['cacheDir', 'python', 'kafkaPort', 'kafkaControllerPort', 'masterPort', 'masterUiPort', 'workerUiPort', 'driverUiPort', 'listenerPort', 'topic'];
const RESOURCES = ['executorCores', 'executorMemory', 'totalExecutorCores', 'numExecutors', 'driverMemory', 'shufflePartitions', 'maxOffsetsPerTrigger', 'trigger', 'conf'];
const UP = [...LAB, ...RESOURCES, 'partitions', 'workers', 'workerCores', 'workerMemory', 'generators', 'rps', 'query', 'startingOffsets'];
const WATCH = ['kafka', 'topic', 'group', 'sparkUi', 'sparkMaster', 'progressUrl', 'refresh', 'targetBatch', 'config', 'cacheDir'];
const ALLOWED: Record<string, string[]> = {
  monitor: [...WATCH, 'color', 'ascii', 'target'],
  status: [...WATCH, 'json'],
  check: [...WATCH, 'maxBatchMs', 'minRatio'],
  'lab up': UP,
  start: UP,
  'lab down': [...LAB, 'purge'],
  'lab status': [...LAB, 'json'],
  'lab logs': [...LAB, 'lines'],
  'lab provision': ['cacheDir', 'python'],
  submit: [...LAB, ...RESOURCES, 'query', 'startingOffsets'],
  gen: ['kafka', 'topic', 'rps', 'additionalTerm', 'additionalTermRate', 'acks', 'statsFile', 'controlFile'],
};

function usageError(message: string): number {
  process.stderr.write(`sparktop: ${message}\n${usage}\n`);
  return 2;
}

function checkFlags(command: string, flags: Flags): string | null {
  const allowed = ALLOWED[command] ?? [];
  for (const [key, value] of Object.entries(flags)) {
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (given && !allowed.includes(key)) return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply to \`sparktop ${command}\``;
  }
  return null;
}

async function dispatch(input: string[], flags: Flags): Promise<number> {
  const [cmd = 'monitor', sub, ...rest] = input;
  const command = cmd === 'lab' ? `lab ${sub ?? ''}`.trim() : cmd;
  if (!(command in ALLOWED)) return usageError(`unknown command "${input.join(' ')}"`);
  const extra = cmd === 'lab' ? (command === 'lab logs' ? rest.slice(1) : rest) : [sub, ...rest].filter((x) => x !== undefined);
  if (extra.length > 0) return usageError(`unexpected argument "${extra.join(' ')}" for \`sparktop ${command}\``);
  const bad = checkFlags(command, flags);
  if (bad) return usageError(bad);
  switch (command) {
    case 'monitor':
      return monitorCommand(flags);
    case 'status':
      return statusCommand(flags);
    case 'check':
      return checkCommand(flags);
    case 'lab up':
      return labUpCommand(flags);
    case 'start':
      return startCommand(flags);
    case 'lab down':
      return labDownCommand(flags);
    case 'lab status':
      return labStatusCommand(flags);
    case 'lab provision':
      return labProvisionCommand(flags);
    case 'lab logs':
      return labLogsCommand(flags, rest[0]);
    case 'submit':
      return submitCommand(flags);
    case 'gen':
      return genCommand({
        broker: flags.kafka,
        topic: flags.topic,
        targetRps: flags.rps,
        additionalTerm: flags.additionalTerm,
        additionalTermRate: flags.additionalTermRate,
        acks: flags.acks,
        statsFile: flags.statsFile,
        controlFile: flags.controlFile,
      });
    default:
      return usageError(`unknown command "${command}"`);
  }
}

try {
  process.exitCode = await dispatch(cli.input, cli.flags);
} catch (err) {
  if (err instanceof InvalidResource || err instanceof GeneratorOptionsError || err instanceof InvalidConfigFile) {
    process.exitCode = usageError(err.message);
  } else if (err instanceof MissingPrerequisite) {
    process.stderr.write(`sparktop: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`sparktop: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
