/**
 * The figures of the docs commands on the real corpus, each command a child process:
 * - `validate`: validate on the English tree against remark-cli + remark-validate-links on the
 *   same tree (time, peak memory), then warm (one page changed) against that cold run;
 * - `generate`: generate warm (one page changed) against cold, on the English tree;
 * - `corpus`: validate on every locale against a plain remark parse of the same pages (time),
 *   and its peak memory against 1 GB.
 * Cold: an empty cache folder (`--cache=DIR`); warm: the folder the cold run filled.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { changeOnePage, pageDirs, type CorpusTrees } from './corpus.ts';
import { figure, side, type Group } from './figures.ts';
import { ROOT } from '../lib/util.ts';
import { failure, measure, type Run } from './measure.ts';

const TSX = ['--import', 'tsx'];
const MB = 1024 * 1024;
/** Bound on one command of these groups. */
const TIMEOUT_MS = 240_000;

/** What the docs groups need: the unpacked trees (or why there are none) and a scratch folder. */
export interface DocsContext {
  trees: CorpusTrees | string;
  /** Cache and output folders are made under it; removed by the caller. */
  scratch: string;
}

/** Our command `npm run <name>` runs, with the arguments; run from the repository. */
function ours(name: 'validate' | 'generate', args: string[]): Parameters<typeof measure>[0] {
  return { args: ['scripts/docs-contract.js', name, ...args], timeoutMs: TIMEOUT_MS };
}

/** Exit 0 or 1 (findings in the docs) is a run; anything else is why the figure cannot be had. */
function checked(what: string, run: Run, ok: readonly number[] = [0, 1]): Run {
  if (run.code === null || !ok.includes(run.code)) throw new Error(failure(what, run));
  return run;
}

/** Runs our command again with one English page changed (put back afterwards): the warm run. */
async function warm(trees: CorpusTrees, name: 'validate' | 'generate', args: string[], log: (line: string) => void): Promise<Run> {
  const changed = changeOnePage(trees);
  try {
    log(`${name}, English pages, warm: ${changed.page} changed`);
    return checked(`${name} (warm)`, await measure(ours(name, args)));
  } finally {
    changed.restore();
  }
}

