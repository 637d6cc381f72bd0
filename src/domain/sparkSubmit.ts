import type { JobResources } from './resources.js';

export interface SubmitInputs {
  sparkSubmit: string;
  master: string;
  appFile: string;
  pyFiles: string[];
  jars: string[];
  /** Maven coordinates resolved by spark-submit itself (`--packages`), as the classroom submits the Kafka connector. */
  packages?: string[];
  resources: JobResources;
  appName: string;
  /** The job's own options (bootstrap servers, topic, trigger, …; docs/ARCHITECTURE.md "Submitting the job"), passed after the app file. */
  jobArgs: Record<string, string>;
  /** Extra Spark properties the lab always sets (driver host, UI port, …); user --conf wins over them. */
  labConf: Record<string, string>;
}

export interface SubmitPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The job's own options that come from the resources (they are not Spark properties). */
export function jobArgsFromResources(r: JobResources): Record<string, string> {
  const args: Record<string, string> = {};
  if (r.maxOffsetsPerTrigger !== undefined) args['max-offsets-per-trigger'] = String(r.maxOffsetsPerTrigger);
  if (r.trigger !== undefined) args.trigger = r.trigger;
  return args;
}

/** spark-submit as an argument array: never a shell string. */
export function buildSparkSubmit(inputs: SubmitInputs): SubmitPlan {
  const r = inputs.resources;
  const args = ['--master', inputs.master, '--deploy-mode', 'client', '--name', inputs.appName];
  if (inputs.packages && inputs.packages.length > 0) args.push('--packages', inputs.packages.join(','));
  if (inputs.jars.length > 0) args.push('--jars', inputs.jars.join(','));
  if (inputs.pyFiles.length > 0) args.push('--py-files', inputs.pyFiles.join(','));
  if (r.driverMemory !== undefined) args.push('--driver-memory', r.driverMemory);
  if (r.executorCores !== undefined) args.push('--executor-cores', String(r.executorCores));
  if (r.executorMemory !== undefined) args.push('--executor-memory', r.executorMemory);
  if (r.totalExecutorCores !== undefined) args.push('--total-executor-cores', String(r.totalExecutorCores));
  if (r.numExecutors !== undefined) args.push('--num-executors', String(r.numExecutors));
  const conf: Record<string, string> = { ...inputs.labConf };
  // spark-submit drops --num-executors for a standalone master (only YARN and Kubernetes read it), and
  // a standalone master never reads spark.executor.instances without dynamic allocation. Set, it
  // records the request in the app's environment, where the advisor can compare it with what ran.
  if (r.numExecutors !== undefined && inputs.master.startsWith('spark://')) conf['spark.executor.instances'] = String(r.numExecutors);
  if (r.shufflePartitions !== undefined) conf['spark.sql.shuffle.partitions'] = String(r.shufflePartitions);
  Object.assign(conf, r.conf);
  for (const key of Object.keys(conf).sort()) args.push('--conf', `${key}=${conf[key]}`);
  args.push(inputs.appFile);
  for (const [key, value] of Object.entries({ ...inputs.jobArgs, ...jobArgsFromResources(r) })) args.push(`--${key}`, value);
  return { command: inputs.sparkSubmit, args, env: {} };
}

/** A word quoted for a POSIX shell, for people to read and paste (sparktop itself never runs a shell). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command as a person would type it (for display and reports only; it is never executed as a string). */
export function formatCommandLine(plan: SubmitPlan): string {
  const env = Object.entries(plan.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...env, shellQuote(plan.command), ...plan.args.map(shellQuote)].join(' ');
}
