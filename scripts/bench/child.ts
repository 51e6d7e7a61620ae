/**
 * One generate run in a fresh process, for the figures a long-lived process would blur:
 * peak memory (the process's maximum resident set, worker threads included) and the time
 * per page at a given size. Prints one JSON line: `{"ms":…,"maxRssBytes":…,"files":…}`.
 *
 *   tsx scripts/bench/child.ts --docs=DIR --recipes=FILE --out=DIR [--cache=DIR] [--threads=auto|N] [--warm-up]
 *
 * With --warm-up it first generates a small corpus of its own, untimed, so that the timed run
 * does not pay for compiling the code: without it, small corpora look slower per page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeCorpus, writeCorpus } from './corpus.ts';
import { generateOnce } from './steps.ts';

/** What the child prints. */
export interface ChildResult {
  ms: number;
  maxRssBytes: number;
  files: number;
}

const { values } = parseArgs({
  options: {
    docs: { type: 'string' },
    recipes: { type: 'string' },
    out: { type: 'string' },
    cache: { type: 'string' },
    threads: { type: 'string', default: 'auto' },
    'warm-up': { type: 'boolean', default: false },
  },
  strict: true,
});
if (!values.docs || !values.recipes || !values.out) throw new Error('usage: child.ts --docs=DIR --recipes=FILE --out=DIR [--cache=DIR] [--threads=auto|N]');
const threads = values.threads === 'auto' ? 'auto' : Number(values.threads);
const recipes = { file: 'bench-recipes.yaml', text: readFileSync(values.recipes, 'utf8') };
if (values['warm-up']) {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-warm-up-'));
  try {
    const corpus = makeCorpus({ pages: 200, locales: 2, seed: 1 });
    writeCorpus(corpus, path.join(dir, 'docs'));
    generateOnce(path.join(dir, 'docs'), { file: 'warm-up.yaml', text: corpus.recipes }, path.join(dir, 'out'), { cache: null, threads });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const run = generateOnce(values.docs, recipes, values.out, { cache: values.cache ?? null, threads });
// maxRSS is in kilobytes.
const result: ChildResult = { ms: run.ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, files: run.files };
process.stdout.write(`${JSON.stringify(result)}\n`);
