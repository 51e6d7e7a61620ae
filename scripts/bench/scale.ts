/**
 * How generate scales, each size in a fresh child process: peak memory at N = 10 000 pages,
 * and the time per page at N = 500, 2 000 and 8 000 (which must stay flat: no step of the
 * pipeline may grow faster than the number of pages).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildResult } from './child.ts';
import { makeCorpus, writeCorpus, type CorpusOptions } from './corpus.ts';
import { ratioFigure, round, type Figure } from './figures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join(ROOT, 'scripts/bench/child.ts');

/** A child generate run over a corpus written for it, and the corpus's size. */
export interface SizedRun extends ChildResult {
  pages: number;
  locales: number;
  corpusBytes: number;
}

/** Writes a corpus under `dir`, runs generate on it in a child process, removes the corpus. */
export async function generateInChild(dir: string, corpusOptions: CorpusOptions, threads: 'auto' | number, warmUp = false): Promise<SizedRun> {
  const work = path.join(dir, `scale-${corpusOptions.pages}x${corpusOptions.locales}`);
  mkdirSync(work, { recursive: true });
  let corpusBytes: number;
  {
    const corpus = makeCorpus(corpusOptions);
    writeCorpus(corpus, path.join(work, 'docs'));
    writeFileSync(path.join(work, 'recipes.yaml'), corpus.recipes);
    corpusBytes = corpus.bytes;
  }
  try {
    const args = ['--import', 'tsx', CHILD, `--docs=${path.join(work, 'docs')}`, `--recipes=${path.join(work, 'recipes.yaml')}`, `--out=${path.join(work, 'out')}`, `--cache=${path.join(work, 'cache')}`, `--threads=${threads}`, ...(warmUp ? ['--warm-up'] : [])];
    const result = await runChild(args);
    return { ...result, pages: corpusOptions.pages, locales: corpusOptions.locales, corpusBytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as ChildResult);
      } catch (error) {
        reject(new Error(`generate in a child process failed (${(error as Error).message}): ${stderr.trim().split('\n').slice(-5).join('\n')}`));
      }
    });
  });
}

const MB = 1048576;

/** Figure 6: peak memory of a cold generate (the defaults: cache on, threads auto) at `pages` pages. */
export async function benchMemory(dir: string, pages: number, locales: number): Promise<{ figure: Figure; run: SizedRun }> {
  const run = await generateInChild(dir, { pages, locales }, 'auto');
  const allowance = 2 * run.corpusBytes + 200 * MB;
  const figure = ratioFigure(`generate peak memory, N = ${pages} × ${locales} locales (child process)`, 'MB', run.maxRssBytes / MB, run.corpusBytes / MB, { atMost: 2 });
  // The target is 2× the corpus plus 200 MB: not a plain ratio, so it is stated and checked here.
  return { figure: { ...figure, target: `≤ 2× floor + 200 MB (= ${round(allowance / MB)} MB)`, met: run.maxRssBytes <= allowance }, run };
}

/** Growth: time per page of a cold generate on one thread at each size, against the smallest. */
export async function benchGrowth(dir: string, sizes: readonly number[], locales: number, log: (line: string) => void): Promise<{ figures: Figure[]; runs: SizedRun[] }> {
  const runs: SizedRun[] = [];
  for (const pages of sizes) {
    log(`growth: generate N = ${pages} × ${locales} locales on 1 thread, in a child process`);
    runs.push(await generateInChild(dir, { pages, locales }, 1, true));
  }
  const perPage = (r: SizedRun) => (r.ms * 1000) / r.files;
  const base = runs[0];
  if (!base) return { figures: [], runs };
  const figures = runs.slice(1).map((r) =>
    ratioFigure(`generate time per page, N = ${r.pages} vs N = ${base.pages} (× ${locales} locales, 1 thread)`, 'µs/file', perPage(r), perPage(base), { atMost: 1.3 }),
  );
  return { figures, runs };
}
