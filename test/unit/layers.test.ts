/**
 * The layers of src/ hold (docs/ARCHITECTURE.md "Layers"): every import between two folders of
 * src/ is one the table below allows, and the folders import each other in no cycle. Reads the
 * import statements of every .ts/.tsx file under src/ (static `import … from`, `import type`,
 * `export … from`, dynamic `import('…')`, `import('…').Type`); imports of packages and of `node:`
 * are free. `checkLayers` is pure (files in, problems out): the same function checks the real tree
 * and, in the last tests, made-up trees that break the rules. Reads files only.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = path.join(ROOT, 'src');

/** What a folder may import besides itself: `imports` in full, `types` with `import type` only. `'anything'`: no limit. */
export type Layer = { imports: readonly string[]; types: readonly string[] } | 'anything';

/**
 * The rule, one row per folder of src/ (and the entry point, the only file directly in src/). The
 * same table is in docs/ARCHITECTURE.md "The rule"; a test below keeps them equal. Nothing lists
 * `commands`: only cli.tsx imports it.
 */
export const LAYERS: Readonly<Record<string, Layer>> = {
  domain: { imports: [], types: [] },
  files: { imports: [], types: [] },
  generator: { imports: ['domain'], types: [] },
  model: { imports: ['domain'], types: [] },
  text: { imports: ['domain'], types: ['model'] },
  ui: { imports: ['text', 'domain'], types: ['model'] },
  config: { imports: ['model', 'domain', 'text'], types: [] },
  sources: { imports: ['model', 'domain'], types: ['config'] },
  lab: { imports: ['domain', 'text', 'files'], types: ['generator', 'config'] },
  control: { imports: ['lab', 'generator', 'domain', 'text', 'files'], types: ['model', 'config'] },
  record: { imports: ['model', 'text', 'domain', 'files'], types: ['config'] },
  sweep: { imports: ['model', 'config', 'domain', 'text', 'files'], types: ['control'] },
  metrics: { imports: [], types: ['model'] },
  commands: 'anything',
  'cli.tsx': 'anything',
};

/** A source file: its path under src/ with `/` separators (`model/store.ts`), and its text. */
export interface SourceFile {
  path: string;
  source: string;
}

export interface ImportStatement {
  specifier: string;
  /** Only types cross: `import type`, `import { type A }`, `export type … from`, `import('…').T`. */
  typeOnly: boolean;
  line: number;
}

/** One import from a file of one folder to a file of another (or the same) folder. */
export interface Edge {
  from: string;
  to: string;
  fromFile: string;
  toFile: string;
  line: number;
  typeOnly: boolean;
}

const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>) => elements.length > 0 && elements.every((e) => e.isTypeOnly);

/** The import and export-from statements of one file, found in its syntax tree (comments and strings are not imports). */
export function importsOf(file: SourceFile): ImportStatement[] {
  const kind = file.path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file.path, file.source, ts.ScriptTarget.Latest, true, kind);
  const out: ImportStatement[] = [];
  const add = (literal: ts.Node, typeOnly: boolean) => {
    if (ts.isStringLiteralLike(literal)) out.push({ specifier: literal.text, typeOnly, line: sf.getLineAndCharacterOfPosition(literal.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const typeOnly = c !== undefined && (c.isTypeOnly || (!c.name && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) && allTypes(c.namedBindings.elements)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && allTypes(node.exportClause.elements)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** `model/advisor/rules.ts` → `model`; a file directly in src/ is its own folder (`cli.tsx`). */
export function folderOf(file: string): string {
  return file.split('/')[0]!;
}

/** The file under src/ a relative specifier names (`../model/derived.js` → `model/derived.ts`), or null. */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (target.startsWith('../')) return null;
  const base = target.replace(/\.js$/, '');
  return [target, `${base}.ts`, `${base}.tsx`, `${base}.d.ts`].find((c) => known.has(c)) ?? null;
}

const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : 'nothing');

/** A cycle of the folder graph, as the path of folders that closes it (`a → b → a`), or null. */
export function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/** The folders each folder imports (itself left out). */
export function folderGraph(edges: readonly Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!graph.has(e.from)) graph.set(e.from, new Set());
    if (e.from !== e.to) graph.get(e.from)!.add(e.to);
  }
  return graph;
}

/**
 * Everything that breaks the table or closes a cycle, one line each, naming the file and line of
 * the import. Cycles are looked for in the graph of every import (types too), one at a time: the
 * edges of the cycle found are reported and left out, and the rest is searched again.
 */
export function checkLayers(files: readonly SourceFile[], table: Readonly<Record<string, Layer>>): { edges: Edge[]; problems: string[] } {
  const known = new Set(files.map((f) => f.path));
  const edges: Edge[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const from = folderOf(file.path);
    if (!(from in table)) {
      problems.push(
        file.path.includes('/')
          ? `src/${file.path}: the folder ${from}/ has no row in the layer table`
          : `src/${file.path}: a file directly in src/; only the entry point (${Object.keys(table).filter((k) => !/^\w+$/.test(k)).join(', ')}) is`,
      );
    }
    for (const imp of importsOf(file)) {
      if (!imp.specifier.startsWith('.')) continue;
      const toFile = resolve(file.path, imp.specifier, known);
      if (toFile === null) {
        problems.push(`src/${file.path}:${imp.line}: '${imp.specifier}' is no .ts/.tsx file under src/`);
        continue;
      }
      const edge: Edge = { from, to: folderOf(toFile), fromFile: file.path, toFile, line: imp.line, typeOnly: imp.typeOnly };
      edges.push(edge);
      const layer = table[from];
      if (edge.to === from || layer === undefined || layer === 'anything' || layer.imports.includes(edge.to)) continue;
      const where = `src/${file.path}:${imp.line} imports src/${toFile}`;
      if (!layer.types.includes(edge.to)) {
        problems.push(`${where}: ${from} may not import ${edge.to} (it may import ${list(layer.imports)}; types from ${list(layer.types)})`);
      } else if (!imp.typeOnly) {
        problems.push(`${where}: ${from} may import only types from ${edge.to} (\`import type\`)`);
      }
    }
  }
  let remaining = edges.filter((e) => e.from !== e.to);
  for (let cycle = findCycle(folderGraph(remaining)); cycle; cycle = findCycle(folderGraph(remaining))) {
    const steps = cycle.slice(1).map((to, i) => remaining.find((e) => e.from === cycle[i] && e.to === to)!);
    problems.push(`folder cycle ${cycle.join(' → ')}: ${steps.map((e) => `src/${e.fromFile}:${e.line} → src/${e.toFile}`).join('; ')}`);
    remaining = remaining.filter((e) => !steps.some((s) => s.from === e.from && s.to === e.to));
  }
  return { edges, problems };
}

function sourceFiles(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.tsx?$/.test(e.name)) out.push({ path: path.relative(SRC, abs).split(path.sep).join('/'), source: fs.readFileSync(abs, 'utf8') });
    }
  };
  walk(SRC);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The rows of the table in docs/ARCHITECTURE.md "The rule": folder → what it may import, as written there. */
