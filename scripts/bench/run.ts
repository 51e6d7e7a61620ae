/**
 * The whole benchmark: writes the synthetic corpus to a temp folder, measures every figure
 * group in turn, removes the folder. Budgeted to finish in under 5 minutes at the defaults
 * on a 2-core machine: the big figures (memory, growth) run once each, the rest `runs` times.
 */
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { benchDir, makeCorpus, writeCorpus } from './corpus.ts';
import { benchDocs } from './docs.ts';
import { round, type Figure } from './figures.ts';
import { benchLoad } from './load.ts';
import { benchGrowth, benchMemory } from './scale.ts';
import { benchSuite } from './suite.ts';

/** The figure groups, in the order they run. */
export const GROUPS = ['docs', 'suite', 'load', 'memory', 'growth'] as const;

/** One of GROUPS. */
export type Group = (typeof GROUPS)[number];

/** What to measure. */
export interface BenchOptions {
  /** Pages of the corpus (each in every locale). */
  pages: number;
  locales: number;
  /** Runs of each repeated figure; the median is reported. */
  runs: number;
  only: ReadonlySet<Group>;
  log: (line: string) => void;
}

/** Pages of the memory figure. */
export const MEMORY_PAGES = 10_000;

/** Sizes of the growth figures. */
export const GROWTH_PAGES = [500, 2_000, 8_000] as const;

/**
 * Locales of the memory and growth corpora. At five locales the N = 10 000 and N = 8 000
 * corpora (50 000 and 40 000 files) alone would take the whole time budget; two locales
 * keep every cross-locale step in play at a size that fits.
 */
export const SCALE_LOCALES = 2;

/** Runs the benchmark; returns the figures and the notes to print under them. */
export async function runBench(options: BenchOptions): Promise<{ figures: Figure[]; notes: string[] }> {
  const { only, log } = options;
  const started = performance.now();
  const figures: Figure[] = [];
  const notes: string[] = [machine()];
  const loadBefore = loadavg()[0] ?? 0;
  const elapsed = () => `${round((performance.now() - started) / 1000)} s`;
  const progress = (line: string) => log(`[${elapsed()}] ${line}`);
  const dir = benchDir();
  try {
    if (only.has('docs')) {
      progress(`writing the corpus: ${options.pages} pages × ${options.locales} locales`);
      const corpus = makeCorpus({ pages: options.pages, locales: options.locales });
      writeCorpus(corpus, path.join(dir, 'docs'));
      const docs = await benchDocs({ corpus, dir, runs: options.runs, log: progress });
      figures.push(...docs.figures);
      notes.push(...docs.notes);
      rmSync(path.join(dir, 'docs'), { recursive: true, force: true });
    }
    if (only.has('suite')) figures.push(await benchSuite(dir, options.runs, progress, notes));
    if (only.has('load')) figures.push(await benchLoad(options.runs, 3, 10, progress, notes));
    if (only.has('memory')) {
      progress(`memory: generate N = ${MEMORY_PAGES} × ${SCALE_LOCALES} locales in a child process`);
      const { figure } = await benchMemory(dir, MEMORY_PAGES, SCALE_LOCALES);
      figures.push(figure);
    }
    if (only.has('growth')) {
      const growth = await benchGrowth(dir, GROWTH_PAGES, SCALE_LOCALES, progress);
      figures.push(...growth.figures);
      notes.push(`growth: ${growth.runs.map((r) => `N = ${r.pages}: ${round(r.ms / 1000)} s for ${r.files} files`).join('; ')} (1 run each, in a fresh process after an untimed warm-up, on 1 thread so that the thread count does not hide how the work grows).`);
    }
    if (only.has('memory') || only.has('growth')) notes.push(`memory and growth: 1 run each, corpora of ${SCALE_LOCALES} locales (see SCALE_LOCALES in scripts/bench/run.ts).`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push(`repeated figures: median of ${options.runs} runs. Whole run: ${elapsed()}. Load average (1 min) ${round(loadBefore)} at the start, ${round(loadavg()[0] ?? 0)} at the end, on ${availableParallelism()} cores: figures taken on a busy machine are noisy.`);
  return { figures, notes };
}

/** The machine, in one line. */
function machine(): string {
  let cpu = 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  return `machine: ${availableParallelism()} cores, ${cpu}, Node ${process.version}.`;
}
