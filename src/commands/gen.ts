import { runGenerator } from '../generator/generator.js';
import { runThreadedGenerator } from '../generator/threadedGenerator.js';
import { checkProducerAuth, resolveGeneratorOptions, type GeneratorOverrides } from '../generator/options.js';
import { readKafkaClientConfig } from '../config/kafkaClientFile.js';
import { kafkaClientConfigFor } from '../config/watchConfig.js';
import { labWatchDefaults } from '../lab/watchDefaults.js';
import { interruptSignal } from './interrupt.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** `sparktop gen`: the load generator in the foreground (env as the classroom image, flags override). */
export async function genCommand(overrides: GeneratorOverrides, kafkaConfig?: string): Promise<number> {
  const opts = resolveGeneratorOptions(process.env, overrides);
  // A file, not the password on the command line: any user can read a process's arguments. The
  // running local lab's broker is logged in to by itself, as the monitor does.
  const login = kafkaClientConfigFor(opts.brokers.join(','), kafkaConfig, labWatchDefaults(undefined));
  if (login) opts.kafkaAuth = readKafkaClientConfig(login);
  checkProducerAuth(opts.producer, opts.kafkaAuth);
  const { signal, dispose } = interruptSignal(say);
  try {
    const run = opts.threads === 1 ? runGenerator : runThreadedGenerator;
    const totals = await run(opts, { signal, log: say });
    const code = totals.errors > 0 ? 1 : 0;
    // A connection attempt interrupted by the stop can hold the event loop for a while; do not wait for it.
    setTimeout(() => process.exit(code), 1000).unref();
    return code;
  } finally {
    dispose();
  }
}
