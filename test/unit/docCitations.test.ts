/**
 * Every document a comment or a document cites is in this repository, and so is every section it
 * cites by name. The citation form (docs/ARCHITECTURE.md "Citing documents"): a document's path
 * from the repository root (UPPERCASE file name, `*.md`), optionally followed by a heading in
 * double quotes. Lowercase `*.md` names are files sparktop writes (`report.md`), not citations.
 * Markdown links to relative files and anchors are checked too. Reads files only.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED_DIRS = ['src', 'test', 'scripts', 'bench', 'docker', 'docs', 'spark-apps', 'bin', '.ci'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '__pycache__']);
/** Recorded data, not prose: only its Markdown files are read. */
const DATA_DIR = path.join('test', 'fixtures');
const TEXT_FILE = /\.(ts|tsx|mts|mjs|js|py|java|ya?ml|json|md|sh|conf|properties|txt)$|(^|\/)(Dockerfile|run)$/;
const MAX_BYTES = 2 * 1024 * 1024;

export interface Citation {
  doc: string;
  section: string | null;
  line: number;
}

/** An UPPERCASE document name with `.md`, after any folders, optionally followed by `"Heading"` or `("Heading")`. */
const CITATION = /(?<![\w./-])((?:[\w.-]+\/)*[A-Z][A-Z0-9_]*\.md)\b(?:[ ,]*\(?"([^"\n]+)")?/g;
const LINK = /\]\(([^)\s]+)\)/g;
const FENCE = /^\s*(```|~~~)/;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Markdown link targets are not prose citations: `[x](../README.md)` is checked as a link. */
function withoutLinkTargets(text: string): string {
  return text.replace(LINK, (m) => ' '.repeat(m.length));
}

export function citationsIn(text: string): Citation[] {
  const out: Citation[] = [];
  const plain = withoutLinkTargets(text);
  for (const m of plain.matchAll(CITATION)) out.push({ doc: m[1]!, section: m[2] ?? null, line: lineAt(plain, m.index) });
  return out;
}

/** Headings outside code fences, as written (and with inline-code backticks removed). */
export function headingsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    out.add(m[1]!);
    out.add(m[1]!.replace(/`/g, ''));
  }
  return out;
}

/** GitHub's anchor for a heading. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Relative link targets outside code fences: `{target, anchor}`. */
export function linksIn(markdown: string): Array<{ target: string; anchor: string | null; line: number }> {
  const out: Array<{ target: string; anchor: string | null; line: number }> = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (FENCE.test(text)) fenced = !fenced;
    if (fenced) return;
    for (const m of text.replace(/`[^`]*`/g, '').matchAll(LINK)) {
      const raw = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) continue; // http:, mailto:
      const hash = raw.indexOf('#');
      out.push({ target: hash < 0 ? raw : raw.slice(0, hash), anchor: hash < 0 ? null : raw.slice(hash + 1), line: i + 1 });
    }
  });
  return out;
}

function filesToScan(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(rel);
      } else if (e.isFile() && TEXT_FILE.test(rel) && (!rel.startsWith(DATA_DIR + path.sep) || rel.endsWith('.md'))) {
        if (fs.statSync(path.join(ROOT, rel)).size <= MAX_BYTES) out.push(rel);
      }
    }
  };
  for (const dir of SCANNED_DIRS) if (fs.existsSync(path.join(ROOT, dir))) walk(dir);
  for (const f of fs.readdirSync(ROOT)) if (f.endsWith('.md')) out.push(f);
  return out.sort();
}

/** The cited document: from the repository root, else next to the citing file; null when neither exists. */
function resolveDoc(doc: string, from: string): string | null {
  for (const candidate of [path.normalize(doc), path.join(path.dirname(from), doc)]) {
    if (!candidate.startsWith('..') && fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return candidate;
  }
  return null;
}

const headingCache = new Map<string, Set<string>>();
function headingsOfFile(rel: string): Set<string> {
  let h = headingCache.get(rel);
  if (!h) headingCache.set(rel, (h = headingsOf(fs.readFileSync(path.join(ROOT, rel), 'utf8'))));
  return h;
}

/** Every broken citation or link of one file, as `file:line: what`. */
export function problemsOf(rel: string, text: string): string[] {
  const problems: string[] = [];
  for (const c of citationsIn(text)) {
    const doc = resolveDoc(c.doc, rel);
    if (!doc) problems.push(`${rel}:${c.line}: cites ${c.doc}, which is not in this repository`);
    else if (c.section !== null && !headingsOfFile(doc).has(c.section)) problems.push(`${rel}:${c.line}: cites ${c.doc} "${c.section}", which has no such heading`);
  }
  if (rel.endsWith('.md')) {
    for (const l of linksIn(text)) {
      const target = l.target === '' ? rel : path.normalize(path.join(path.dirname(rel), decodeURIComponent(l.target)));
      if (target.startsWith('..') || !fs.existsSync(path.join(ROOT, target))) {
        problems.push(`${rel}:${l.line}: links to ${l.target}, which is not in this repository`);
        continue;
      }
      if (l.anchor && target.endsWith('.md') && ![...headingsOfFile(target)].some((h) => slug(h) === l.anchor)) {
        problems.push(`${rel}:${l.line}: links to ${l.target || rel}#${l.anchor}, which has no such heading`);
      }
    }
  }
  return problems;
}

describe('document citations', () => {
  it('name documents and sections that exist in this repository', () => {
    const files = filesToScan();
    assert.ok(files.includes(path.normalize('docs/ARCHITECTURE.md')), 'the architecture document is scanned');
    assert.ok(files.length > 200, `scanned ${files.length} files`);
    const problems = files.flatMap((f) => problemsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepEqual(problems, []);
  });

  // The examples are built from pieces so that this file itself holds no bad citation.
  const md = '.md';
  it('finds a missing document, a missing section and a broken link', () => {
    const text = [
      `// see ${'NOWHERE' + md} "Recording"`,
      `// see docs/ARCHITECTURE${md} "No such section"`,
      `// see docs/ARCHITECTURE${md} ("Recording format"), README${md} "Keys"`,
      `// writes report${md} and sweep${md}`,
    ].join('\n');
    assert.deepEqual(
      citationsIn(text).map((c) => [c.doc, c.section]),
      [
        ['NOWHERE' + md, 'Recording'],
        [`docs/ARCHITECTURE${md}`, 'No such section'],
        [`docs/ARCHITECTURE${md}`, 'Recording format'],
        [`README${md}`, 'Keys'],
      ],
    );
    assert.deepEqual(
      problemsOf(path.join('src', 'example.ts'), text).map((p) => p.replace(/^[^:]+:\d+: /, '')),
      [`cites ${'NOWHERE' + md}, which is not in this repository`, `cites docs/ARCHITECTURE${md} "No such section", which has no such heading`],
    );
    assert.deepEqual(
      problemsOf(path.join('docs', 'example' + md), `[a](ARCHITECTURE${md}#status-json) [b](../README${md}#nope) [c](gone${md})`).map((p) => p.replace(/^[^:]+:\d+: /, '')),
      [`links to ../README${md}#nope, which has no such heading`, `links to gone${md}, which is not in this repository`],
    );
  });

  it('makes anchors as GitHub does', () => {
    assert.equal(slug('Experiments (view `7`)'), 'experiments-view-7');
    assert.equal(slug('Lab state, ports and cache'), 'lab-state-ports-and-cache');
  });
});