function documentedLayers(): Record<string, Layer> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const start = doc.indexOf('### The rule');
  const section = doc.slice(start, doc.indexOf('\n#', start + 1));
  const names = (cell: string) => [...cell.matchAll(/`([\w.]+)`/g)].map((m) => m[1]!);
  const out: Record<string, Layer> = {};
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = /^`src\/([\w.]+?)\/?`$/.exec(cells[1] ?? '')?.[1];
    if (!folder) continue;
    out[folder] = cells[3] === 'anything' ? 'anything' : { imports: names(cells[3] ?? ''), types: names(cells[4] ?? '') };
  }
  return out;
}

const sorted = (table: Readonly<Record<string, Layer>>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v === 'anything' ? v : { imports: [...v.imports].sort(), types: [...v.types].sort() }]));

describe('layers of src/', () => {
  const files = sourceFiles();
  const { edges, problems } = checkLayers(files, LAYERS);

  it('every import between folders is one the table allows, and no folders import each other in a cycle', () => {
    assert.ok(files.length > 200 && edges.length > 500, `read ${files.length} files, ${edges.length} imports`);
    assert.deepEqual(problems, []);
  });

  it('only cli.tsx imports commands; cli.tsx is the only file directly in src/', () => {
    assert.deepEqual([...new Set(edges.filter((e) => e.to === 'commands' && e.from !== 'commands').map((e) => e.fromFile))], ['cli.tsx']);
    assert.deepEqual(files.filter((f) => !f.path.includes('/')).map((f) => f.path), ['cli.tsx']);
  });

  it('the table has a row for every folder, allows no cycle itself, and is the one docs/ARCHITECTURE.md shows', () => {
    const folders = [...new Set(files.map((f) => folderOf(f.path)))].sort();
    assert.deepEqual(Object.keys(LAYERS).sort(), folders);
    const allowed = new Map(Object.entries(LAYERS).map(([k, v]) => [k, new Set(v === 'anything' ? [] : [...v.imports, ...v.types])]));
    assert.equal(findCycle(allowed), null);
    for (const [k, v] of Object.entries(LAYERS)) {
      if (v !== 'anything') for (const to of [...v.imports, ...v.types]) assert.ok(to in LAYERS && to !== k, `${k} → ${to}`);
    }
    assert.deepEqual(sorted(documentedLayers()), sorted(LAYERS));
  });

  it('every rule the table gives is used by some import (the table says what is true, not what once was)', () => {
    const used = new Map<string, Set<string>>();
    for (const e of edges) if (e.from !== e.to) (used.get(e.from) ?? used.set(e.from, new Set()).get(e.from)!).add(`${e.to}${e.typeOnly ? ' (type)' : ''}`);
    const unused: string[] = [];
    for (const [k, v] of Object.entries(LAYERS)) {
      if (v === 'anything') continue;
      const u = used.get(k) ?? new Set();
      for (const to of v.imports) if (!u.has(to) && !u.has(`${to} (type)`)) unused.push(`${k} → ${to}`);
      for (const to of v.types) if (!u.has(`${to} (type)`)) unused.push(`${k} → ${to} (types)`);
    }
    // Allowed before any code needs it: domain and text are the floor the layers above them stand on.
    const floor = (entry: string) => / → (domain|text)$/.test(entry);
    assert.deepEqual(unused.filter((e) => !floor(e)), [], 'allowed but not used: take them out of LAYERS and docs/ARCHITECTURE.md "The rule"');
  });
});

