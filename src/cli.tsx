import meow from 'meow';
import { attachDashValues, kebab, unknownFlags } from './cliArgs.js';
import { InvalidConfigFile } from './config.js';
import { InvalidResource } from './control/resources.js';
import { GeneratorOptionsError } from './generator/options.js';
import { MissingPrerequisite } from './lab/provision/prereqs.js';

const usage = `
  Usage
    $ sparktop [monitor]                 full-screen live view (local lab by default)
    $ sparktop status [--json]           one snapshot, no TUI
    $ sparktop check [--max-batch-ms N] [--min-ratio R] [--fail-on error|warn|info|none|<finding ids>]
                                         exit 0 healthy, 1 unhealthy, 2 unreachable
    $ sparktop lab up|down|status|logs <component>|provision
    $ sparktop gen                       load generator in the foreground
    $ sparktop submit [resource flags]   (re)submit the logs job to the local lab
    $ sparktop start                     lab up, then the monitor (what \`npm start\` runs)
    $ sparktop attach [--json] [--docker CONTAINER] [--listener-port 4090] [--listener-host H]
                                         spark-submit options that give any job the progress listener
    $ sparktop sweep [lists] [-o sweep.md]   the highest sustainable rate per configuration, e.g.
          --executor-cores 1,2 --total-executor-cores 1,2 --shuffle-partitions 2,8,200 [--partitions 2,4]
          [--plan FILE] [--target-batch 20s] [--start-rps 5000] [--max-rps N] [--settle 60s] [--measure 120s]
          [--steps 10] [--rps-per-generator 40000] [--max-generators 4] [--resume sweep.json] [--no-tui]
    $ sparktop replay FILE [--speed N] [--at 1:30]   a recording (--record) on the same screen; space ← → > <
    $ sparktop report FILE [-o report.md]   a recording as a Markdown report (stdout without -o)
                                         (replay, report: the advisor uses --threshold / --config, not the recorded ones)
    $ sparktop --record run.jsonl --cast run.cast   record the samples / the screen (asciicast v2)

  Watch flags (monitor, status, check; env SPARKTOP_KAFKA, SPARKTOP_SPARK_UI, …; or sparktop.config.json)
    --kafka HOST:PORT  --topic T  --group G (consumer-group lag)  --spark-ui URL  --spark-master URL
    --progress-url URL  --refresh 1s  --target-batch 20s  --config FILE  --no-color  --ascii
    --checkpoint DIR  the query's checkpoint folder (read only): Spark's committed offsets, so lag
                      is known without the progress listener
    --app ID|NAME     which of the master's running applications to watch (its driver UI is found on
                      --spark-ui's host, ports from 4040 up); default: the one --spark-ui serves
    --query-name NAME|ID  which streaming query of the application to show (default: the first)
    --target docker|local   (monitor) which lab the hotkeys act on; default: the one that is running
    --threshold name=value  (repeatable; also replay, report) an advisor threshold, e.g. gcRatio=0.2
                            skew.severe=4 raiseAfter=5; config file: "advisor"; names in the README

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
    --acks -1|0|1  --stats-file F  --control-file F  --partition N (every record to partition N: a hot partition)
`;

const str = { type: 'string' } as const;

