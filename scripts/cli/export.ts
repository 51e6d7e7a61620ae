/** `npm run export`: the contract (the cases file) as an OpenAPI 3.1 document, on stdout or in a file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { type CasesFile } from '../lib/build.ts';
import { loadCases } from '../lib/cases.ts';
import { flags } from '../lib/cli.ts';
import { toOpenApi, type SchemasById } from '../lib/openapi.ts';
import { stableJson } from '../lib/stable-json.ts';
import { isRecord, UsageError } from '../lib/util.ts';
import { COMMAND_LINES } from './commands.ts';

/** How the command is called. */
export const { usage: USAGE, options: OPTIONS } = COMMAND_LINES.export;

/** Runs export; returns 0. Usage errors (a bad flag, an unreadable cases file, an unwritable --out) throw UsageError. */
export function run(args: string[], out: (text: string) => void = (t) => process.stdout.write(t), err: (text: string) => void = (t) => console.error(t)): number {
  const values = flags(args, OPTIONS, USAGE);
  // One format today; the flag is there so that another can be added without changing the command line.
  if (values.format !== 'openapi') throw new UsageError(`--format must be openapi, not \`${values.format}\`\nusage: ${USAGE}`);
  const file = loadCases(values.cases);
  const text = stableJson(toOpenApi(file, readSchemas(file)));
  if (values.out === undefined) {
    out(text);
    return 0;
  }
  try {
    writeFileSync(values.out, text);
  } catch (error) {
    throw new UsageError(`cannot write \`${values.out}\` (${String((error as { code?: unknown }).code ?? error)}); check that its folder exists and is writable`);
  }
  err(`export: wrote ${values.out} (${file.cases.length} documented errors)`);
  return 0;
}

/**
 * The generated schema of each case whose answer is a body, read from the file the case names
 * (relative to the working directory, as generate writes it), and checked to carry the `$id` the
 * case names: a missing or stale schema is a usage error saying to regenerate.
 */
export function readSchemas(file: CasesFile): SchemasById {
  const schemas = new Map<string, Record<string, unknown>>();
  for (const c of file.cases) {
    if (c.request.answer !== 'body' || schemas.has(c.schema.$id)) continue;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(c.schema.file, 'utf8'));
    } catch (error) {
      const why = error instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${String((error as { code?: unknown }).code ?? error)})`;
      throw new UsageError(`schema \`${c.schema.file}\` of case \`${c.id}\` ${why}; run \`npm run generate\` from the repository root, then export from there`);
    }
    if (!isRecord(value) || value['$id'] !== c.schema.$id) {
      throw new UsageError(`schema \`${c.schema.file}\` is not the one case \`${c.id}\` names (\`$id\` \`${c.schema.$id}\`); run \`npm run generate\` to rebuild schemas and cases together`);
    }
    schemas.set(c.schema.$id, value);
  }
  return schemas;
}
