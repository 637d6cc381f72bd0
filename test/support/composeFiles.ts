/**
 * Reading compose files in tests: YAML through the `yaml` package and JSON-schema validation through
 * `ajv` when they are installed; otherwise through Python's PyYAML and jsonschema when those are
 * there. `how` says which ran; null means neither is available (the test is then skipped, not passed).
 */
import { execFileSync } from 'node:child_process';

type Parse = (text: string) => unknown;
type Validate = (schema: object, doc: unknown) => string[];

async function importOptional(name: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function python(script: string, input: string, ...args: string[]): string | null {
  try {
    return execFileSync('python3', ['-c', script, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch {
    return null;
  }
}

const PY_YAML = 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
const PY_SCHEMA = `import json,sys,jsonschema
schema = json.loads(sys.argv[1]); doc = json.load(sys.stdin)
print(json.dumps(["/" + "/".join(map(str, e.absolute_path)) + ": " + e.message for e in jsonschema.Draft201909Validator(schema).iter_errors(doc)]))`;

/** ajv 8 refuses the draft-04 `id` keyword the compose schema still uses; drop it (it only names subschemas). */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

export async function yamlParser(): Promise<{ how: string; parse: Parse } | null> {
  const mod = await importOptional('yaml');
  const yaml = (mod && typeof mod.parse !== 'function' ? mod.default : mod) as Record<string, unknown> | null | undefined;
  if (yaml && typeof yaml.parse === 'function') return { how: 'yaml (npm)', parse: yaml.parse as Parse };
  if (python('import yaml', '') === null) return null;
  return { how: 'PyYAML', parse: (text) => JSON.parse(python(PY_YAML, text) ?? 'null') as unknown };
}

export async function schemaValidator(): Promise<{ how: string; validate: Validate } | null> {
  const ajvModule = await importOptional('ajv/dist/2019.js');
  if (ajvModule) {
    type AjvLike = { compile: (s: object) => ((d: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } };
    const Ajv = (ajvModule.default ?? ajvModule) as new (opts: object) => AjvLike;
    return {
      how: 'ajv (draft 2019-09)',
      validate: (schema, doc) => {
        const check = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false }).compile(withoutIds(schema) as object);
        return check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
      },
    };
  }
  if (python('import jsonschema', '') === null) return null;
  return {
    how: 'Python jsonschema (draft 2019-09)',
    validate: (schema, doc) => JSON.parse(python(PY_SCHEMA, JSON.stringify(doc), JSON.stringify(schema)) ?? '["python jsonschema failed"]') as string[],
  };
}

/** Compose's `${VAR}` / `${VAR:-default}` interpolation, for the values these files use. */
export function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    return v !== undefined && v !== '' ? v : (fallback ?? '');
  });
}
