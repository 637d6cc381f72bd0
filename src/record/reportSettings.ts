/** The exact settings of each experiment: the spark-submit (or the app's Spark properties) and the generators. */
import type { ExperimentRow } from '../model/derivedTypes.js';
import type { GeneratorsSample } from '../model/samples.js';
import { formatInt } from '../text/format.js';
import type { RunFacts } from './reportRun.js';
import { mdTable, whenIn } from './reportText.js';

/** The generators' settings in force at the end of the segment (the sample that opens the next one is not). */
function generatorsOf(row: ExperimentRow, facts: RunFacts, end: number): GeneratorsSample | null {
  const until = row.end ?? end;
  let found: GeneratorsSample | null = null;
  for (const g of facts.generators) if (g.t < until || (row.end === null && g.t <= until)) found = g.data;
  return found;
}

function requestedText(r: NonNullable<ExperimentRow['resources']['requested']>): string {
  const { conf, ...flags } = r;
  const parts = Object.entries(flags).map(([k, v]) => `${k}=${String(v)}`);
  for (const [k, v] of Object.entries(conf)) parts.push(`--conf ${k}=${v}`);
  return parts.join(', ');
}

export function settingsSection(rows: readonly ExperimentRow[], facts: RunFacts, start: number, end: number): string[] {
  const lines = ['## Experiment settings', ''];
  if (rows.length === 0) return [...lines, 'No experiment segment was recorded.', ''];
  const apps = new Map(facts.apps.map((a) => [a.id, a]));
  const propertiesShown = new Map<string, number>();
  for (const r of rows) {
    lines.push(`### Segment ${r.index} (${r.cause}): ${whenIn(r.start, start)} to ${whenIn(r.end ?? end, start)}`, '', `- app: ${r.appId ?? 'unknown'}; resources: ${r.resourcesLabel}`);
    if (r.resources.requested) lines.push(`- requested by sparktop: ${requestedText(r.resources.requested)}`);
    const props = r.appId ? apps.get(r.appId)?.properties : null;
    const shownIn = r.appId ? propertiesShown.get(r.appId) : undefined;
    if (r.resources.commandLine) lines.push('- spark-submit:', '', '```sh', r.resources.commandLine, '```', '');
    else if (shownIn !== undefined) lines.push(`- not submitted from sparktop during the recording; Spark properties as in segment ${shownIn}`);
    else if (props && Object.keys(props).length > 0) {
      propertiesShown.set(r.appId!, r.index);
      lines.push("- not submitted from sparktop during the recording; the application's Spark properties:", '', ...mdTable(['property', 'value'], Object.entries(props).sort(([a], [b]) => a.localeCompare(b))), '');
    } else lines.push('- not submitted from sparktop during the recording; its Spark properties were not read');
    const gens = generatorsOf(r, facts, end);
    if (lines.at(-1) !== '') lines.push('');
    if (gens && gens.generators.length > 0) {
      const rowsG = gens.generators.map((g) => [g.name, formatInt(g.targetRps), g.paused ? 'yes' : 'no', formatInt(g.achievedRps), formatInt(g.errors)]);
      lines.push('Generators:', '', ...mdTable(['generator', 'target rec/s', 'paused', 'achieved rec/s', 'errors'], rowsG, [1, 3, 4]), '');
    } else lines.push('Generators: not recorded (sparktop did not run them).', '');
  }
  return lines;
}
