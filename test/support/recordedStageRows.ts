/** Rows per batch (`runId/batchId`) as the recorded stages show them: the evidence the model's rows are checked against. */
import type { EndpointAnswer } from '../../src/sources/answers.js';
import { stageRowsOf } from '../../src/sources/microBatches.js';
import { parseStages } from '../../src/sources/parseDriver.js';

export function recordedStageRows(answers: readonly EndpointAnswer[]): Map<string, number> {
  const stages = answers.filter((a) => a.endpoint === 'driver:/stages' && a.status === 200).flatMap((a) => parseStages('recorded', a.body).stages);
  return stageRowsOf(stages);
}
