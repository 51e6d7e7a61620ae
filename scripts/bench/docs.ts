/**
 * Figures of the docs pipeline on the synthetic corpus, all in this process and in one run:
 * the floor (read + remark-parse), generate cold (over threads, and on one thread), generate
 * warm from the cache (nothing changed; one page changed), and validate.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { RecipesInput } from '../lib/pipeline.ts';
import { MIN_FILES_PER_THREAD, threadCount } from '../lib/workers.ts';
import { makeCorpus, writeCorpus, type Corpus } from './corpus.ts';
import { median, notMeasured, ratioFigure, round, type Figure } from './figures.ts';
import { generateOnce, readAndParse, type GenerateRun } from './steps.ts';

/** Time the floor and cold-generate pairs may take before a third or later pair is skipped. */
export const PAIRS_BUDGET_MS = 110_000;

/** Where the corpus is, and how many runs to make. */
export interface DocsBenchOptions {
  corpus: Corpus;
  /** Work folder: holds `docs/` (the corpus, written) and gets `out/` and cache folders. */
  dir: string;
  runs: number;
  log: (line: string) => void;
}

/** Measures figures 1–3 (generate cold and validate against the floor, generate warm against cold) and the gain of worker threads. */
export async function benchDocs(options: DocsBenchOptions): Promise<{ figures: Figure[]; notes: string[] }> {
  const { corpus, dir, runs, log } = options;
  const docs = path.join(dir, 'docs');
  const recipes: RecipesInput = { file: 'bench-recipes.yaml', text: corpus.recipes };
  const files = corpus.files.map((f) => f.file);
  // Every run gets folders of its own, all removed at the end: removing thousands of files
  // between runs would slow the next run's writes on some file systems (ext4 with `discard`).
  let folders = 0;
  const fresh = (name: string) => path.join(dir, `${name}-${++folders}`);
  const figures: Figure[] = [];
  const notes: string[] = [];
  const threads = threadCount('auto', files.length);

  // Untimed: a small corpus of its own through every step, so that the first timed run
  // does not pay for compiling the code.
  log('warm-up: generate a 200-page corpus, untimed');
  const warmUp = makeCorpus({ pages: 200, locales: Math.min(2, corpus.locales.length), seed: 1 });
  writeCorpus(warmUp, path.join(dir, 'warm-up'));
  generateOnce(path.join(dir, 'warm-up'), { file: 'warm-up.yaml', text: warmUp.recipes }, fresh('warm-up-out'), { cache: null, threads: 'auto' });
  readAndParse(path.join(dir, 'warm-up'), warmUp.files.map((f) => f.file));

  // Floor and cold generate alternate, so that a busy moment of the machine hits both alike.
  // A cold run has neither cache nor outputs: it writes every output into an empty folder.
  // These are the longest runs of the benchmark: after two pairs, another is made only while
  // the pairs stay within PAIRS_BUDGET_MS, so that a slow or busy machine still finishes in time.
  const floor: number[] = [];
  const cold: GenerateRun[] = [];
  let out = '';
  let cache = '';
  const pairsStart = performance.now();
  for (let i = 0; i < runs; i++) {
    const spent = performance.now() - pairsStart;
    if (i >= 2 && spent + spent / i > PAIRS_BUDGET_MS) break;
    log(`floor: read + remark-parse, run ${i + 1}/${runs}`);
    floor.push(readAndParse(docs, files));
    log(`generate cold (${threadsOf(threads)}), run ${i + 1}/${runs}`);
    out = fresh('out');
    cache = fresh('cache');
    cold.push(generateOnce(docs, recipes, out, { cache, threads: 'auto' }));
  }
  notes.push(
    `floor and generate cold: median of ${floor.length} run${floor.length === 1 ? '' : 's'} each${floor.length < runs ? ` (not ${runs}: another pair would have taken them past ${PAIRS_BUDGET_MS / 1000} s)` : ''}, alternating.`,
  );
  const floorMs = median(floor);
  const coldMs = median(cold.map((r) => r.ms));
  const first = cold[0];
  notes.push(
    `corpus: ${files.length} files (${files.length / corpus.locales.length} pages × ${corpus.locales.length} locales: ${corpus.locales.join(', ')}), ${round(corpus.bytes / 1048576)} MB, ${first?.cases ?? 0} cases, ${first?.written ?? 0} generated files.`,
  );
  figures.push(ratioFigure(`generate cold (${threadsOf(threads)}) vs read + remark-parse`, 'ms', coldMs, floorMs, { atMost: 1.3 }));

  const gain = `worker threads: generate cold, ${threadsOf(threads)} vs 1 thread`;
  if (threads > 1) {
    log('generate cold on 1 thread, 1 run');
    const single = generateOnce(docs, recipes, fresh('out'), { cache: fresh('cache'), threads: 1 }).ms;
    figures.push(ratioFigure('generate cold (1 thread) vs read + remark-parse', 'ms', single, floorMs, { atMost: 1.3 }));
    figures.push(ratioFigure(gain, 'ms', coldMs, single, { atMost: 0.8 }));
    notes.push('generate cold on 1 thread: 1 run, against the median of the cold runs over threads.');
  } else {
    const why = availableParallelism() === 1 ? 'one core' : `${files.length} files is below the ${2 * MIN_FILES_PER_THREAD} at which generate uses a second thread`;
    figures.push(notMeasured(gain, 'ms', '≤ 0.8× floor', why));
  }

  // Warm: the cache and the outputs the last cold run left.
  const warm: GenerateRun[] = [];
  for (let i = 0; i < runs; i++) {
    log(`generate warm, nothing changed, run ${i + 1}/${runs}`);
    warm.push(generateOnce(docs, recipes, out, { cache, threads: 'auto' }));
  }
  const reused = warm.filter((r) => r.reused).length;
  notes.push(
    `generate warm, nothing changed: ${reused} of ${warm.length} run${warm.length === 1 ? '' : 's'} found the run record current (inputs and outputs as recorded) and parsed, built and wrote nothing; each still read and hashed every docs file and every output.`,
  );
  figures.push(ratioFigure('generate warm, nothing changed vs generate cold', 'ms', median(warm.map((r) => r.ms)), coldMs, { atMost: 0.1 }));

  const changed: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`generate warm, one page changed, run ${i + 1}/${runs}`);
    changeOnePage(docs, corpus, i);
    changed.push(generateOnce(docs, recipes, out, { cache, threads: 'auto' }).ms);
  }
  figures.push(ratioFigure('generate warm, one page changed vs generate cold', 'ms', median(changed), coldMs, { atMost: 0.15 }));

  figures.push(await benchValidate(docs, floorMs, log, notes));
  return { figures, notes };
}

