/**
 * How generate scales, in fresh child processes: peak memory at N = 10 000 pages, and the
 * time per page at N = 500, 2 000 and 8 000 (which must stay flat: no step of the pipeline
 * may grow faster than the number of pages).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GrowthPoint, MemoryResult } from './child.ts';
import { makeCorpus, writeCorpus } from './corpus.ts';
import { ratioFigure, round, type Figure } from './figures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join(ROOT, 'scripts/bench/child.ts');
const MB = 1048576;

/** Runs child.ts with the arguments; resolves to what it printed, parsed. */
function runChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
      } catch (error) {
        reject(new Error(`generate in a child process failed (${(error as Error).message}): ${stderr.trim().split('\n').slice(-5).join('\n')}`));
      }
    });
  });
}

/** Figure 6: peak memory of a cold generate (cache and threads as `npm run generate` has them) at `pages` pages. */
export async function benchMemory(dir: string, pages: number, locales: number): Promise<{ figure: Figure; run: MemoryResult; corpusBytes: number }> {
  const work = path.join(dir, 'memory');
  mkdirSync(work, { recursive: true });
  let corpusBytes: number;
  {
    const corpus = makeCorpus({ pages, locales });
    writeCorpus(corpus, path.join(work, 'docs'));
    writeFileSync(path.join(work, 'recipes.yaml'), corpus.recipes);
    corpusBytes = corpus.bytes;
  }
  // The corpus stays until the benchmark removes its folder: see child.ts.
  const run = await runChild<MemoryResult>(['memory', `--docs=${path.join(work, 'docs')}`, `--recipes=${path.join(work, 'recipes.yaml')}`, `--out=${path.join(work, 'out')}`, `--cache=${path.join(work, 'cache')}`]);
  const allowance = 2 * corpusBytes + 200 * MB;
  const figure = ratioFigure(`generate peak memory (max RSS), N = ${pages} × ${locales} locale${locales === 1 ? '' : 's'}, vs corpus size`, 'MB', run.maxRssBytes / MB, corpusBytes / MB, { atMost: 2 });
  // The target is 2× the corpus plus 200 MB: not a plain ratio, so it is stated and checked here.
  return { figure: { ...figure, target: `≤ 2× floor + 200 MB (= ${round(allowance / MB)} MB)`, met: run.maxRssBytes <= allowance }, run, corpusBytes };
}

/** Growth: time per page file of a cold generate on one thread at each size, against the smallest. */
export async function benchGrowth(dir: string, sizes: readonly number[], locales: number): Promise<{ figures: Figure[]; points: GrowthPoint[] }> {
  const points = await runChild<GrowthPoint[]>(['growth', `--dir=${dir}`, `--sizes=${sizes.join(',')}`, `--locales=${locales}`]);
  const perFile = (p: GrowthPoint) => (p.ms * 1000) / p.files;
  const base = points[0];
  const of = `× ${locales} locale${locales === 1 ? '' : 's'}`;
  const figures = base
    ? points.slice(1).map((p) => ratioFigure(`generate time per page file, N = ${p.pages} vs N = ${base.pages} (${of}, 1 thread)`, 'µs/file', perFile(p), perFile(base), { atMost: 1.3 }))
    : [];
  return { figures, points };
}