describe('the layer check on made-up trees', () => {
  const file = (p: string, source: string): SourceFile => ({ path: p, source });

  it('reports a model file that imports the ui, naming file and line', () => {
    const { problems } = checkLayers(
      [
        file('model/derive.ts', "import { fit } from '../text/cells.js';\nimport { App } from '../ui/App.js';\nimport type { JobResources } from '../domain/resources.js';"),
        file('ui/App.tsx', "import type { Derived } from '../model/derive.js';\nexport const App = 1;"),
        file('text/cells.ts', 'export const fit = 1;'),
        file('domain/resources.ts', 'export interface JobResources {}'),
      ],
      LAYERS,
    );
    assert.deepEqual(problems, [
      'src/model/derive.ts:1 imports src/text/cells.ts: model may not import text (it may import domain; types from nothing)',
      'src/model/derive.ts:2 imports src/ui/App.tsx: model may not import ui (it may import domain; types from nothing)',
      'folder cycle model → ui → model: src/model/derive.ts:2 → src/ui/App.tsx; src/ui/App.tsx:1 → src/model/derive.ts',
    ]);
  });

  it('reports a cycle of two folders the table would allow one way each, and a value import where only types may cross', () => {
    const table: Record<string, Layer> = { a: { imports: ['b'], types: [] }, b: { imports: [], types: ['a'] } };
    const { problems } = checkLayers(
      [
        file('a/one.ts', "export { two } from '../b/two.js';"),
        file('b/two.ts', "import type { One } from '../a/one.js';\nexport const two = 2;"),
        file('b/three.ts', "export async function load() { return import('../a/one.js'); }"),
      ],
      table,
    );
    assert.deepEqual(problems, [
      "src/b/three.ts:1 imports src/a/one.ts: b may import only types from a (`import type`)",
      'folder cycle a → b → a: src/a/one.ts:1 → src/b/two.ts; src/b/two.ts:1 → src/a/one.ts',
    ]);
  });

  it('finds a cycle through three folders', () => {
    const table: Record<string, Layer> = { a: 'anything', b: 'anything', c: 'anything' };
    const { problems } = checkLayers(
      [file('a/x.ts', "import '../b/y.js';"), file('b/y.ts', "import type { Z } from '../c/z.js';"), file('c/z.ts', "export type Z = typeof import('../a/x.js');")],
      table,
    );
    assert.deepEqual(problems, ['folder cycle a → b → c → a: src/a/x.ts:1 → src/b/y.ts; src/b/y.ts:1 → src/c/z.ts; src/c/z.ts:1 → src/a/x.ts']);
  });

  it('reports a file directly in src/, a folder without a row and an import it cannot resolve; ignores packages and comments', () => {
    const { problems, edges } = checkLayers(
      [
        file('config.ts', "import fs from 'node:fs';\nimport { z } from 'zod';"),
        file('extra/x.ts', "// import { App } from '../ui/App.js';\nconst s = \"import('../ui/App.js')\";\nimport { gone } from '../model/gone.js';"),
      ],
      LAYERS,
    );
    assert.deepEqual(problems, [
      'src/config.ts: a file directly in src/; only the entry point (cli.tsx) is',
      'src/extra/x.ts: the folder extra/ has no row in the layer table',
      "src/extra/x.ts:3: '../model/gone.js' is no .ts/.tsx file under src/",
    ]);
    assert.deepEqual(edges, []);
  });

  it('tells type-only imports and exports from value ones', () => {
    const kinds = importsOf(
      file(
        'ui/x.ts',
        [
          "import type { A } from './a.js';",
          "import { type B, type C } from './b.js';",
          "import { type D, e } from './d.js';",
          "import f, { type G } from './f.js';",
          "export type { H } from './h.js';",
          "export { i } from './i.js';",
          "export * from './j.js';",
          "type K = import('./k.js').K;",
          "const l = await import('./l.js');",
          "import './m.js';",
        ].join('\n'),
      ),
    ).map((i) => `${i.specifier}${i.typeOnly ? ' type' : ''}`);
    assert.deepEqual(kinds, ['./a.js type', './b.js type', './d.js', './f.js', './h.js type', './i.js', './j.js', './k.js type', './l.js', './m.js']);
  });
});
