/**
 * One entry per command: its name, one-line summary, usage, flags and how it runs. The global help,
 * each command's `--help`, the "does not apply" errors and the dispatch all come from here.
 * Commands are loaded on use: a usage error or `status` does not pay for Ink and React.
 */
import { FLAG_DEFAULTS, LAB_FLAGS, RESOURCE_FLAGS, UP_FLAGS, WATCH_FLAGS, type FlagName, type Flags } from './cliFlags.js';
import { kebab } from '../text/kebab.js';
import { HELP_SECTIONS, SECTION_ORDER, type HelpSection } from './helpText.js';

export interface CommandEntry {
  /** As typed: `status`, `lab up`. */
  name: string;
  summary: string;
  /** After `sparktop `: `status [--json]`. */
  usage: string;
  /** Lines under the usage in this command's --help (its own flags). */
  details?: string;
  flags: readonly FlagName[];
  sections: readonly HelpSection[];
  /**
   * A positional argument (`replay FILE`): the message when it is missing, when it is required;
   * `unless`: a flag that stands in for it (never both).
   */
  positional?: { name: string; missing?: string; unless?: FlagName };
  run: (flags: Flags, positional: string | undefined) => Promise<number>;
}

const SWEEP_FLAGS: FlagName[] = [
  ...WATCH_FLAGS,
  ...RESOURCE_FLAGS,
  'partitions',
  'plan',
  'startRps',
  'maxRps',
  'settle',
  'measure',
  'maxMeasure',
  'steps',
  'rpsPerGenerator',
  'maxGenerators',
  'resume',
  'output',
  'force',
  'record',
  'cast',
  'target',
  'tui',
  'color',
  'ascii',
];

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'monitor',
    summary: 'full-screen live view (local lab by default)',
    usage: '[monitor] [--record run.jsonl] [--cast run.cast] [--metrics HOST:PORT]',
    details: '    --record FILE  every sample, action and mark as JSON Lines    --cast FILE  the screen as asciicast v2\n    --metrics HOST:PORT  /metrics for Prometheus (OpenMetrics), loopback unless another host is given',
    flags: [...WATCH_FLAGS, 'color', 'ascii', 'record', 'cast', 'target', 'metrics'],
    sections: ['watch'],
    run: async (f) => (await import('./monitor.js')).monitorCommand(f),
  },
  {
    name: 'serve',
    summary: 'no screen: /metrics for Prometheus from the same model, until stopped',
    usage: 'serve --metrics HOST:PORT',
    details: '    --metrics HOST:PORT  where to serve /metrics (OpenMetrics text); 127.0.0.1 unless another host is given',
    flags: [...WATCH_FLAGS, 'metrics'],
    sections: ['watch'],
    run: async (f) => (await import('./serve.js')).serveCommand(f),
  },
  {
    name: 'status',
    summary: 'one snapshot, no TUI',
    usage: 'status [--json]',
    flags: [...WATCH_FLAGS, 'json'],
    sections: ['watch'],
    run: async (f) => (await import('./status.js')).statusCommand(f),
  },
  {
    name: 'check',
    summary: 'exit 0 healthy, 1 unhealthy, 2 unreachable or unknown',
    usage: 'check [--max-batch-ms N] [--min-ratio R] [--fail-on error|warn|info|none|<finding ids>]',
    flags: [...WATCH_FLAGS, 'maxBatchMs', 'minRatio', 'failOn'],
    sections: ['watch'],
    run: async (f) => (await import('./check.js')).checkCommand(f),
  },
  {
    name: 'lab up',
    summary: 'start the local lab (Kafka, Spark, the job, the generators)',
    usage: 'lab up [lab flags] [resource flags]',
    flags: UP_FLAGS,
    sections: ['lab', 'resources'],
    run: async (f) => (await import('./lab.js')).labUpCommand(f),
  },
  {
    name: 'lab down',
    summary: 'stop everything the lab started, by pid',
    usage: 'lab down [--purge]',
    flags: [...LAB_FLAGS, 'purge'],
    sections: ['lab'],
    run: async (f) => (await import('./lab.js')).labDownCommand(f),
  },
  {
    name: 'lab status',
    summary: "each component of the lab: up or down, pid, port, URL, log",
    usage: 'lab status [--json]',
    flags: [...LAB_FLAGS, 'json'],
    sections: ['lab'],
    run: async (f) => (await import('./lab.js')).labStatusCommand(f),
  },
  {
    name: 'lab logs',
    summary: "the last lines of a component's log",
    usage: 'lab logs <component> [--lines N]',
    flags: [...LAB_FLAGS, 'lines'],
    sections: ['lab'],
    positional: { name: 'component' },
    run: async (f, component) => (await import('./lab.js')).labLogsCommand(f, component),
  },
  {
    name: 'lab provision',
    summary: 'download and verify what the lab needs; build the listener jar',
    usage: 'lab provision',
    flags: ['cacheDir', 'python'],
    sections: [],
    run: async (f) => (await import('./lab.js')).labProvisionCommand(f),
  },
  {
    name: 'gen',
    summary: 'load generator in the foreground',
    usage: 'gen [generator flags]',
    flags: ['kafka', 'kafkaConfig', 'topic', 'rps', 'additionalTerm', 'additionalTermRate', 'acks', 'statsFile', 'controlFile', 'partition', 'producer', 'seed', 'threads'],
    sections: ['generator'],
    run: async (f) =>
      (await import('./gen.js')).genCommand({
        broker: f.kafka,
        topic: f.topic,
        targetRps: f.rps,
        additionalTerm: f.additionalTerm,
        additionalTermRate: f.additionalTermRate,
        acks: f.acks,
        statsFile: f.statsFile,
        controlFile: f.controlFile,
        partition: f.partition,
        producer: f.producer,
        seed: f.seed,
        threads: f.threads,
      }, f.kafkaConfig),
  },
  {
    name: 'submit',
    summary: '(re)submit the logs job to the local lab',
    usage: 'submit [resource flags]',
    flags: [...LAB_FLAGS, ...RESOURCE_FLAGS, 'query', 'startingOffsets'],
    sections: ['resources'],
    run: async (f) => (await import('./submit.js')).submitCommand(f),
  },
  {
    name: 'start',
    summary: 'lab up, then the monitor (what `npm start` runs)',
    usage: 'start [lab flags] [resource flags]',
    flags: [...UP_FLAGS, 'record', 'cast', 'color', 'ascii', 'threshold'],
    sections: ['lab', 'resources'],
    run: async (f) => (await import('./start.js')).startCommand(f),
  },
  {
    name: 'attach',
    summary: 'the spark-submit options that give any job the progress listener',
    usage: 'attach [--json] [--lab] [--docker CONTAINER] [--listener-port 4090] [--listener-host H]',
    details: `    --json               {"args": [...], "progressUrl": ..., "labArgs": [...]} instead of text
    --lab                also what a job needs to run on the local lab (its Spark secret, a 0600 file)
    --docker CONTAINER   put the jar where a job submitted in that container reads it (binds 0.0.0.0)
    --listener-port N    the port the listener serves on (4090)   --listener-host H  its address (127.0.0.1)`,
    flags: ['json', 'lab', 'docker', 'listenerHost', 'listenerPort', 'cacheDir', 'python'],
    sections: [],
    run: async (f) => (await import('./attach.js')).attachCommand(f),
  },
  {
    name: 'sweep',
    summary: 'the highest sustainable rate per configuration',
    usage: 'sweep [lists] [-o sweep.md [--force]]',
    details: `    e.g. --executor-cores 1,2 --total-executor-cores 1,2 --shuffle-partitions 2,8,200 [--partitions 2,4]
    [--plan FILE] [--target-batch 20s] [--start-rps 5000] [--max-rps N] [--settle 60s] [--measure 120s]
    [--max-measure 4×measure] [--steps 10] [--rps-per-generator 40000] [--max-generators 4]
    [--resume sweep.json] [--no-tui]
    --max-measure D  a window with fewer than 3 batches is measured longer, up to D in all
               (default 4 × --measure); still short of them, the step is inconclusive and ends
               that configuration's search (the table says so)
    -o out.md  results in out.md and out.json; existing ones are left alone (exit 2) unless --force
               (--resume updates its own)`,
    flags: SWEEP_FLAGS,
    sections: ['watch', 'resources'],
    run: async (f) => (await import('./sweep.js')).sweepCommand(f),
  },
  {
    name: 'replay',
    summary: 'a recording (--record) or a Spark event log on the same screen; space ← → > <',
    usage: 'replay FILE | --event-log PATH [--speed N] [--at 1:30]',
    details: `    --event-log PATH  a Spark event log instead (file or eventlog_v2_* folder; plain, zstd, lz4, snappy)
    the advisor uses --threshold / --config, not the recorded ones`,
    flags: ['speed', 'at', 'color', 'ascii', 'threshold', 'config', 'eventLog'],
    sections: [],
    positional: { name: 'FILE', missing: '`sparktop replay` needs the recording: sparktop replay FILE (or --event-log PATH)', unless: 'eventLog' },
    run: async (f, file) =>
      (await import('./replay.js')).replayCommand(file ?? f.eventLog!, { speed: f.speed, at: f.at, color: f.color, ascii: f.ascii, threshold: f.threshold, config: f.config, eventLog: f.eventLog }),
  },
  {
    name: 'report',
    summary: 'a recording or a Spark event log as a Markdown report (stdout without -o)',
    usage: 'report FILE | --event-log PATH [-o report.md [--force]]',
    details: `    -o FILE    write the report into FILE; an existing FILE is left alone (exit 2) unless --force
    --event-log PATH  a Spark event log instead (file or eventlog_v2_* folder; plain, zstd, lz4, snappy)
    the advisor uses --threshold / --config, not the recorded ones`,
    flags: ['output', 'force', 'threshold', 'config', 'eventLog'],
    sections: [],
    positional: { name: 'FILE', missing: '`sparktop report` needs the recording: sparktop report FILE [-o report.md] (or --event-log PATH)', unless: 'eventLog' },
    run: async (f, file) => (await import('./report.js')).reportCommand(file ?? f.eventLog!, { output: f.output, force: f.force, threshold: f.threshold, config: f.config, eventLog: f.eventLog }),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

const SUMMARY_COLUMN = 41;

function usageLine(c: CommandEntry): string {
  const head = `    $ sparktop ${c.usage}`;
  return head.length < SUMMARY_COLUMN ? `${head.padEnd(SUMMARY_COLUMN)}${c.summary}` : `${head}\n${' '.repeat(SUMMARY_COLUMN)}${c.summary}`;
}

/** `sparktop --help`: every command, then every flag section. */
export function globalHelp(): string {
  return ['', '  Usage', ...COMMANDS.map(usageLine), '', ...SECTION_ORDER.flatMap((s) => [HELP_SECTIONS[s], '']), ''].join('\n');
}

/** The commands of a group (`lab`): the first word of their names. */
export function groupCommands(group: string): CommandEntry[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${group} `));
}

/** `sparktop lab --help`: the group's commands and the flag sections they take, no other command. */
export function groupHelp(group: string): string {
  const members = groupCommands(group);
  const sections = SECTION_ORDER.filter((s) => members.some((c) => c.sections.includes(s)));
  return `${['', '  Usage', ...members.map(usageLine), '', ...sections.flatMap((s) => [HELP_SECTIONS[s], ''])].join('\n')}\n`;
}

/** `sparktop <command> --help`: its usage and summary, its own flags, the flag sections it takes. */
export function commandHelp(c: CommandEntry): string {
  const lines = ['', '  Usage', `    $ sparktop ${c.usage}`, '', `  ${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`, ''];
  if (c.details) lines.push(c.details, '');
  for (const s of c.sections) lines.push(HELP_SECTIONS[s], '');
  return `${lines.join('\n')}\n`;
}

/** The first flag given that the command does not take, as an error message (null: all apply). */
export function inapplicableFlag(c: CommandEntry, flags: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(flags)) {
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false && value !== FLAG_DEFAULTS[key as FlagName];
    if (given && !(c.flags as readonly string[]).includes(key)) return `--${kebab(key)} does not apply to \`sparktop ${c.name}\``;
  }
  return null;
}
