import { labDown } from '../lab/down.js';
import { labConfigFromFlags, type LabFlags } from '../lab/labFlags.js';
import { driverUi, kafkaBootstrap, listenerUrl, masterUi } from '../lab/labConfig.js';
import { labPaths } from '../lab/paths.js';
import { existingLabKafkaAuth } from '../lab/kafkaAuth.js';
import { provision } from '../lab/provision/provision.js';
import { tailFile } from '../lab/processes.js';
import { readState } from '../lab/state.js';
import { formatLabStatus, labStatus, labStatusServing } from '../lab/status.js';
import { labUp } from '../lab/up.js';
import { interruptSignal } from './interrupt.js';
import { exitCodeOf } from './stopSignals.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function labUpCommand(flags: LabFlags): Promise<number> {
  const config = labConfigFromFlags(flags);
  const { signal, dispose, stoppedBy } = interruptSignal(say);
  try {
    const t0 = Date.now();
    const result = await labUp({ config, log: say, signal });
    const paths = labPaths(config.cacheDir);
    if (result.started.length > 0) say(`\nThe local lab is up (${((Date.now() - t0) / 1000).toFixed(0)} s).`);
    say('');
    say(formatLabStatus(labStatus(paths)));
    say('');
    say(`Kafka bootstrap  ${kafkaBootstrap(config)}   topic ${config.topic}`);
    say(`Spark master     ${masterUi(config)}   driver ${driverUi(config)}   progress ${listenerUrl(config)}/progress`);
    say('Only you can submit to this Spark cluster or kill its applications (your jobs: `sparktop attach --lab`).');
    say(
      existingLabKafkaAuth(paths)
        ? `Kafka takes only the lab's user (SASL/PLAIN; its login for Kafka's tools: --command-config ${paths.kafkaClientConfigFile}).`
        : 'Kafka takes any local client: it was started by an older sparktop (`sparktop lab down`, then `lab up`, gives it a login).',
    );
    say(`Stop it with \`sparktop lab down\`; logs with \`sparktop lab logs <component>\`.`);
    return 0;
  } catch (err) {
    if (signal.aborted) {
      say('Interrupted; everything started by this command was stopped.');
      return exitCodeOf(stoppedBy() ?? 'SIGINT');
    }
    throw err;
  } finally {
    dispose();
  }
}

export async function labDownCommand(flags: LabFlags & { purge?: boolean }): Promise<number> {
  const config = labConfigFromFlags(flags);
  await labDown(labPaths(config.cacheDir), { purge: Boolean(flags.purge), log: say });
  return 0;
}

/** Exit 0 when every component is up and does its job, 1 otherwise. */
export async function labStatusCommand(flags: LabFlags & { json?: boolean }): Promise<number> {
  const config = labConfigFromFlags(flags);
  const status = await labStatusServing(labPaths(config.cacheDir), config);
  if (flags.json) say(JSON.stringify(status, null, 2));
  else say(formatLabStatus(status));
  return status.components.length > 0 && status.components.every((c) => c.up && c.serving !== false) ? 0 : 1;
}

export function labLogsCommand(flags: LabFlags & { lines?: unknown }, component: string | undefined): number {
  const config = labConfigFromFlags(flags);
  const state = readState(labPaths(config.cacheDir).stateFile);
  const names = Object.keys(state.components);
  const rec = component ? state.components[component] : undefined;
  if (!rec) {
    process.stderr.write(
      `${component ? `no lab component named "${component}"` : 'name a component'}; known: ${names.length ? names.join(', ') : '(the lab is not running)'}\n`,
    );
    return 2;
  }
  const lines = flags.lines === undefined ? 100 : Number(flags.lines);
  if (!Number.isInteger(lines) || lines < 1) {
    process.stderr.write(`--lines: expected a positive integer, got "${String(flags.lines)}"\n`);
    return 2;
  }
  say(`==> ${rec.log} <==`);
  say(tailFile(rec.log, lines));
  return 0;
}

/** `lab provision`: fetch and verify everything the lab needs, start nothing (classroom preparation, CI). */
export async function labProvisionCommand(flags: LabFlags): Promise<number> {
  const config = labConfigFromFlags(flags);
  const t0 = Date.now();
  const prov = await provision(labPaths(config.cacheDir), config.python, say);
  say(`Provisioned in ${((Date.now() - t0) / 1000).toFixed(1)} s (cache ${config.cacheDir}):`);
  say(`  Java ${prov.prereqs.javaMajor}, Python ${prov.prereqs.pythonVersion}, pyspark ${prov.pythonEnv.pysparkVersion} at ${prov.pythonEnv.sparkHome}`);
  say(`  Kafka broker: ${prov.kafkaJars.length} jars; Spark Kafka connector: ${prov.connectorJars.length} jars`);
  say(`  progress listener ${prov.listenerJar.jar}; master UI guard ${prov.uiGuardJar.jar}`);
  return 0;
}
