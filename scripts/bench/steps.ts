/**
 * The steps the benchmark times over a docs tree: what `npm run generate` does (with the
 * recipes given in memory), and the floor it is compared with: reading and remark-parsing
 * the same files and nothing else.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { formatText, summarize } from '../lib/diagnostics.ts';
import { generateFrom } from '../lib/generate.ts';
import type { RecipesInput } from '../lib/pipeline.ts';
import type { Threads } from '../lib/workers.ts';
import { listGenerated } from '../lib/write.ts';

/** What one generate run did. */
export interface GenerateRun {
  ms: number;
  files: number;
  cases: number;
  written: number;
  /** Whether the run record showed nothing changed. */
  reused: boolean;
}

/**
 * Does what `npm run generate` does, timed: read the tree, generate (through the cache, null:
 * none, and threads), format the diagnostics. Throws if the docs have errors: a benchmark
 * corpus must generate.
 */
export function generateOnce(docs: string, recipes: RecipesInput, out: string, options: { cache: string | null; threads: Threads }): GenerateRun {
  const start = performance.now();
  const report = generateFrom(docs, recipes, { out, ...options });
  const text = formatText(report.diagnostics);
  const ms = performance.now() - start;
  if (!report.wrote) {
    throw new Error(`the benchmark corpus does not generate (${summarize(report.diagnostics)}):\n${text.split('\n').slice(0, 5).join('\n')}`);
  }
  return { ms, files: report.files, cases: report.cases, written: report.written.length, reused: report.reused };
}

/** Total size of the generated files under `out`. */
export function outputBytes(out: string): number {
  let bytes = 0;
  for (const rel of listGenerated(out)) bytes += statSync(path.join(out, rel)).size;
  return bytes;
}

/** The same processor the parser uses: remark-parse, plus remark-frontmatter, which any page with front-matter needs. */
const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** The floor: read every file and remark-parse it, nothing else. Returns milliseconds. */
export function readAndParse(root: string, files: readonly string[]): number {
  const start = performance.now();
  for (const file of files) processor.parse(readFileSync(path.join(root, file), 'utf8'));
  return performance.now() - start;
}
