/**
 * What a panel says when it lacks data, and the exact remedy: a job without the progress listener
 * gets it with the spark-submit options `sparktop attach` prints; the lag also comes from the
 * query's checkpoint (`--checkpoint DIR`). Pure.
 */
import type { LagUnknownReason } from '../model/derivedTypes.js';
import { textWidth } from '../text/cells.js';

const LAG_UNKNOWN: Record<LagUnknownReason, string[]> = {
  'no-progress': [
    'lag unknown: no progress listener answers — add the options `sparktop attach` prints to spark-submit, or watch with --checkpoint DIR',
    'lag unknown: no listener — `sparktop attach` options, or --checkpoint DIR',
    'lag unknown: sparktop attach, or --checkpoint DIR',
    'lag unknown: see sparktop attach',
  ],
  'new-run': ['lag unknown until the new run commits its first batch', 'lag unknown until the new run commits', 'lag unknown: new run'],
  'topic-recreated': ['lag unknown: the topic was recreated; until Spark commits offsets of the new topic', 'lag unknown: topic recreated', 'topic recreated'],
  'no-commit-yet': ['lag unknown until the job completes its first batch', 'lag unknown until the first batch', 'no batch yet'],
};

/** The partitions panel's line when the lag is unknown, the longest form that fits `width`. */
export function lagUnknownText(reason: LagUnknownReason, width: number): string {
  const forms = LAG_UNKNOWN[reason];
  return forms.find((f) => textWidth(f) <= width) ?? forms[forms.length - 1]!;
}

const PROGRESS_REMEDY = [
  'no listener in the job? add the options `sparktop attach` prints',
  'no listener? add the options `sparktop attach` prints',
  'no listener? sparktop attach',
  'sparktop attach',
];

/** Under the progress source's outage line: how to give a job the listener (most often it never had one). */
export function progressRemedyText(width: number): string {
  return PROGRESS_REMEDY.find((f) => textWidth(f) <= width) ?? PROGRESS_REMEDY[PROGRESS_REMEDY.length - 1]!;
}
