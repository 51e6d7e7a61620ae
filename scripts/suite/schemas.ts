/**
 * The response schemas: one Ajv instance (draft 2020-12, ajv-formats), every schema under
 * `schemas/` registered by `$id` and compiled once when this module loads; and the one
 * formatter that turns ajv errors into readable lines with field paths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { UsageError } from '../lib/cli.ts';

/** `ajv-formats` is CommonJS; under ESM its plugin is the default export's `default`, or the default itself. */
const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (ajv: Ajv2020) => Ajv2020;

/** Compiled validators by schema `$id`. */
export interface SchemaSet {
  ids: string[];
  validate(id: string, value: unknown): string[];
}

/** Reads and compiles every `*.schema.json` under `dir`. A file that is not a valid schema is a usage error naming it. */
export function loadSchemas(dir: string): SchemaSet {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
  addFormats(ajv);
  const files = listSchemaFiles(dir);
  const ids: string[] = [];
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
  }
  // Compile every schema now, so no test body or request ever compiles one.
  const validators = new Map<string, ValidateFunction>();
  for (const id of ids) {
    const validate = ajv.getSchema(id);
    if (validate) validators.set(id, validate);
  }
  return {
    ids: [...validators.keys()].sort(),
    validate(id, value) {
      const validate = validators.get(id);
      if (!validate) throw new UsageError(`no schema with \`$id\` ${id} under ${dir}; run \`npm run generate\``);
      return validate(value) ? [] : formatAjvErrors(validate.errors ?? []);
    },
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
