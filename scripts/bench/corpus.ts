/**
 * The real tree the benchmark measures on: GitHub's docs corpus (`../shared/corpora`), unpacked
 * with tar into a folder of the system's temporary folder twice: whole (`all/`: content/, data/
 * and translations/), and English only (`en/`: content/ and data/, what remark-validate-links is
 * run on). The copy is kept for the next run, named by the archive's hash: removing its 40 000
 * files took a minute of a 5-minute run on a busy machine, and unpacking a few seconds more.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../lib/util.ts';

/** The archive the benchmark unpacks unless `--corpus` names another, relative to the repository. */
export const DEFAULT_ARCHIVE = '../shared/corpora/github-docs-2021-12-06.tar.xz';

/** Prefix of the unpacked copies' folders. */
const COPY_PREFIX = 'docs-contract-corpus-';

/** The unpacked trees. */
export interface CorpusTrees {
  /** Every locale: content/, data/, translations/. */
  all: string;
  /** English only: content/ and data/. */
  en: string;
  /** A file that exists while the copy is whole and unchanged; a copy without it is unpacked again. */
  marker: string;
}

/**
 * The unpacked copy of the archive under `parent` (the system's temporary folder), unpacked now
 * unless a whole one is there; copies of other archives there are removed. A string saying why
 * not when the archive is absent or tar fails.
 */
export async function unpack(given: string, parent: string): Promise<CorpusTrees | string> {
  const archive = path.resolve(ROOT, given);
  if (!existsSync(archive)) return `the corpus archive \`${given}\` is absent (pass --corpus=FILE)`;
  const name = `${COPY_PREFIX}${createHash('sha256').update(readFileSync(archive)).digest('hex').slice(0, 16)}`;
  const dir = path.join(parent, name);
  const trees = { all: path.join(dir, 'all'), en: path.join(dir, 'en'), marker: path.join(dir, 'unpacked') };
  for (const other of readdirSync(parent)) {
    if (other.startsWith(COPY_PREFIX) && other !== name) rmSync(path.join(parent, other), { recursive: true, force: true });
  }
  if (existsSync(trees.marker)) return trees;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(trees.all, { recursive: true });
  mkdirSync(trees.en, { recursive: true });
  try {
    // Both at once: on two cores, xz of one overlaps the writes of the other.
    await Promise.all([
      promisify(execFile)('tar', ['-xJf', archive, '-C', trees.all]),
      promisify(execFile)('tar', ['-xJf', archive, '-C', trees.en, 'content', 'data']),
    ]);
  } catch (error) {
    return `\`tar -xJf ${given}\` failed: ${(error as Error).message.split('\n')[0]}`;
  }
  writeFileSync(trees.marker, `${archive}\n`);
  return trees;
}

/** Markdown pages under `dirs` (relative to `root`), as paths relative to `root`, sorted. */
export function pagesUnder(root: string, dirs: readonly string[]): string[] {
  const pages: string[] = [];
  for (const dir of dirs) {
    for (const rel of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (rel.endsWith('.md')) pages.push(path.join(dir, rel));
    }
  }
  return pages.sort();
}

/** The page folders of a tree in the github/docs layout: content/ and every translations/<locale>/content/. */
export function pageDirs(root: string): string[] {
  const translations = path.join(root, 'translations');
  const locales = existsSync(translations) ? readdirSync(translations, { withFileTypes: true }).filter((d) => d.isDirectory()) : [];
  return ['content', ...locales.map((d) => path.join('translations', d.name, 'content')).filter((d) => existsSync(path.join(root, d)))];
}

/**
 * Changes one English page (the first in path order that is neither an index nor a README) by
 * adding a paragraph at its end; returns a function that puts the page back byte for byte. While
 * the page is changed the copy is not whole: a run stopped then leaves it to be unpacked again.
 */
export function changeOnePage(trees: CorpusTrees): { page: string; restore: () => void } {
  const page = pagesUnder(trees.en, ['content']).find((p) => !/^(?:index|readme)\.md$/i.test(path.basename(p)));
  if (page === undefined) throw new Error(`no page to change under \`${path.join(trees.en, 'content')}\``);
  const file = path.join(trees.en, page);
  const original = readFileSync(file);
  rmSync(trees.marker, { force: true });
  writeFileSync(file, Buffer.concat([original, Buffer.from('\nA paragraph the benchmark added, to change this page.\n')]));
  return {
    page,
    restore: () => {
      writeFileSync(file, original);
      writeFileSync(trees.marker, 'restored\n');
    },
  };
}
