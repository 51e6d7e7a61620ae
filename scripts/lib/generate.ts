/**
 * `npm run generate` as one function: a docs tree that has been read → the generated files on
 * disk. The same stages as `runPipeline` and the same files as `buildOutputs`, but made to scale:
 *
 * - each page keeps only what the contract reads of it (`contractPage`), taken as it is parsed,
 *   and each file's text is let go once parsed;
 * - the contract's responses are made a page at a time as they are written (`streamContract`),
 *   never all held at once;
 * - the files are written one at a time as they are built (the cases file a case at a time),
 *   so no generated file is held whole;
 * - with a cache folder, a run record (one per docs tree and output folder) remembers the key
 *   of the inputs, the diagnostics and the SHA-256 of every file written. A run whose inputs have
 *   that key, over outputs that still have those hashes, has nothing to do: it reports the
 *   recorded diagnostics and parses, builds and writes nothing. Anything else runs in full
 *   (through the parse cache).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { blockingErrors, type Baseline } from './baseline.ts';
import { emitOutputs, recipeCheck } from './build.ts';
import { codeVersion, keepMostRecent, pageKey, ParseCache, recipesKey, touch } from './cache.ts';
import { streamContract } from './contract.ts';
import { compare, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { contractPage } from './model.ts';
import type { ParseResult } from './parse.ts';
import { parsePages, type RecipesInput } from './pipeline.ts';
import { readDocsTree, type DocsTree } from './read.ts';
import { parseRecipes } from './recipes.ts';
import { stableJson } from './stable-json.ts';
import type { Threads, ThreadStats } from './workers.ts';
import { listGenerated, OutputWriter, sha256OfFile } from './write.ts';

/** How to generate. */
export interface GenerateOptions {
  /** Folder the generated files go under (they are `schemas/…` and `tests/fixtures/…` in it). */
  out: string;
  /** Folder of the parse cache and the run records; null: none (every run in full). */
  cache: string | null;
  threads: Threads;
  /** Filled with what the parsing threads did (untouched when nothing was parsed). */
  threadStats?: ThreadStats;
  /** Accepted findings: errors it lists do not stop the run (the rest of the contract is built). */
  baseline?: Baseline | null;
}

/** What a generate run did. */
export interface GenerateReport {
  /** Every diagnostic, sorted. */
  diagnostics: Diagnostic[];
  /** False when the docs have errors the baseline does not accept: then nothing was written or removed. */
  wrote: boolean;
  written: string[];
  removed: string[];
  unchanged: number;
  cases: number;
  /** Docs files read. */
  files: number;
  /** Locales of the docs, sorted. */
  locales: string[];
  /** True when the run record showed that nothing changed, so nothing was parsed, built or written. */
  reused: boolean;
}

/**
 * Heap growth between full garbage collections, in percent (V8's `--heap-growing-percent`).
 * V8 otherwise lets the heap grow to up to 4× what was live after the last full collection;
 * parsing a large tree makes a great deal of short-lived garbage beside a slowly growing set of
 * page models, so that slack, not the models, made most of the peak memory (at 10 000 pages
 * about 470 MB against 200 MB at 30%). 15% took a further 5 MB or so off the peak, for the same
 * time within noise. Either costs time against V8's own heuristics: parsing 10 000 files on two
 * threads took about 15% longer, for some 140 MB less at the peak (`npm run bench`).
 */
export const HEAP_GROWING_PERCENT = 15;

/** V8's default `--semi-space-growth-factor`, put back after a run. */
const SEMI_SPACE_GROWTH_FACTOR = 2;

let heapDepth = 0;

/**
 * Runs `run` with the heap settings of a generate run, then puts V8's defaults back: the
 * heap growth above, and a young generation that stays the size it has when the run starts
 * (`--semi-space-growth-factor=1`). Reading a large tree keeps most of what it allocates (the
 * texts), which V8 takes as a reason to double the young generation, and parsing then keeps it
 * there. V8 flags hold for the whole process, worker threads included; calls may nest.
 */
