import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/lab/provision/exec.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const JAVA_SOURCES = path.join(ROOT, 'spark-apps', 'listener', 'sparktop', 'listener');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'progress');

/** One listener callback, as both stores are fed it. */
export type ListenerEvent =
  | { kind: 'started'; id: string; runId: string; name: string | null }
  | { kind: 'progress'; id: string; runId: string; name: string | null; batchId: number; json: string }
  | { kind: 'terminated'; id: string; runId: string; exception: string | null };

export type Progress = Record<string, unknown> & { id: string; runId: string; name: string | null; batchId: number };

export function fixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

export function progressEvent(p: Progress): ListenerEvent {
  return { kind: 'progress', id: p.id, runId: p.runId, name: p.name, batchId: p.batchId, json: JSON.stringify(p) };
}

/** The Java sources that need no Spark on the classpath (the store, the server and their helpers). */
export function pureJdkSources(): string[] {
  return fs
    .readdirSync(JAVA_SOURCES)
    .filter((f) => f.endsWith('.java'))
    .map((f) => path.join(JAVA_SOURCES, f))
    .filter((f) => !/^import (org\.apache\.spark|scala)\./m.test(fs.readFileSync(f, 'utf8')));
}

/** Compiles the pure-JDK listener classes and test/java/StoreHarness.java into `dir`. */
export async function compileHarness(dir: string): Promise<void> {
  const sources = [...pureJdkSources(), path.join(ROOT, 'test', 'java', 'StoreHarness.java')];
  const result = await run('javac', ['--release', '8', '-nowarn', '-encoding', 'UTF-8', '-d', dir, ...sources]);
  if (result.code !== 0) throw new Error(`javac failed:\n${result.stdout}${result.stderr}`);
}

function escapeField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** The events file StoreHarness.java reads (format in its comment). */
export function eventsTsv(events: ListenerEvent[]): string {
  return events
    .map((e) => {
      const name = e.kind === 'terminated' ? null : e.name;
      const batchId = e.kind === 'progress' ? String(e.batchId) : '\\N';
      const payload = e.kind === 'progress' ? e.json : e.kind === 'terminated' ? e.exception : null;
      return [e.kind, e.id, e.runId, name, batchId, payload].map((f, i) => (i === 4 ? f : escapeField(f as string | null))).join('\t');
    })
    .join('\n');
}

const PYTHON_SERVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
import sparktop_listener as sl
events, capacity, settings = json.load(open(sys.argv[2])), int(sys.argv[3]), json.loads(sys.argv[4])
store = sl.ProgressStore(capacity, settings=settings)
for e in events:
    if e["kind"] == "started":
        store.query_started(e["id"], e["runId"], e["name"])
    elif e["kind"] == "terminated":
        store.query_terminated(e["id"], e["runId"], e["exception"])
    else:
        store.add_progress(e["json"])
server = sl.ProgressServer(store, "127.0.0.1", 0)
print(server.port, flush=True)
sys.stdin.read()
`;

export interface Served {
  port: number;
  child: ChildProcess;
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before printing its port:\n${err}`)));
    child.once('error', reject);
  });
}

async function serve(command: string, args: string[], what: string): Promise<Served> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    return { port: Number(await firstLine(child, what)), child };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

export interface StoreOptions {
  capacity: number;
  settings: Record<string, unknown>;
  /** Java only: the byte budget of the JSON held. */
  maxBytes?: number;
}

export async function serveWithPython(dir: string, name: string, events: ListenerEvent[], opts: StoreOptions): Promise<Served> {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(events));
  return serve('python3', ['-c', PYTHON_SERVER, path.join(ROOT, 'spark-apps'), file, String(opts.capacity), JSON.stringify(opts.settings)], `python server (${name})`);
}

export async function serveWithJava(classes: string, dir: string, name: string, events: ListenerEvent[], opts: StoreOptions): Promise<Served> {
  const file = path.join(dir, `${name}.tsv`);
  fs.writeFileSync(file, eventsTsv(events));
  const maxBytes = String(opts.maxBytes ?? 64 * 1024 * 1024);
  return serve('java', ['-Xmx128m', '-cp', classes, 'StoreHarness', file, String(opts.capacity), maxBytes, JSON.stringify(opts.settings)], `java harness (${name})`);
}

/** Ends a harness: its stdin closes (it then exits) and, to be sure, it is killed by pid. */
export function stop(served: Served | undefined): void {
  if (!served) return;
  served.child.stdin?.end();
  if (served.child.exitCode === null && served.child.pid !== undefined) {
    try {
      process.kill(served.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface Answer {
  status: number;
  headers: { contentType?: string; cacheControl?: string; allow?: string };
  body: unknown;
  raw: string;
}

function parseOrRaw(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return { notJson: raw };
  }
}

/** One request on a fresh connection; the path is sent as given. */
export function ask(port: number, method: string, requestPath: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: requestPath, agent: false, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: { contentType: res.headers['content-type'], cacheControl: res.headers['cache-control'], allow: res.headers.allow },
          body: parseOrRaw(raw),
          raw,
        });
      });
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${requestPath}: no answer in 15 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
