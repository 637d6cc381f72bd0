/** Recordings for tests: a WatchConfig to put in headers, temp files, and a fixture written as a recording. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WatchConfig } from '../../src/config/watchConfig.js';
import { watchConfigFor } from '../../src/commands/watchConfig.js';
import type { Sample } from '../../src/model/samples.js';
import { openRecorder } from '../../src/record/recorder.js';

const dirs: string[] = [];

/** A folder that does not exist: no lab state, no sparktop.config.json. */
const NOWHERE = path.join(os.tmpdir(), 'sparktop-test-nowhere');

/** The effective configuration of a monitor watching the default local ports (no lab, no env, no config file). */
export const TEST_CONFIG: WatchConfig = watchConfigFor({ kafka: '127.0.0.1:9094', sparkUi: 'http://127.0.0.1:4040', cacheDir: NOWHERE }, {}, NOWHERE);

/** A fresh temp directory, removed by `removeTempDirs`. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-rec-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `samples` as a recording (recorder closed) and returns its path. */
export async function writeRecording(samples: readonly Sample[], config: WatchConfig = TEST_CONFIG): Promise<string> {
  const file = path.join(tempDir(), 'run.jsonl');
  const recorder = openRecorder(file, config, samples[0]?.t ?? 0);
  for (const s of samples) recorder.record(s);
  await recorder.close();
  return file;
}

/** What a sample is after a trip through JSON (what a reader can give back). */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
