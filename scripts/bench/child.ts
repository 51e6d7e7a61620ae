/**
 * Generate runs in a fresh process, for the figures a long-lived process would blur.
 * Prints one JSON line.
 *
 *   tsx scripts/bench/child.ts memory --docs=DIR --recipes=FILE --out=DIR --cache=DIR
 *     one cold generate (cache and threads as `npm run generate` has them); prints
 *     `{"ms":…,"maxRssBytes":…,"files":…,"outputBytes":…}`: the peak resident set of the
 *     whole process, worker threads included.
 *   tsx scripts/bench/child.ts growth --dir=DIR --sizes=500,2000,8000 --locales=L
 *     a cold generate on one thread per size (a worker thread would start with its own
 *     cold JIT each run, which weighs most on the smallest size), each over a corpus written
 *     under DIR; first the middle size runs untimed, so that no size pays for compiling the
 *     code (and the JIT has seen enough to settle). Prints `[{"pages":…,"files":…,"ms":…}, …]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeCorpus, writeCorpus } from './corpus.ts';
import { generateOnce, outputBytes } from './steps.ts';

/** What `memory` prints. */
export interface MemoryResult {
  ms: number;
  maxRssBytes: number;
  files: number;
  /** Total size of the generated files. */
  outputBytes: number;
}

/** What `growth` prints, per size. */
export interface GrowthPoint {
  pages: number;
  files: number;
  ms: number;
}

const { values, positionals } = parseArgs({
  options: {
    docs: { type: 'string' },
    recipes: { type: 'string' },
    out: { type: 'string' },
    cache: { type: 'string' },
    dir: { type: 'string' },
    sizes: { type: 'string' },
    locales: { type: 'string' },
  },
  allowPositionals: true,
  strict: true,
});

if (positionals[0] === 'memory' && values.docs && values.recipes && values.out && values.cache) {
  const recipes = { file: 'bench-recipes.yaml', text: readFileSync(values.recipes, 'utf8') };
  const run = generateOnce(values.docs, recipes, values.out, { cache: values.cache, threads: 'auto' });
  // Taken before the outputs are measured, which is the benchmark's work, not generate's. maxRSS is in kilobytes.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const result: MemoryResult = { ms: run.ms, maxRssBytes, files: run.files, outputBytes: outputBytes(values.out) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else if (positionals[0] === 'growth' && values.dir && values.sizes && values.locales) {
  const sizes = values.sizes.split(',').map(Number);
  const locales = Number(values.locales);
  const runs = [{ pages: sizes[1] ?? sizes[0] ?? 1, counts: false }, ...sizes.map((pages) => ({ pages, counts: true }))];
  const points: GrowthPoint[] = [];
  for (const [i, { pages, counts }] of runs.entries()) {
    const work = path.join(values.dir, `growth-${i}`);
    const corpus = makeCorpus({ pages, locales });
    writeCorpus(corpus, path.join(work, 'docs'));
    const recipes = { file: 'bench-recipes.yaml', text: corpus.recipes };
    const run = generateOnce(path.join(work, 'docs'), recipes, path.join(work, 'out'), { cache: path.join(work, 'cache'), threads: 1 });
    // Not removed here: removing thousands of files slows the next run's writes on some file
    // systems (ext4 with `discard`). The benchmark removes its whole folder at the end.
    if (counts) points.push({ pages, files: run.files, ms: run.ms });
  }
  process.stdout.write(`${JSON.stringify(points)}\n`);
} else {
  process.stderr.write('usage: child.ts memory --docs=DIR --recipes=FILE --out=DIR --cache=DIR | growth --dir=DIR --sizes=N,N,… --locales=L\n');
  process.exitCode = 2;
}
