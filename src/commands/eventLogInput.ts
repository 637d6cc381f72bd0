/**
 * Reading the Spark event log a command was given (`--event-log PATH`) as a recording: a header
 * from what the log says of the run, and its samples (src/sources/eventLog/). A path that is not
 * an event log is a message (src/commands/recordingInput.ts), and the command exits 2.
 */
import os from 'node:os';
import path from 'node:path';
import type { Sample } from '../model/samples.js';
import type { Recording, RecordingStream } from '../record/reader.js';
import { RECORDING_FORMAT, sparktopVersion, type RecordingHeader } from '../record/recordingFormat.js';
import type { EventLogInfo } from '../sources/eventLog/convert.js';
import { openEventLog, type EventLogLayout } from '../sources/eventLog/reader.js';

/** How the report and replay label lag measured against Spark's `latestOffset` (KafkaSample.view). */
export const SPARK_VIEW_LAG = "Spark's view at each batch (its latestOffset when it planned the batch; Kafka's log end between batches is not in an event log)";

/** The recording header of an event log: `config` holds what the log tells (app, topic, Spark version). */
export function eventLogHeader(layout: EventLogLayout, info: EventLogInfo, firstT: number | null): RecordingHeader {
  const config: RecordingHeader['config'] = {
    eventLog: path.resolve(layout.path),
    ...(info.appId !== null ? { appId: info.appId } : {}),
    ...(info.appName !== null ? { appName: info.appName } : {}),
    ...(info.sparkVersion !== null ? { sparkVersion: info.sparkVersion } : {}),
    ...(info.topic !== null ? { topic: info.topic, lag: SPARK_VIEW_LAG } : {}),
    ...(layout.inProgress ? { inProgress: true } : {}),
  };
  return {
    sparktop: RECORDING_FORMAT,
    startedAt: info.startedAt ?? firstT ?? 0,
    version: sparktopVersion(),
    config,
    host: { hostname: os.hostname(), platform: `${process.platform}-${process.arch}`, node: process.version },
  };
}

/**
 * The event log as a stream of samples (the report's one pass: memory independent of the log's
 * size). The header needs the run's start, which the log's first events give: the first sample is
 * read before the stream is handed on. EventLogError for a path that is not an event log.
 */
export async function openEventLogStream(given: string): Promise<Pick<RecordingStream, 'header' | 'samples' | 'tornLastLine'>> {
  const stream = await openEventLog(given);
  const first = await stream.samples.next();
  const header = eventLogHeader(stream.layout, stream.info, first.done ? null : first.value.t);
  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    if (first.done) return;
    yield first.value;
    yield* stream.samples;
  }
  return { header, samples: samples(), tornLastLine: () => stream.truncated() };
}

/** The whole event log as a recording (replay steps backwards). EventLogError for a path that is not an event log. */
export async function readEventLog(given: string): Promise<Recording> {
  const stream = await openEventLogStream(given);
  const samples: Sample[] = [];
  for await (const s of stream.samples) samples.push(s);
  return { header: stream.header, samples, tornLastLine: stream.tornLastLine() };
}
