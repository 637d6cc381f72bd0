/**
 * A stand-in for the Docker CLI only: a `docker` executable put first on PATH that appends its
 * argv (and the TARGET_RPS it was given) as one JSON line to a log, and prints canned
 * `docker compose ps --format json` output. It starts no container.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DockerCallRecord {
  args: string[];
  targetRps: string | null;
}

export interface FakeDocker {
  binDir: string;
  /** What `ps` prints for the generators project (-f given) and for the lab project. */
  setPs(which: 'generators' | 'lab', stdout: string): void;
  calls(): DockerCallRecord[];
  /** Puts the stand-in first on PATH; returns the function that restores PATH. */
  install(): () => void;
}

const made: string[] = [];
process.once('exit', () => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A stand-in `docker` executable in a temp folder of its own (deleted when the process exits). */
export function fakeDocker(): FakeDocker {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparktop-fake-docker-'));
  made.push(dir);
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir);
  const log = path.join(dir, 'calls.jsonl');
  const psFile = (which: string) => path.join(dir, `ps-${which}.out`);
  const script = `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, targetRps: process.env.TARGET_RPS ?? null }) + '\\n');
if (args.includes('ps')) {
  const file = args.includes('-f') ? ${JSON.stringify(psFile('generators'))} : ${JSON.stringify(psFile('lab'))};
  if (fs.existsSync(file)) process.stdout.write(fs.readFileSync(file, 'utf8'));
}
`;
  fs.writeFileSync(path.join(binDir, 'docker'), script, { mode: 0o755 });
  return {
    binDir,
    setPs: (which, stdout) => fs.writeFileSync(psFile(which), stdout),
    calls: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as DockerCallRecord)
        : [],
    install: () => {
      const before = process.env.PATH;
      process.env.PATH = `${binDir}${path.delimiter}${before ?? ''}`;
      return () => {
        process.env.PATH = before;
      };
    },
  };
}

/** One line of `docker compose ps --format json` (Compose ≥ 2.21) for a generator container. */
export function generatorPsLine(n: number, state: 'running' | 'paused' | 'exited', rps: number): string {
  return JSON.stringify({
    Name: `sparktop-generators-generator-${n}`,
    Service: 'generator',
    State: state,
    Labels: `com.docker.compose.project=sparktop-generators,sparktop.target-rps=${rps}`,
  });
}
