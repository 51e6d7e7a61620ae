/**
 * The one path every command takes: read → parse → contract, then for `generate` and `drift`
 * build (and for `generate` write). `validate` and the suite's docs checks stop after the
 * contract and run the checks over it. The parse cache is the only variant, plugged in here.
 */
import { buildOutputs, type BuildResult } from './build.ts';
import { ParseCache } from './cache.ts';
import { buildContract, type Contract } from './contract.ts';
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import type { PageModel, SourceFile } from './model.ts';
import type { ParseResult } from './parse.ts';
import { gate, type Gated } from './gate.ts';
import { progressOn } from './progress.ts';
import { readDocsTree, readRecipes, type DocsTree, type RecipesInput } from './read.ts';
import { parseRecipes } from './recipes.ts';

/** How to load a docs tree. */
export interface LoadOptions {
  /** Folder of the parse cache; null: parse every page. */
  cache: string | null;
  /** Told after each page is parsed (or taken from the cache), for a progress line on a big tree. */
  onParsed?: (done: number, total: number) => void;
}

/** A docs tree once its pages are parsed: the files without their texts, which only the parser reads. */
export type ParsedTree = Omit<DocsTree, 'files'> & { files: Array<Omit<SourceFile, 'text'>> };

/** A docs tree read, parsed and merged into its contract. */
export interface Loaded {
  /** The tree, its texts let go: on a large tree they were a quarter of what a run keeps. */
  tree: ParsedTree;
  /** One model per file of the tree, in the tree's order. */
  models: PageModel[];
  contract: Contract;
  /** The reader's, the parser's and the contract's diagnostics, sorted. */
  diagnostics: Diagnostic[];
  /** Why the parse cache could not be written (the results do not depend on it); null when it was, or there is none. */
  cacheProblem: string | null;
}

/** The parser of one page: `parsePage` of parse.ts, which a caller that parses imports and passes in. */
export type PageParser = typeof import('./parse.ts').parsePage;

/** Reads the docs at `docs` and takes them through parse and contract. */
export function loadDocs(docs: string, options: LoadOptions, parse: PageParser): Loaded {
  return loadTree(readDocsTree(docs), options, parse);
}

/** Parses a tree that has been read (through the cache when there is one) and builds its contract. */
export function loadTree(tree: DocsTree, options: LoadOptions, parse: PageParser): Loaded {
  const { cache, cached } = fromCache(tree, options);
  return contractOf(tree, cached, parse, cache, options.onParsed);
}

/**
 * `loadTree` that loads the parser (remark, liquidjs: most of what the pipeline loads) only when
 * a page is not in the cache: the suite's docs check on unchanged docs never loads it.
 */
export async function loadTreeLazily(tree: DocsTree, options: LoadOptions): Promise<Loaded> {
  const { cache, cached } = fromCache(tree, options);
  const parse = cached.includes(null) ? (await import('./parse.ts')).parsePage : null;
  return contractOf(tree, cached, parse, cache, options.onParsed);
}

/** The parse cache the options name (or none), and each file's result found in it (null: not there). */
function fromCache(tree: DocsTree, options: LoadOptions): { cache: ParseCache | null; cached: Array<ParseResult | null> } {
  const cache = options.cache === null ? null : ParseCache.open(options.cache, tree.root, tree.site?.digest);
  return { cache, cached: tree.files.map((file) => cache?.get(file) ?? null) };
}

/** Parses the pages not found in the cache (each stored in it), then merges every page's model into the contract. */
function contractOf(tree: DocsTree, cached: Array<ParseResult | null>, parse: PageParser | null, cache: ParseCache | null, onParsed?: LoadOptions['onParsed']): Loaded {
  const diagnostics: Diagnostic[] = [...tree.diagnostics];
  const models = tree.files.map((file, index) => {
    let result = cached[index] ?? null;
    if (result === null) {
      if (parse === null) throw new Error(`no parser for ${file.file}, which is not in the cache`);
      const parsed = parse(file, tree.site ?? null);
      result = cache ? cache.set(file, parsed) : parsed;
    }
    diagnostics.push(...result.diagnostics);
    onParsed?.(index + 1, tree.files.length);
    return result.page;
  });
  const cacheProblem = cache?.save() ?? null;
  const { contract, diagnostics: found } = buildContract(models, tree.sourceLocale);
  diagnostics.push(...found);
  const files = tree.files.map(({ text: _text, ...file }) => file);
  return { tree: { ...tree, files }, models, contract, diagnostics: sortDiagnostics(diagnostics), cacheProblem };
}

/** The generated files and what stops generate writing them. */
export type Built = BuildResult & Pick<Gated, 'blocking' | 'leftOut'>;

/** A loaded tree's contract, less the responses whose examples contradict themselves, built with the recipes into the generated files; the diagnostics of every stage, sorted, and those that stop generate. */
export function buildFrom(loaded: Loaded, input: RecipesInput): Built {
  const recipes = parseRecipes(input.text, input.file);
  const sound = gate(loaded.contract, loaded.diagnostics, loaded.models);
  const build = buildOutputs(sound.contract, recipes);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...recipes.diagnostics, ...build.diagnostics]);
  return { ...build, diagnostics, blocking: gate(loaded.contract, diagnostics, loaded.models).blocking, leftOut: sound.leftOut };
}

/** Takes the docs and recipes the flags name through the pipeline up to the built files; a cache that could not be written is said on `err`. */
export function loadAndBuild(name: string, values: { docs: string; recipes: string; cache: string; 'no-cache': boolean; quiet?: boolean }, err: (line: string) => void, parse: PageParser): { loaded: Loaded; build: Built } {
  const recipes = readRecipes(values.recipes);
  const progress = progressOn(process.stderr, 'pages', values.quiet ?? false);
  const loaded = loadDocs(values.docs, { cache: values['no-cache'] ? null : values.cache, ...(progress ? { onParsed: progress.update } : {}) }, parse);
  progress?.finish();
  if (loaded.cacheProblem) err(`${name}: ${loaded.cacheProblem}`);
  return { loaded, build: buildFrom(loaded, recipes) };
}
