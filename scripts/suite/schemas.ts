/**
 * The response schemas: one Ajv instance (draft 2020-12, ajv-formats), every schema under
 * `schemas/` registered by `$id` and compiled at once, never inside a test or a request; and the
 * one formatter that turns ajv errors into readable lines with field paths. Global setup compiles
 * them once, which stops a run on a bad schema file, and hands the workers the compiled code
 * (Ajv's standalone validation code) in the prepared file: a worker loads no Ajv and compiles
 * nothing. Without a prepared file, a worker compiles them the first time it validates a body.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import type formats from 'ajv-formats';
import { UsageError } from '../lib/util.ts';

const require = createRequire(import.meta.url);

/** A new Ajv instance with ajv-formats, Ajv loaded now (both are CommonJS); with `source`, it keeps each validator's code for standaloneCode. */
function newAjv(source = false): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const plugin = require('ajv-formats') as typeof formats & { default?: typeof formats };
  // Under ESM interop the plugin is the module's `default`, or the module itself.
  const addFormats = (plugin.default ?? plugin) as unknown as (ajv: Ajv2020) => Ajv2020;
  // ownProperties: a documented member named `toString` or `constructor` is not taken as present from the prototype.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, ownProperties: true, code: { source } });
  addFormats(ajv);
  return ajv;
}

/** Compiled validators by schema `$id`. */
export interface SchemaSet {
  ids: string[];
  validate(id: string, value: unknown): string[];
}

/** A validator as Ajv compiles it. */
type Validator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Reads and compiles every `*.schema.json` under `dir`. A file that is not a valid schema is a usage error naming it. */
export function loadSchemas(dir: string): SchemaSet {
  return setOf(dir, compile(dir).validators);
}

/**
 * Compiles every schema under `dir` (a bad one is a usage error naming it, as for loadSchemas)
 * and returns the validators as one CommonJS module's text (Ajv's standalone code, which needs
 * no Ajv at run time) exporting each by its `$id`: what global setup hands the workers.
 */
export function compiledSchemas(dir: string): string {
  const { ajv, validators } = compile(dir, true);
  const { default: standaloneCode } = require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js');
  return standaloneCode(ajv, Object.fromEntries([...validators.keys()].map((id) => [id, id])));
}

/** The validators of compiledSchemas' module text, without Ajv. */
export function schemasFromCode(code: string, dir: string): SchemaSet {
  const module = { exports: {} as Record<string, Validator> };
  // The text is Ajv's own output, made by global setup of this run from the schema files.
  new Function('module', 'exports', code)(module, module.exports);
  return setOf(dir, new Map(Object.entries(module.exports)));
}

function compile(dir: string, source = false): { ajv: Ajv2020; validators: Map<string, Validator> } {
  const ajv = newAjv(source);
  const files = listSchemaFiles(dir);
  const ids: string[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`${path.relative(process.cwd(), file)} is not JSON (${(error as Error).message}); run \`npm run generate\``);
    }
    const id = (schema as { $id?: unknown }).$id;
    if (typeof id !== 'string') throw new UsageError(`${path.relative(process.cwd(), file)} has no \`$id\`; run \`npm run generate\``);
    try {
      ajv.addSchema(schema as object, id);
    } catch (error) {
      throw new UsageError(`${path.relative(process.cwd(), file)}: ${(error as Error).message}; run \`npm run generate\``);
    }
    ids.push(id);
    fileOf.set(id, file);
  }
  // Compile every schema now: one that cannot compile is found at once, and no request ever waits for a compilation.
  const validators = new Map<string, Validator>();
  for (const id of ids) {
    let validate: Validator | undefined;
    try {
      validate = ajv.getSchema(id);
    } catch (error) {
      throw new UsageError(`${path.relative(process.cwd(), fileOf.get(id) ?? id)}: ${(error as Error).message}; run \`npm run generate\``);
    }
    if (validate) validators.set(id, validate);
  }
  return { ajv, validators };
}

function setOf(dir: string, validators: ReadonlyMap<string, Validator>): SchemaSet {
  return {
    ids: [...validators.keys()].sort(),
    validate(id, value) {
      const validate = validators.get(id);
      if (!validate) throw new UsageError(`no schema with \`$id\` ${id} under ${dir}; run \`npm run generate\``);
      return validate(value) ? [] : formatAjvErrors(validate.errors ?? []);
    },
  };
}

/**
 * The schemas under `dir`, ready the first time a body is validated (after its request, never
 * during one): from the compiled code `code()` gives (global setup's), or else compiled then.
 */
export function lazySchemas(dir: string, code: () => string | null = () => null): SchemaSet {
  let loaded: SchemaSet | undefined;
  const get = () => {
    if (loaded) return loaded;
    const compiled = code();
    return (loaded = compiled === null ? loadSchemas(dir) : schemasFromCode(compiled, dir));
  };
  return {
    get ids() {
      return get().ids;
    },
    validate: (id, value) => get().validate(id, value),
  };
}

function listSchemaFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    throw new UsageError(`schemas folder \`${dir}\` cannot be read; run \`npm run generate\``);
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.schema.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A JSON pointer (`/a/0/b`) as a field path (`a[0].b`); the whole body is `(body)`. */
export function fieldPath(pointer: string): string {
  if (pointer === '') return '(body)';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/** One line per ajv error: the field path, what it is, and what the schema wants. */
export function formatAjvErrors(errors: readonly ErrorObject[]): string[] {
  const lines: string[] = [];
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of errors) {
    // A member of the wrong type fails its `const` and `pattern` too; its type says enough.
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) continue;
    const at = fieldPath(e.instancePath);
    const child = (name: string) => fieldPath(`${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    const is = `\`${at}\` is ${describe(e.data)}`;
    let line: string;
    switch (e.keyword) {
      case 'required':
        line = `\`${child(String(e.params['missingProperty']))}\` is missing (required by the schema)`;
        break;
      case 'additionalProperties':
        line = `\`${child(String(e.params['additionalProperty']))}\` is not documented (the schema allows no other members)`;
        break;
      case 'const':
        line = `${is}; must be ${JSON.stringify(e.params['allowedValue'])}`;
        break;
      case 'type':
        line = `${is}; must be ${article(String(e.params['type']))}`;
        break;
      case 'pattern': {
        const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
        line = `${is}; the schema wants ${typeof description === 'string' ? description : `a match of \`${String(e.params['pattern'])}\``}`;
        break;
      }
      case 'format':
        line = `${is}; must be a \`${String(e.params['format'])}\``;
        break;
      default:
        line = `${is}; ${e.message ?? e.keyword}`;
    }
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

/** A value for a message: its JSON, shortened; arrays and objects named as such. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array ${short(JSON.stringify(value))}`;
  if (value !== null && typeof value === 'object') return `an object ${short(JSON.stringify(value))}`;
  return short(JSON.stringify(value) ?? String(value));
}

function short(s: string): string {
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