const flagDefinitions = {
    cacheDir: str,
    python: str,
    partitions: str,
    workers: str,
    workerCores: str,
    workerMemory: str,
    generators: str,
    rps: { type: 'string' as const, aliases: ['targetRps'] },
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
    listenerHost: str,
    docker: str,
    executorCores: str,
    executorMemory: str,
    totalExecutorCores: str,
    numExecutors: str,
    driverMemory: str,
    shufflePartitions: str,
    maxOffsetsPerTrigger: str,
    trigger: str,
    conf: { type: 'string' as const, isMultiple: true as const },
    threshold: { type: 'string' as const, isMultiple: true as const },
    purge: { type: 'boolean' as const },
    json: { type: 'boolean' as const },
    lines: str,
    kafka: str,
    group: str,
    sparkUi: str,
    sparkMaster: str,
    progressUrl: str,
    refresh: str,
    targetBatch: str,
    checkpoint: str,
    app: str,
    queryName: str,
    config: str,
    // meow gives an undeclared boolean `false`, so without this default every run was colourless.
    color: { type: 'boolean' as const, default: true },
    ascii: { type: 'boolean' as const },
    target: str,
    maxBatchMs: str,
    minRatio: str,
    failOn: str,
    additionalTerm: str,
    additionalTermRate: str,
    acks: str,
    statsFile: str,
    controlFile: str,
    partition: str,
    speed: str,
    at: str,
    record: str,
    cast: str,
    output: { type: 'string' as const, shortFlag: 'o' },
    plan: str,
    startRps: str,
    maxRps: str,
    settle: str,
    measure: str,
    steps: str,
    rpsPerGenerator: str,
    maxGenerators: str,
    resume: str,
    tui: { type: 'boolean' as const, default: true },
};

const definedFlags = [...Object.keys(flagDefinitions), 'targetRps', 'o', 'help', 'version'];
const valueFlags = Object.entries(flagDefinitions)
  .filter(([, d]) => d.type === 'string')
  .map(([name]) => name);

const cli = meow(usage, {
  importMeta: import.meta,
  // Unknown flags are reported by dispatch, with the usage, like every other usage error.
  allowUnknownFlags: true,
  autoHelp: true,
  argv: attachDashValues(process.argv.slice(2), valueFlags, definedFlags),
  flags: flagDefinitions,
});

type Flags = typeof cli.flags;

/** Flags each command accepts; anything else given is a usage error (exit 2). */
const LAB = ['cacheDir', 'python', 'kafkaPort', 'kafkaControllerPort', 'masterPort', 'masterUiPort', 'workerUiPort', 'driverUiPort', 'listenerPort', 'topic'];
const RESOURCES = ['executorCores', 'executorMemory', 'totalExecutorCores', 'numExecutors', 'driverMemory', 'shufflePartitions', 'maxOffsetsPerTrigger', 'trigger', 'conf'];
const UP = [...LAB, ...RESOURCES, 'partitions', 'workers', 'workerCores', 'workerMemory', 'generators', 'rps', 'query', 'startingOffsets'];
const WATCH = ['kafka', 'topic', 'group', 'sparkUi', 'sparkMaster', 'progressUrl', 'refresh', 'targetBatch', 'checkpoint', 'app', 'queryName', 'config', 'cacheDir', 'threshold'];
const ALLOWED: Record<string, string[]> = {
  monitor: [...WATCH, 'color', 'ascii', 'record', 'cast', 'target'],
  status: [...WATCH, 'json'],
  check: [...WATCH, 'maxBatchMs', 'minRatio', 'failOn'],
  'lab up': UP,
  start: [...UP, 'record', 'cast', 'color', 'ascii', 'threshold'],
  'lab down': [...LAB, 'purge'],
  'lab status': [...LAB, 'json'],
  'lab logs': [...LAB, 'lines'],
  'lab provision': ['cacheDir', 'python'],
  attach: ['json', 'docker', 'listenerHost', 'listenerPort', 'cacheDir', 'python'],
  submit: [...LAB, ...RESOURCES, 'query', 'startingOffsets'],
  replay: ['speed', 'at', 'color', 'ascii', 'threshold', 'config'],
  report: ['output', 'threshold', 'config'],
  gen: ['kafka', 'topic', 'rps', 'additionalTerm', 'additionalTermRate', 'acks', 'statsFile', 'controlFile', 'partition'],
  sweep: [
    ...WATCH,
    ...RESOURCES,
    'partitions',
    'plan',
    'startRps',
    'maxRps',
    'settle',
    'measure',
    'steps',
    'rpsPerGenerator',
    'maxGenerators',
    'resume',
    'output',
    'record',
    'cast',
    'target',
    'tui',
    'color',
    'ascii',
  ],
};

