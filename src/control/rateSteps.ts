/** Rate steps for `]` / `[`: 1k, 2k, 5k, 10k, 20k, 50k, 100k, … (records/s per generator). */
export function rateSteps(max = 10_000_000): number[] {
  const steps: number[] = [];
  for (let decade = 1000; decade <= max; decade *= 10) for (const m of [1, 2, 5]) if (m * decade <= max) steps.push(m * decade);
  return steps;
}

/** The next step above `current` (or the same value at the top). */
export function nextRate(current: number): number {
  return rateSteps().find((s) => s > current) ?? current;
}

/** The next step below `current` (or the lowest step). */
export function previousRate(current: number): number {
  const below = rateSteps().filter((s) => s < current);
  return below.at(-1) ?? rateSteps()[0]!;
}
