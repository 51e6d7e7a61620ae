/**
 * The steps the benchmark times over a docs tree: what `npm run generate` does (with the
 * recipes given in memory), and the floor it is compared with: reading and remark-parsing
 * the same files and nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { loadTree } from '../cli/generate.ts';
import { formatText, hasErrors, summarize } from '../lib/diagnostics.ts';
import type { RecipesInput } from '../lib/pipeline.ts';
import { readDocsTree } from '../lib/read.ts';
import type { Threads } from '../lib/workers.ts';
import { writeOutputs } from '../lib/write.ts';

/** What one generate run did. */
export interface GenerateRun {
  ms: number;
  /** Of which writing (or comparing with what is there) the outputs. */
  writeMs: number;
  files: number;
  cases: number;
  written: number;
  /** Total size of the generated files. */
  outputBytes: number;
}

/**
 * Does what `npm run generate` does, timed: read the tree, run the pipeline through the
 * cache (null: none) and threads, format the diagnostics, write the outputs under `out`.
 * Throws if the docs have errors: a benchmark corpus must generate.
 */
export function generateOnce(docs: string, recipes: RecipesInput, out: string, options: { cache: string | null; threads: Threads }): GenerateRun {
  const start = performance.now();
  const result = loadTree(readDocsTree(docs), recipes, options);
  const report = formatText(result.diagnostics);
  if (hasErrors(result.diagnostics)) {
    throw new Error(`the benchmark corpus does not generate (${summarize(result.diagnostics)}):\n${report.split('\n').slice(0, 5).join('\n')}`);
  }
  const writing = performance.now();
  const { written } = writeOutputs(out, result.build.files);
  const end = performance.now();
  let outputBytes = 0;
  for (const text of result.build.files.values()) outputBytes += Buffer.byteLength(text);
  return { ms: end - start, writeMs: end - writing, files: result.models.length, cases: result.build.cases.length, written: written.length, outputBytes };
}

/** The same processor the parser uses: remark-parse, plus remark-frontmatter, which any page with front-matter needs. */
const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** The floor: read every file and remark-parse it, nothing else. Returns milliseconds. */
export function readAndParse(root: string, files: readonly string[]): number {
  const start = performance.now();
  for (const file of files) processor.parse(readFileSync(path.join(root, file), 'utf8'));
  return performance.now() - start;
}
