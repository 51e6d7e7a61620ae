/** `npm run generate`: docs → schemas/ and tests/fixtures/, deterministic. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { flags, main, UsageError } from '../lib/cli.ts';
import { formatText, hasErrors, summarize } from '../lib/diagnostics.ts';
import { runPipeline, type PipelineResult } from '../lib/pipeline.ts';
import { readDocsTree } from '../lib/read.ts';
import { writeOutputs } from '../lib/write.ts';

const USAGE = 'npm run generate -- [--docs=DIR] [--recipes=FILE] [--out=DIR]';

/** Default recipes file, relative to the repository. */
export const RECIPES_FILE = 'tests/recipes.yaml';

/** Reads the docs tree and the recipes, and runs the pipeline. Shared by generate, drift and validate. */
export function load(docs: string, recipes: string): PipelineResult {
  const tree = readDocsTree(docs);
  let text: string;
  try {
    text = readFileSync(recipes, 'utf8');
  } catch {
    throw new UsageError(`recipes file \`${recipes}\` cannot be read; pass --recipes=FILE (see the README, "Request recipes")`);
  }
  return runPipeline(tree, { file: path.relative(process.cwd(), recipes) || recipes, text });
}

/** Runs generate; returns the exit code. */
export function run(args: string[], out: (line: string) => void = console.log): number {
  const values = flags(args, { docs: { type: 'string', default: 'docs' }, recipes: { type: 'string', default: RECIPES_FILE }, out: { type: 'string', default: '.' } }, USAGE);
  const result = load(values.docs, values.recipes);
  if (result.diagnostics.length > 0) out(formatText(result.diagnostics));
  if (hasErrors(result.diagnostics)) {
    out(`generate: ${summarize(result.diagnostics)}; nothing written. Fix the errors above and run \`npm run generate\` again.`);
    return 1;
  }
  const { written, removed, unchanged } = writeOutputs(values.out, result.build.files);
  for (const file of written) out(`wrote ${file}`);
  for (const file of removed) out(`removed ${file}`);
  out(`generate: ${result.build.cases.length} cases from ${result.models.length} files (${result.contract.locales.join(', ')}); ${written.length} written, ${removed.length} removed, ${unchanged} unchanged; ${summarize(result.diagnostics)}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main('generate', run);
