/**
 * The generator's pipeline, stage by stage: parse every file, build the contract,
 * join the recipes, build the outputs. Pure: it takes what the reader read.
 * Parsing may be done beforehand (`parsePages`: through the parse cache, over worker
 * threads) and handed in; the results are the same either way.
 */
import { buildOutputs, type BuildResult } from './build.ts';
import type { ParseCache } from './cache.ts';
import { buildContract, type Contract } from './contract.ts';
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import type { PageModel, SourceFile } from './model.ts';
import { parsePage, type ParseResult } from './parse.ts';
import type { DocsTree } from './read.ts';
import { parseRecipes, type RecipeSet } from './recipes.ts';
import { parseFiles, type Threads, type ThreadStats } from './workers.ts';

/** Everything the pipeline produces from one docs tree. */
export interface PipelineResult {
  models: PageModel[];
  contract: Contract;
  build: BuildResult;
  /** All diagnostics of every stage, sorted. */
  diagnostics: Diagnostic[];
}

/** The recipes file as read: its name for messages and its text. */
export interface RecipesInput {
  file: string;
  text: string;
}

/** Work done before the pipeline runs (from a cache, on other threads); the same as what it would do itself. */
export interface Prepared {
  /** `parsePage` of each of `tree.files`, in the same order. */
  pages?: readonly ParseResult[];
  /** `parseRecipes` of the recipes input. */
  recipes?: RecipeSet;
}

/** Runs parse → contract → build over a docs tree that has been read. */
export function runPipeline(tree: DocsTree, recipesInput: RecipesInput, prepared: Prepared = {}): PipelineResult {
  if (prepared.pages && prepared.pages.length !== tree.files.length) {
    throw new TypeError(`prepared.pages has ${prepared.pages.length} results for ${tree.files.length} files`);
  }
  const diagnostics: Diagnostic[] = [...tree.diagnostics];
  const models = tree.files.map((file, i) => {
    const { page, diagnostics: found } = prepared.pages?.[i] ?? parsePage(file, tree.site ?? null);
    diagnostics.push(...found);
    return page;
  });
  const { contract, diagnostics: contractDiagnostics } = buildContract(models, tree.sourceLocale);
  diagnostics.push(...contractDiagnostics);
  const recipes = prepared.recipes ?? parseRecipes(recipesInput.text, recipesInput.file);
  diagnostics.push(...recipes.diagnostics);
  const build = buildOutputs(contract, recipes);
  diagnostics.push(...build.diagnostics);
  return { models, contract, build, diagnostics: sortDiagnostics(diagnostics) };
}

/** How to parse: through a cache, over threads. */
export interface ParseOptions {
  cache?: ParseCache | null;
  threads?: Threads;
  /** Filled with what the threads did. */
  threadStats?: ThreadStats;
  /** Let each file's text go (set it to '') once it is found in the cache or parsed: see `parseFiles`. */
  releaseTexts?: boolean;
}

/** `parsePage` of every file, in order: cache hits first, the rest parsed over threads and stored. */
export function parsePages(files: readonly SourceFile[], options?: ParseOptions): ParseResult[];
/** The same, each result handed to `keep` as it comes (after the cache has it), and what that returns kept instead. */
export function parsePages<T>(files: readonly SourceFile[], options: ParseOptions & { keep: (result: ParseResult) => T }): T[];
export function parsePages<T>(files: readonly SourceFile[], options: ParseOptions & { keep?: (result: ParseResult) => T } = {}): Array<T | ParseResult> {
  const { cache, threads = 1, releaseTexts = false } = options;
  const keep = options.keep ?? ((result: ParseResult) => result);
  const results: Array<T | ParseResult | undefined> = files.map((file) => {
    const hit = cache?.page(file);
    if (hit && releaseTexts) file.text = '';
    return hit && keep(hit);
  });
  const missing = files.filter((_, i) => results[i] === undefined);
  // Keyed now, while every text is there: parsing may let them go.
  const keys = cache ? missing.map((file) => cache.key(file)) : [];
  const parsed = parseFiles(missing, {
    threads,
    releaseTexts,
    ...(options.threadStats ? { stats: options.threadStats } : {}),
    keep: (result: ParseResult, i: number) => {
      cache?.store(keys[i] as string, result);
      return keep(result);
    },
  });
  let next = 0;
  return results.map((hit) => hit ?? (parsed[next++] as T | ParseResult));
}
