/**
 * Figures of the docs pipeline on the synthetic corpus, all in this process and in one run:
 * the floor (read + remark-parse), generate cold (over threads, and on one thread), generate
 * warm from the cache (nothing changed; one page changed), and validate.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecipesInput } from '../lib/pipeline.ts';
import { MIN_FILES_PER_THREAD, threadCount } from '../lib/workers.ts';
import type { Corpus } from './corpus.ts';
import { median, notMeasured, ratioFigure, round, type Figure } from './figures.ts';
import { generateOnce, readAndParse } from './steps.ts';

/** Where the corpus is, and how many runs to make. */
export interface DocsBenchOptions {
  corpus: Corpus;
  /** Work folder: holds `docs/` (the corpus, written) and gets `out/` and cache folders. */
  dir: string;
  runs: number;
  log: (line: string) => void;
}

/** Measures figures 1–3 and the gain of worker threads. */
export async function benchDocs(options: DocsBenchOptions): Promise<{ figures: Figure[]; notes: string[] }> {
  const { corpus, dir, runs, log } = options;
  const docs = path.join(dir, 'docs');
  const out = path.join(dir, 'out');
  const recipes: RecipesInput = { file: 'bench-recipes.yaml', text: corpus.recipes };
  const files = corpus.files.map((f) => f.file);
  const freshCache = (i: number) => {
    const cache = path.join(dir, `cache-${i}`);
    rmSync(cache, { recursive: true, force: true });
    return cache;
  };
  const figures: Figure[] = [];
  const notes: string[] = [];
  const threads = threadCount('auto', files.length);

  // Untimed: fills out/ (so that every timed run, like a CI run on a clean checkout, finds
  // the committed outputs up to date) and warms up the JIT.
  log(`generate once, untimed, to fill the output folder (${files.length} files)`);
  const first = generateOnce(docs, recipes, out, { cache: null, threads: 'auto' });
  notes.push(`corpus: ${files.length} files (${corpus.files.length / corpus.locales.length} pages × ${corpus.locales.length} locales: ${corpus.locales.join(', ')}), ${round(corpus.bytes / 1048576)} MB, ${first.cases} cases.`);

  // Floor and cold generate alternate, so that a busy moment of the machine hits both alike.
  const floor: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`floor: read + remark-parse, run ${i + 1}/${runs}`);
    floor.push(readAndParse(docs, files));
    log(`generate cold (${threads} thread${threads === 1 ? '' : 's'}), run ${i + 1}/${runs}`);
    cold.push(generateOnce(docs, recipes, out, { cache: freshCache(i), threads: 'auto' }).ms);
  }
  const floorMs = median(floor);
  const coldMs = median(cold);
  figures.push(ratioFigure(`generate cold (${threadsOf(threads)}) vs read + remark-parse`, 'ms', coldMs, floorMs, { atMost: 1.3 }));

  const gain = `worker threads: generate cold, ${threadsOf(threads)} vs 1 thread`;
  if (threads > 1) {
    log('generate cold on 1 thread, 1 run');
    const single = generateOnce(docs, recipes, out, { cache: freshCache(runs), threads: 1 }).ms;
    figures.push(ratioFigure('generate cold (1 thread) vs read + remark-parse', 'ms', single, floorMs, { atMost: 1.3 }));
    figures.push(ratioFigure(gain, 'ms', coldMs, single, { atMost: 0.8 }));
  } else {
    figures.push(notMeasured(gain, 'ms', '≤ 0.8× floor', `${files.length} files is below the ${2 * MIN_FILES_PER_THREAD} at which generate uses a second thread`));
  }

  // Warm: the cache the last cold run left.
  const cache = path.join(dir, `cache-${runs - 1}`);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`generate warm, nothing changed, run ${i + 1}/${runs}`);
    warm.push(generateOnce(docs, recipes, out, { cache, threads: 'auto' }).ms);
  }
  figures.push(ratioFigure('generate warm, nothing changed vs generate cold', 'ms', median(warm), coldMs, { atMost: 0.1 }));

  const changed: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`generate warm, one page changed, run ${i + 1}/${runs}`);
    changeOnePage(docs, corpus, i);
    changed.push(generateOnce(docs, recipes, out, { cache, threads: 'auto' }).ms);
  }
  figures.push(ratioFigure('generate warm, one page changed vs generate cold', 'ms', median(changed), coldMs, { atMost: 0.15 }));

  figures.push(await benchValidate(docs, floorMs, runs, log, notes));
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
async function benchValidate(docs: string, floorMs: number, runs: number, log: (line: string) => void, notes: string[]): Promise<Figure> {
  const name = 'validate vs read + remark-parse';
  let validate: { run: (args: string[], io: { out: (t: string) => void; err: (t: string) => void }) => number };
  try {
    validate = await import('../cli/validate.ts');
  } catch {
    return notMeasured(name, 'ms', '≤ 1.5× floor', 'validate not available');
  }
  const times: number[] = [];
  const count = Math.max(1, Math.min(runs, 2));
  for (let i = 0; i < count; i++) {
    log(`validate, run ${i + 1}/${count}`);
    const start = performance.now();
    try {
      validate.run(['--docs', docs, '--no-baseline', '--format', 'json'], { out: () => {}, err: () => {} });
    } catch (error) {
      return notMeasured(name, 'ms', '≤ 1.5× floor', `validate failed: ${(error as Error).message.split('\n')[0]}`);
    }
    times.push(performance.now() - start);
  }
  notes.push(`validate: ${count} run${count === 1 ? '' : 's'} (\`--no-baseline --format=json\`, output discarded), against the floor of the generate runs.`);
  return ratioFigure(name, 'ms', median(times), floorMs, { atMost: 1.5 });
}
