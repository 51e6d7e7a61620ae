/**
 * The floor of the whole-corpus validate figure, run as a child process by the benchmark:
 * read every Markdown page under the given folders and parse it with plain remark
 * (unified + remark-parse), nothing else. Prints the number of pages parsed.
 *
 *   node --import tsx scripts/bench/parse.ts ROOT DIR…
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { pagesUnder } from './corpus.ts';

const [root = '.', ...dirs] = process.argv.slice(2);
const processor = unified().use(remarkParse);
const pages = pagesUnder(root, dirs);
for (const page of pages) processor.parse(readFileSync(path.join(root, page), 'utf8'));
process.stdout.write(`${pages.length}\n`);