/** A group's sample over the unpacked trees; no corpus, or an error thrown, is the group's reason. */
function onCorpus(context: DocsContext, sample: (trees: CorpusTrees, log: (line: string) => void) => Promise<void>): Group['sample'] {
  return async (log) => {
    if (typeof context.trees === 'string') return context.trees;
    try {
      await sample(context.trees, log);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

/** Validate (English tree) against remark-cli + remark-validate-links: time and memory; warm against cold. */
export function validateGroup(context: DocsContext): Group {
  const samples = { cold: [] as number[], coldPeak: [] as number[], remark: [] as number[], remarkPeak: [] as number[], warm: [] as number[] };
  const remarkCli = path.join(ROOT, 'node_modules/remark-cli/cli.js');
  const validateLinks = fileURLToPath(import.meta.resolve('remark-validate-links'));
  return {
    name: 'validate',
    sample: onCorpus(context, async (trees, log) => {
      const en = trees.en;
      const cache = mkdtempSync(path.join(context.scratch, 'validate-cache-'));
      const args = [`--docs=${en}`, `--cache=${cache}`];
      log('validate, English pages, cold');
      const cold = checked('validate', await measure(ours('validate', args)));
      log('remark + remark-validate-links, English pages');
      // As its readme runs it; `repository: false` because the unpacked tree is not a Git repository.
      const remark = checked('remark-cli', await measure({ args: [remarkCli, '--use', `${validateLinks}=repository:false`, 'content'], cwd: en, timeoutMs: TIMEOUT_MS }), [0]);
      samples.cold.push(cold.ms);
      samples.coldPeak.push(peakMB(cold));
      samples.remark.push(remark.ms);
      samples.remarkPeak.push(peakMB(remark));
      samples.warm.push((await warm(trees, 'validate', args, log)).ms);
    }),
    figures: (reason) => {
      const note = reason;
      const oursWhat = '`npm run validate -- --docs=<English tree> --cache=<empty folder>`';
      const peerWhat = '`remark --use remark-validate-links=repository:false content` in the English tree';
      return [
        figure({ group: 'validate', name: 'validate, English pages: time', unit: 's', ours: side(oursWhat, seconds(samples.cold)), peer: side(peerWhat, seconds(samples.remark)), target: { ratio: '≤', bound: 1 }, note }),
        figure({ group: 'validate', name: 'validate, English pages: peak memory', unit: 'MB', ours: side(oursWhat, samples.coldPeak), peer: side(peerWhat, samples.remarkPeak), target: { ratio: '≤', bound: 1 }, note }),
        figure({
          group: 'validate',
          name: 'validate warm, one page changed: time',
          unit: 's',
          ours: side('the same validate again, one English page changed, with the cache the cold run left', seconds(samples.warm)),
          peer: side('the cold validate run above', seconds(samples.cold)),
          target: { ratio: '≤', bound: 0.2 },
          note,
        }),
      ];
    },
  };
}

/** Generate (English tree) warm, one page changed, against cold. */
export function generateGroup(context: DocsContext): Group {
  const samples = { cold: [] as number[], warm: [] as number[] };
  const exits = new Set<number>();
  return {
    name: 'generate',
    sample: onCorpus(context, async (trees, log) => {
      const en = trees.en;
      const work = mkdtempSync(path.join(context.scratch, 'generate-'));
      const args = [`--docs=${en}`, `--out=${path.join(work, 'out')}`, `--cache=${path.join(work, 'cache')}`];
      log('generate, English pages, cold');
      const cold = checked('generate', await measure(ours('generate', args)));
      const again = await warm(trees, 'generate', args, log);
      samples.cold.push(cold.ms);
      samples.warm.push(again.ms);
      exits.add(cold.code ?? 0).add(again.code ?? 0);
    }),
    figures: (reason) => [
      figure({
        group: 'generate',
        name: 'generate warm, one page changed: time',
        unit: 's',
        ours: side('`npm run generate -- --docs=<English tree> --out=<folder> --cache=<folder>` again, one page changed', seconds(samples.warm)),
        peer: side('the same generate, cold: empty cache and output folders', seconds(samples.cold)),
        target: { ratio: '≤', bound: 0.2 },
        note: reason ?? (exits.has(1) ? 'generate exited 1 (errors in the docs: nothing written), so this is the time to that result' : null),
      }),
    ],
  };
}

/** Validate on every locale against a plain remark parse of the same pages; its peak memory against 1 GB. */
export function corpusGroup(context: DocsContext): Group {
  const samples = { validate: [] as number[], peak: [] as number[], parse: [] as number[], parsePeak: [] as number[] };
  let pages = 0;
  return {
    name: 'corpus',
    sample: onCorpus(context, async ({ all }, log) => {
      const cache = mkdtempSync(path.join(context.scratch, 'corpus-cache-'));
      log('validate, all locales, cold');
      const run = checked('validate', await measure(ours('validate', [`--docs=${all}`, `--cache=${cache}`])));
      log('plain remark parse, all locales');
      const parse = checked('the remark parse', await measure({ nodeArgs: TSX, args: ['scripts/bench/parse.ts', all, ...pageDirs(all)], timeoutMs: TIMEOUT_MS }), [0]);
      pages = Number(parse.stdout.trim());
      samples.validate.push(run.ms);
      samples.peak.push(peakMB(run));
      samples.parse.push(parse.ms);
      samples.parsePeak.push(peakMB(parse));
    }),
    figures: (reason) => {
      const oursWhat = '`npm run validate -- --docs=<whole corpus> --cache=<empty folder>`';
      const peerWhat = `unified + remark-parse over the same ${pages || ''} pages (content/, translations/*/content/), read and parsed, nothing else`.replace('  ', ' ');
      return [
        figure({ group: 'corpus', name: 'validate, all locales: time', unit: 's', ours: side(oursWhat, seconds(samples.validate)), peer: side(peerWhat, seconds(samples.parse)), target: { ratio: '≤', bound: 1.5 }, note: reason }),
        figure({ group: 'corpus', name: 'validate, all locales: peak memory', unit: 'MB', ours: side(oursWhat, samples.peak), peer: side(peerWhat, samples.parsePeak), target: { value: '≤', bound: 1024 }, note: reason }),
      ];
    },
  };
}

/** A run's peak in MB; a run that exited normally has one. */
function peakMB(run: Run): number {
  if (run.peakBytes === null) throw new Error('a run exited without reporting its peak memory');
  return run.peakBytes / MB;
}

function seconds(ms: readonly number[]): number[] {
  return ms.map((m) => m / 1000);
}
