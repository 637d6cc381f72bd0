import { BASELINE_RESOURCES, parseResources } from '../domain/resources.js';
import { labConfigFromFlags, type LabFlags } from '../lab/labFlags.js';
import { labPaths } from '../lab/paths.js';
import { resubmitLab, runningLabConfig } from '../lab/resubmit.js';
import { interruptSignal } from './interrupt.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `sparktop submit`: resubmits the logs job to the running local lab with the given resources
 * (flags not given take the classroom baseline), and waits for its first batch.
 */
export async function submitCommand(flags: LabFlags): Promise<number> {
  const fromFlags = labConfigFromFlags(flags);
  const paths = labPaths(fromFlags.cacheDir);
  const running = runningLabConfig(paths);
  if (typeof running === 'string') {
    process.stderr.write(`${running[0]!.toUpperCase()}${running.slice(1)}.\n`);
    return 2;
  }
  const config = {
    ...running,
    topic: flags.topic !== undefined ? fromFlags.topic : running.topic,
    query: flags.query !== undefined ? fromFlags.query : running.query,
    startingOffsets: flags.startingOffsets !== undefined ? fromFlags.startingOffsets : running.startingOffsets,
    resources: parseResources(flags, { ...BASELINE_RESOURCES, driverMemory: running.resources.driverMemory ?? '1g' }),
  };
  const { signal, dispose } = interruptSignal(say);
  try {
    say('Resubmitting the logs job:');
    const result = await resubmitLab({ paths, config, log: say, signal });
    say(`\n${result.appId} is running. spark-submit command line:\n${result.commandLine}`);
    return 0;
  } finally {
    dispose();
  }
}
