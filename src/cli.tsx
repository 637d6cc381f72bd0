import meow from 'meow';
import { attachDashValues, unknownFlags } from './commands/cliArgs.js';
import { definedFlags, flagDefinitions, valueFlags, type Flags } from './commands/cliFlags.js';
import { commandHelp, findCommand, globalHelp, groupCommands, groupHelp, inapplicableFlag, type CommandEntry } from './commands/registry.js';
import { InvalidConfigFile } from './config/watchConfig.js';
import { InvalidResource } from './domain/resources.js';
import { GeneratorOptionsError } from './generator/options.js';
import { MissingPrerequisite } from './lab/provision/prereqs.js';
import { kebab } from './text/kebab.js';

const cli = meow(globalHelp(), {
  importMeta: import.meta,
  // Unknown flags are reported by dispatch, with the usage, like every other usage error.
  allowUnknownFlags: true,
  autoHelp: true,
  argv: attachDashValues(process.argv.slice(2), valueFlags, definedFlags),
  flags: flagDefinitions,
});
// meow names the process after the package, so ps and /proc showed every monitor, generator and
// server as a bare "sparktop": name it with its command and arguments.
process.title = ['sparktop', ...process.argv.slice(2)].join(' ');

/**
 * A usage error: the message, then the command's help (its group's for `lab` or `lab <unknown>`,
 * the global one when no command is known).
 */
function usageError(message: string, command?: CommandEntry, group?: string): number {
  process.stderr.write(`sparktop: ${message}\n${command ? commandHelp(command) : group ? groupHelp(group) : globalHelp()}\n`);
  return 2;
}

async function dispatch(input: string[], flags: Flags): Promise<number> {
  const [cmd = 'monitor', sub, ...rest] = input;
  const name = cmd === 'lab' ? `lab ${sub ?? ''}`.trim() : cmd;
  const command = findCommand(name);
  const group = groupCommands(cmd).length > 0 ? cmd : undefined;
  const unknown = unknownFlags(cli.unnormalizedFlags, definedFlags);
  if (unknown.length > 0) return usageError(`unknown flag ${unknown.join(', ')}`, command, group);
  // meow answers --help only when it is the sole argument; `sparktop status --help` asks for it too.
  if (flags.help) {
    process.stdout.write(command ? commandHelp(command) : group ? groupHelp(group) : `${globalHelp()}\n`);
    return 0;
  }
  if (!command && group && sub === undefined) return usageError(`\`sparktop ${group}\` needs a command: ${groupCommands(group).map((c) => c.name.slice(group.length + 1)).join(', ')}`, undefined, group);
  if (!command) return usageError(`unknown command "${input.join(' ')}"`, undefined, group);
  const args = cmd === 'lab' ? rest : [sub, ...rest].filter((x): x is string => x !== undefined);
  const positional = command.positional ? args[0] : undefined;
  const extra = command.positional ? args.slice(1) : args;
  if (extra.length > 0) return usageError(`unexpected argument "${extra.join(' ')}" for \`sparktop ${command.name}\``, command);
  const bad = inapplicableFlag(command, flags);
  if (bad) return usageError(bad, command);
  const standIn = command.positional?.unless;
  if (standIn && flags[standIn] !== undefined && positional !== undefined) {
    return usageError(`\`sparktop ${command.name}\` reads ${command.positional!.name} or --${kebab(standIn)}, not both`, command);
  }
  if (command.positional?.missing && positional === undefined && !(standIn && flags[standIn] !== undefined)) return usageError(command.positional.missing, command);
  return command.run(flags, positional);
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