function threadsOf(n: number): string {
  return `${n} thread${n === 1 ? '' : 's'}`;
}

/** Rewrites one source-locale page so that the description of one of its errors changes. */
function changeOnePage(docs: string, corpus: Corpus, k: number): void {
  const pages = corpus.files.length / corpus.locales.length;
  const file = corpus.files[(k * 7919) % pages];
  if (!file) return;
  const abs = path.join(docs, file.file);
  writeFileSync(abs, readFileSync(abs, 'utf8').replace('If the widget tends to', `If the widget (change ${k + 1}) tends to`));
}

/** Figure 3: `npm run validate` on the corpus, in this process, when the command exists. */
async function benchValidate(docs: string, floorMs: number, log: (line: string) => void, notes: string[]): Promise<Figure> {
  const name = 'validate vs read + remark-parse';
  let validate: { run: (args: string[], io: { out: (t: string) => void; err: (t: string) => void }) => number };
  try {
    validate = await import('../cli/validate.ts');
  } catch {
    return notMeasured(name, 'ms', '≤ 1.5× floor', 'validate not available');
  }
  // One run: it is the slowest figure of the group (validate parses on one thread).
  log('validate, 1 run');
  const start = performance.now();
  try {
    validate.run(['--docs', docs, '--no-baseline', '--format', 'json'], { out: () => {}, err: () => {} });
  } catch (error) {
    return notMeasured(name, 'ms', '≤ 1.5× floor', `validate failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const ms = performance.now() - start;
  notes.push('validate: 1 run (`--no-baseline --format=json`, output discarded), against the floor of the generate runs.');
  return ratioFigure(name, 'ms', ms, floorMs, { atMost: 1.5 });
}
