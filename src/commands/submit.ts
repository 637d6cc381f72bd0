import { BASELINE_RESOURCES, parseResources } from '../control/resources.js';
import { labConfigFromFlags, type LabFlags } from '../lab/labFlags.js';
import { labPaths } from '../lab/paths.js';
import { provision } from '../lab/provision/provision.js';
import { isAlive } from '../lab/processes.js';
import { readState, updateState } from '../lab/state.js';
import { submitJob } from '../lab/submit.js';
import { acquireLock } from '../lab/lock.js';
import { interruptSignal } from './interrupt.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `sparktop submit`: resubmits the logs job to the running local lab with the given resources
 * (flags not given take the classroom baseline), and waits for its first batch.
 */
export async function submitCommand(flags: LabFlags): Promise<number> {
  const fromFlags = labConfigFromFlags(flags);
  const paths = labPaths(fromFlags.cacheDir);
  const state = readState(paths.stateFile);
  const master = state.components['spark-master'];
  if (!state.config || !master || !isAlive(master)) {
    process.stderr.write('The local lab\'s Spark master is not running: start the lab with `sparktop lab up` first.\n');
    return 2;
  }
  const config = {
    ...state.config,
    topic: flags.topic !== undefined ? fromFlags.topic : state.config.topic,
    query: flags.query !== undefined ? fromFlags.query : state.config.query,
    startingOffsets: flags.startingOffsets !== undefined ? fromFlags.startingOffsets : state.config.startingOffsets,
    resources: parseResources(flags, { ...BASELINE_RESOURCES, driverMemory: state.config.resources.driverMemory ?? '1g' }),
  };
  const { signal, dispose } = interruptSignal(say);
  const release = acquireLock(paths.lockFile, 'submit');
  try {
    const prov = await provision(paths, config.python, say);
    say('Resubmitting the logs job:');
    const result = await submitJob({ config, paths, prov, resources: config.resources, log: say, signal, waitForFirstBatch: true });
    updateState(paths.stateFile, (s) => {
      s.config = config;
    });
    say(`\n${result.appId} is running. spark-submit command line:\n${result.commandLine}`);
    return 0;
  } finally {
    release();
    dispose();
  }
}
