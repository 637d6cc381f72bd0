import fs from 'node:fs';
import path from 'node:path';
import type { LabConfig } from './labConfig.js';
import { kafkaBootstrap } from './labConfig.js';
import type { LabPaths } from './paths.js';
import { SPARKTOP_BIN } from './paths.js';
import { writeJsonFileAtomic } from '../files/jsonFile.js';
import type { DetachedSpec } from './processes.js';
import type { GeneratorStatsFile } from '../generator/stats.js';

export interface GeneratorFiles {
  statsFile: string;
  controlFile: string;
}

export function generatorFiles(paths: LabPaths, index: number): GeneratorFiles {
  return {
    statsFile: path.join(paths.generatorsDir, `generator-${index}.stats.json`),
    controlFile: path.join(paths.generatorsDir, `generator-${index}.control.json`),
  };
}

/** `sparktop gen` as a detached child, with its rate adjustable through the control file. */
export function generatorSpec(config: LabConfig, paths: LabPaths, index: number, logFile: string): DetachedSpec {
  const files = generatorFiles(paths, index);
  fs.mkdirSync(paths.generatorsDir, { recursive: true });
  fs.rmSync(files.statsFile, { force: true });
  writeJsonFileAtomic(files.controlFile, { targetRps: config.rps, paused: false });
  return {
    command: process.execPath,
    args: [
      SPARKTOP_BIN,
      'gen',
      '--kafka',
      kafkaBootstrap(config),
      // The lab's Kafka login, by file: a process's arguments are readable by every user.
      ...(fs.existsSync(paths.kafkaClientConfigFile) ? ['--kafka-config', paths.kafkaClientConfigFile] : []),
      '--topic',
      config.topic,
      '--rps',
      String(config.rps),
      // The classroom generator's values: the Activity 3 query counts this term.
      '--additional-term',
      'crash',
      '--additional-term-rate',
      '100',
      '--stats-file',
      files.statsFile,
      '--control-file',
      files.controlFile,
      // `]` can raise the rate past what one thread makes: the generator then adds threads.
      '--threads',
      'auto',
    ],
    logFile,
  };
}

/** One generator's stats file (src/generator/stats.ts), or null while it is missing or being replaced. */
export function readGeneratorStatsFile(file: string): GeneratorStatsFile | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as GeneratorStatsFile;
  } catch {
    return null;
  }
}
