/**
 * Files sparktop writes for the user (snapshots, experiments, reports, sweep results): never over a
 * file the user has unless told to, and never seen half-written. Every write goes to a temp file in
 * the same folder, flushed, then renamed over the target (replace) or hard-linked to it (create: the
 * link fails if the name exists, even when another writer took it a moment ago).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type FileData = string | Uint8Array;

/** Numberings tried before giving up: `-2` … `-9999`. */
const MAX_NUMBER = 9999;

/** `dir/experiments.md` numbered 2 is `dir/experiments-2.md`; numbered 1 it is the name itself. */
export function numberedName(file: string, n: number): string {
  if (n === 1) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${n}${ext}`;
}

/**
 * The first numbering under which none of `files` exists: `experiments.md` and `experiments.csv`,
 * else `experiments-2.md` and `experiments-2.csv`, … One number for the whole group, so files
 * written together keep one name.
 */
export function freeNames(files: readonly string[], exists: (file: string) => boolean = fs.existsSync): string[] {
  for (let n = 1; n <= MAX_NUMBER; n++) {
    const names = files.map((f) => numberedName(f, n));
    if (!names.some(exists)) return names;
  }
  throw new Error(`no free name for ${files.join(', ')} (numbered up to ${MAX_NUMBER})`);
}

/** Whether `err` says the file to create exists. */
export function isFileExists(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EEXIST';
}

/** Writes `data` into a new hidden temp file next to `file`, flushed to disk; returns its path. */
function writeTemp(file: string, data: FileData, mode = 0o666): string {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return tmp;
}

/** Puts the complete temp file at `file`, failing with EEXIST if `file` exists. */
function linkNew(tmp: string, file: string): void {
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A filesystem without hard links (FAT, some network mounts): still never over an existing
    // file, but a reader may see the copy while it is made.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    fs.copyFileSync(tmp, file, fs.constants.COPYFILE_EXCL);
  }
}

/** Replaces (or creates) `file` with `data` atomically; `mode` (less the umask) is the new file's. */
export function writeFileAtomic(file: string, data: FileData, mode?: number): void {
  const tmp = writeTemp(file, data, mode);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Creates `file` with `data` atomically; throws EEXIST (isFileExists) rather than replace a file. */
export function writeNewFileAtomic(file: string, data: FileData): void {
  const tmp = writeTemp(file, data);
  try {
    linkNew(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Creates every file of a group under one free numbering (see freeNames), each atomically and never
 * over an existing file: when another writer takes a name first, the group moves on to the next
 * number. Returns the paths written, in the order given.
 */
export function writeNewFiles(files: ReadonlyArray<{ path: string; data: FileData }>): string[] {
  const temps: string[] = [];
  try {
    for (const f of files) temps.push(writeTemp(f.path, f.data));
    for (let n = 1; n <= MAX_NUMBER; n++) {
      const names = files.map((f) => numberedName(f.path, n));
      if (names.some((name) => fs.existsSync(name))) continue;
      if (linkAll(temps, names)) return names;
    }
    throw new Error(`no free name for ${files.map((f) => f.path).join(', ')} (numbered up to ${MAX_NUMBER})`);
  } finally {
    for (const tmp of temps) fs.rmSync(tmp, { force: true });
  }
}

/** Links every temp to its name; when one name is taken, removes the ones it linked and says false. */
function linkAll(temps: readonly string[], names: readonly string[]): boolean {
  const linked: string[] = [];
  try {
    names.forEach((name, i) => {
      linkNew(temps[i]!, name);
      linked.push(name);
    });
    return true;
  } catch (err) {
    for (const name of linked) fs.rmSync(name, { force: true });
    if (isFileExists(err)) return false;
    throw err;
  }
}

/**
 * A file one run writes again and again (a sweep's results after every step): the first write
 * creates it, refusing to replace a file that exists unless `replace` (the user's --force, or a
 * resumed run's own file); the later writes replace it. Every write is atomic.
 */
export class OutputFile {
  private created = false;

  constructor(
    readonly path: string,
    private readonly replace: boolean,
  ) {}

  /** Throws EEXIST (isFileExists) naming the file when the first write finds it taken. */
  write(data: FileData): void {
    if (this.created || this.replace) {
      writeFileAtomic(this.path, data);
    } else {
      try {
        writeNewFileAtomic(this.path, data);
      } catch (err) {
        if (isFileExists(err)) throw Object.assign(new Error(`${this.path} exists: not written over`), { code: 'EEXIST' });
        throw err;
      }
    }
    this.created = true;
  }
}