function usageError(message: string): number {
  process.stderr.write(`sparktop: ${message}\n${usage}\n`);
  return 2;
}

/** Flags whose default is not `undefined`/`false`: at their default they were not given. */
const DEFAULTS: Record<string, unknown> = { color: true, tui: true };

function checkFlags(command: string, flags: Flags): string | null {
  const allowed = ALLOWED[command] ?? [];
  for (const [key, value] of Object.entries(flags)) {
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false && value !== DEFAULTS[key];
    if (given && !allowed.includes(key)) return `--${kebab(key)} does not apply to \`sparktop ${command}\``;
  }
  return null;
}

async function dispatch(input: string[], flags: Flags): Promise<number> {
  const unknown = unknownFlags(cli.unnormalizedFlags, definedFlags);
  if (unknown.length > 0) return usageError(`unknown flag ${unknown.join(', ')}`);
  // meow answers --help only when it is the sole argument; `sparktop status --help` asks for it too.
  if (flags.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const [cmd = 'monitor', sub, ...rest] = input;
  const command = cmd === 'lab' ? `lab ${sub ?? ''}`.trim() : cmd;
  if (!(command in ALLOWED)) return usageError(`unknown command "${input.join(' ')}"`);
  // Commands that take one positional argument: `lab logs <component>`, `replay FILE`, `report FILE`.
  const positional = command === 'lab logs' || command === 'replay' || command === 'report';
  const args = cmd === 'lab' ? rest : [sub, ...rest].filter((x) => x !== undefined);
  const extra = positional ? args.slice(1) : args;
  if (extra.length > 0) return usageError(`unexpected argument "${extra.join(' ')}" for \`sparktop ${command}\``);
  const bad = checkFlags(command, flags);
  if (bad) return usageError(bad);
  // Commands are loaded on use: a usage error or `status` does not pay for Ink and React.
  switch (command) {
    case 'monitor':
      return (await import('./commands/monitor.js')).monitorCommand(flags);
    case 'status':
      return (await import('./commands/status.js')).statusCommand(flags);
    case 'check':
      return (await import('./commands/check.js')).checkCommand(flags);
    case 'lab up':
      return (await import('./commands/lab.js')).labUpCommand(flags);
    case 'start':
      return (await import('./commands/start.js')).startCommand(flags);
    case 'lab down':
      return (await import('./commands/lab.js')).labDownCommand(flags);
    case 'lab status':
      return (await import('./commands/lab.js')).labStatusCommand(flags);
    case 'lab provision':
      return (await import('./commands/lab.js')).labProvisionCommand(flags);
    case 'lab logs':
      return (await import('./commands/lab.js')).labLogsCommand(flags, rest[0]);
    case 'submit':
      return (await import('./commands/submit.js')).submitCommand(flags);
    case 'attach':
      return (await import('./commands/attach.js')).attachCommand(flags);
    case 'replay':
      if (sub === undefined) return usageError('`sparktop replay` needs the recording: sparktop replay FILE');
      return (await import('./commands/replay.js')).replayCommand(sub, { speed: flags.speed, at: flags.at, color: flags.color, ascii: flags.ascii, threshold: flags.threshold, config: flags.config });
    case 'report':
      if (sub === undefined) return usageError('`sparktop report` needs the recording: sparktop report FILE [-o report.md]');
      return (await import('./commands/report.js')).reportCommand(sub, { output: flags.output, threshold: flags.threshold, config: flags.config });
    case 'sweep':
      return (await import('./commands/sweep.js')).sweepCommand(flags);
    case 'gen':
      return (await import('./commands/gen.js')).genCommand({
        broker: flags.kafka,
        topic: flags.topic,
        targetRps: flags.rps,
        additionalTerm: flags.additionalTerm,
        additionalTermRate: flags.additionalTermRate,
        acks: flags.acks,
        statsFile: flags.statsFile,
        controlFile: flags.controlFile,
        partition: flags.partition,
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
