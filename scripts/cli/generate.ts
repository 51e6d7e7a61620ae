/** `npm run generate`: docs → schemas/ and tests/fixtures/, deterministic. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CACHE_DIR, ParseCache } from '../lib/cache.ts';
import { blockingErrors } from '../lib/baseline.ts';
import { readBaselineFor } from '../lib/checks/load.ts';
import { flags, main, UsageError } from '../lib/cli.ts';
import { formatText, summarize } from '../lib/diagnostics.ts';
import { generateFrom } from '../lib/generate.ts';
import { parsePages, runPipeline, type PipelineResult, type RecipesInput } from '../lib/pipeline.ts';
import { readDocsTree, type DocsTree } from '../lib/read.ts';
import type { Threads } from '../lib/workers.ts';
import { BASELINE_FILE } from './validate.ts';

const USAGE = 'npm run generate -- [--docs=DIR] [--recipes=FILE] [--out=DIR] [--cache=DIR | --no-cache] [--baseline=FILE]';

/** How to load: with a parse cache kept under a folder (null: none), over threads. Defaults: no cache, one thread. */
export interface LoadOptions {
  cache?: string | null;
  threads?: Threads;
}

/** Default recipes file, relative to the repository. */
export const RECIPES_FILE = 'tests/profiles.yaml';

/** Reads the docs tree and the recipes, and runs the whole pipeline, keeping every stage (what drift compares). */
export function load(docs: string, recipes: string, options: LoadOptions = {}): PipelineResult {
  const tree = readDocsTree(docs);
  return loadTree(tree, readRecipes(recipes), options);
}

/** Reads the recipes file; its name in messages is relative to the working directory. */
export function readRecipes(recipes: string): RecipesInput {
  try {
    return { file: path.relative(process.cwd(), recipes) || recipes, text: readFileSync(recipes, 'utf8') };
  } catch {
    throw new UsageError(`recipes file \`${recipes}\` cannot be read; pass --recipes=FILE (see the README, "Request recipes")`);
  }
}

/** Runs the pipeline over a tree that has been read, parsing through the cache and over threads when asked. */
export function loadTree(tree: DocsTree, recipes: RecipesInput, options: LoadOptions = {}): PipelineResult {
  const cache = options.cache ? ParseCache.open(options.cache, tree.root) : null;
  const pages = parsePages(tree.files, { cache, threads: options.threads ?? 1 });
  const result = runPipeline(tree, recipes, { pages, ...(cache ? { recipes: cache.recipes(recipes.file, recipes.text) } : {}) });
  // The cache only saves time: a run whose cache cannot be written is still a good run.
  cache?.save();
  return result;
}

/** Runs generate; returns the exit code. */
export function run(args: string[], out: (line: string) => void = console.log): number {
  const values = flags(
    args,
    {
      docs: { type: 'string', default: 'docs' },
      recipes: { type: 'string', default: RECIPES_FILE },
      out: { type: 'string', default: '.' },
      cache: { type: 'string', default: DEFAULT_CACHE_DIR },
      'no-cache': { type: 'boolean', default: false },
      baseline: { type: 'string', default: BASELINE_FILE },
    },
    USAGE,
  );
  const baseline = readBaselineFor(values.docs, values.baseline, process.cwd());
  const report = generateFrom(values.docs, readRecipes(values.recipes), { out: values.out, cache: values['no-cache'] ? null : values.cache, threads: 'auto', baseline });
  if (report.diagnostics.length > 0) out(formatText(report.diagnostics));
  const blocking = blockingErrors(report.diagnostics, baseline).length;
  const accepted = report.diagnostics.filter((d) => d.severity === 'error').length - blocking;
  if (accepted > 0) out(`generate: ${accepted} error${accepted === 1 ? ' above is' : 's above are'} accepted by ${values.baseline}, so the rest of the contract is built.`);
  if (!report.wrote) {
    out(`generate: ${summarize(report.diagnostics)}; nothing written. Fix the errors above and run \`npm run generate\` again.`);
    return 1;
  }
  for (const file of report.written) out(`wrote ${file}`);
  for (const file of report.removed) out(`removed ${file}`);
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out(`generate: ${count(report.cases, 'case')} from ${count(report.files, 'file')} (${report.locales.join(', ')}); ${report.written.length} written, ${report.removed.length} removed, ${report.unchanged} unchanged; ${summarize(report.diagnostics)}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main('generate', run);