export function withRunHeap<T>(run: () => T): T {
  if (heapDepth++ === 0) {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    setFlagsFromString('--semi-space-growth-factor=1');
  }
  try {
    return run();
  } finally {
    if (--heapDepth === 0) {
      setFlagsFromString('--heap-growing-percent=0'); // V8's default: its own heuristics
      setFlagsFromString(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`);
    }
  }
}

/** Reads the docs tree at `docs` and runs generate over it, the reading included in the run's heap settings: what `npm run generate` does. */
export function generateFrom(docs: string, recipesInput: RecipesInput, options: GenerateOptions): GenerateReport {
  return withRunHeap(() => generate(readDocsTree(docs), recipesInput, options));
}

/**
 * Runs generate over a tree that has been read. Writes nothing when the docs have errors.
 * The tree is spent afterwards: each file's text is let go once it is parsed (set to ''), so
 * that a large tree's texts are not held beside its page models.
 */
export function generate(tree: DocsTree, recipesInput: RecipesInput, options: GenerateOptions): GenerateReport {
  return withRunHeap(() => generateTuned(tree, recipesInput, options));
}

function generateTuned(tree: DocsTree, recipesInput: RecipesInput, options: GenerateOptions): GenerateReport {
  const record = options.cache === null ? null : new RunRecord(options.cache, tree, options.out);
  const baseline = options.baseline ?? null;
  const key = record ? runKey(tree, recipesInput, options.out, baseline) : '';
  const reused = record?.reuse(key);
  if (reused) return { ...reused, files: tree.files.length, reused: true };

  const cache = options.cache === null ? null : ParseCache.open(options.cache, tree.root);
  const diagnostics: Diagnostic[] = [...tree.diagnostics];
  const models = parsePages(tree.files, {
    cache,
    threads: options.threads,
    // The run key is taken: nothing reads the texts again once parsed.
    releaseTexts: true,
    ...(options.threadStats ? { threadStats: options.threadStats } : {}),
    keep: (result: ParseResult) => {
      diagnostics.push(...result.diagnostics);
      return contractPage(result.page);
    },
  });
  const recipes = cache ? cache.recipes(recipesInput.file, recipesInput.text) : parseRecipes(recipesInput.text, recipesInput.file);
  // The recipes are checked in the same pass over the responses as the contract's own checks.
  const recipeChecks = recipeCheck(recipes);
  const { contract, diagnostics: contractDiagnostics } = streamContract(models, tree.sourceLocale, recipeChecks.visit);
  diagnostics.push(...contractDiagnostics, ...recipes.diagnostics, ...recipeChecks.finish());
  // The cache only saves time: a run whose cache cannot be written is still a good run.
  cache?.save();
  const sorted = sortDiagnostics(diagnostics);
  const base = { diagnostics: sorted, files: tree.files.length, locales: contract.locales, reused: false };
  if (blockingErrors(sorted, baseline).length > 0) {
    record?.save({ key, outcome: 'errors', diagnostics: sorted, cases: 0, locales: contract.locales, outputs: {} });
    return { ...base, wrote: false, written: [], removed: [], unchanged: 0, cases: 0 };
  }
  const writer = new OutputWriter(options.out);
  const cases = emitOutputs(contract, recipes, writer);
  const { written, removed, unchanged, hashes } = writer.finish();
  record?.save({ key, outcome: 'written', diagnostics: sorted, cases, locales: contract.locales, outputs: Object.fromEntries([...hashes].sort(([a], [b]) => compare(a, b))) });
  return { ...base, wrote: true, written, removed, unchanged, cases };
}

/** Bump when the record layout changes. */
const RECORD_FORMAT = 1;

/** Run records kept in a cache folder, the most recently used (one per docs tree and output folder). */
const MAX_RECORDS = 16;

/**
 * The key of a run's inputs: the code of generate and every module it uses, each file read
 * (path, locale, page, text), what the reader reported, the recipes, the output folder, and the
 * baseline's entries (they decide whether a run with errors writes).
 */
export function runKey(tree: DocsTree, recipes: RecipesInput, out: string, baseline: Baseline | null = null): string {
  const hash = createHash('sha256').update(`run ${RECORD_FORMAT}\0${codeVersion(['generate.ts'])}\0${path.resolve(out)}\0`);
  hash.update(`${tree.layout}\0${tree.sourceLocale ?? ''}\0${tree.locales.join(',')}\0${stableJson(tree.diagnostics)}\0`);
  for (const file of tree.files) hash.update(`${pageKey(file)}\0`);
  hash.update(recipesKey(recipes.file, recipes.text));
  hash.update(`\0${baseline ? baseline.entries.map((e) => e.fingerprint).join(',') : '-'}`);
  return hash.digest('hex');
}

/** What a run record holds. */
interface RecordData {
  key: string;
  outcome: 'written' | 'errors';
  diagnostics: Diagnostic[];
  cases: number;
  locales: string[];
  /** SHA-256 of every generated file, by path relative to the output folder. */
  outputs: Record<string, string>;
}

/** The run record of one docs tree and output folder. Unreadable or damaged records are no record. */
class RunRecord {
  readonly file: string;

  constructor(
    dir: string,
    tree: DocsTree,
    private readonly out: string,
  ) {
    const id = createHash('sha256').update(`${path.resolve(tree.root)}\0${path.resolve(out)}`).digest('hex').slice(0, 16);
    this.file = path.join(path.resolve(dir), `run-${id}.json`);
  }

  /** The recorded outcome when the inputs have `key` and the outputs on disk are the ones recorded; else null. */
  reuse(key: string): Omit<GenerateReport, 'files' | 'reused'> | null {
    let data: RecordData & { format?: number };
    try {
      data = JSON.parse(readFileSync(this.file, 'utf8')) as RecordData & { format?: number };
    } catch {
      return null;
    }
    if (data.format !== RECORD_FORMAT || data.key !== key || !Array.isArray(data.diagnostics) || typeof data.outputs !== 'object' || data.outputs === null) return null;
    const base = { diagnostics: data.diagnostics, cases: data.cases, locales: data.locales, written: [], removed: [] };
    if (data.outcome === 'errors') {
      touch(this.file);
      return { ...base, wrote: false, unchanged: 0 };
    }
    const outputs = Object.entries(data.outputs);
    const onDisk = listGenerated(this.out);
    if (onDisk.length !== outputs.length || onDisk.some((rel) => !Object.hasOwn(data.outputs, rel))) return null;
    for (const [rel, digest] of outputs) if (sha256OfFile(path.join(this.out, rel)) !== digest) return null;
    touch(this.file);
    return { ...base, wrote: true, unchanged: outputs.length };
  }

  /** Writes the record (atomically); keeps the MAX_RECORDS most recently used of the folder. A record that cannot be written is no record. */
  save(data: RecordData): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(temp, `${JSON.stringify({ format: RECORD_FORMAT, ...data })}\n`);
      renameSync(temp, this.file);
    } catch {
      rmSync(temp, { force: true });
      return;
    }
    keepMostRecent(this.file, /^run-[0-9a-f]{16}\.json$/, MAX_RECORDS);
  }
}
