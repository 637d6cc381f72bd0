import { runGenerator } from '../generator/generator.js';
import { resolveGeneratorOptions, type GeneratorOverrides } from '../generator/options.js';
import { interruptSignal } from './interrupt.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** `sparktop gen`: the load generator in the foreground (env as the classroom image, flags override). */
export async function genCommand(overrides: GeneratorOverrides): Promise<number> {
  const opts = resolveGeneratorOptions(process.env, overrides);
  const { signal, dispose } = interruptSignal(say);
  try {
    const totals = await runGenerator(opts, { signal, log: say });
    return totals.errors > 0 ? 1 : 0;
  } finally {
    dispose();
  }
}
