/**
 * The fast path never changes results: a run parsed through the cache (cold and warm), a run
 * parsed by worker threads and a plain run give byte-identical page models, contract, outputs
 * and diagnostics, on a synthetic corpus plus pages that exercise the parser's odd corners.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { makeCorpus } from './synthetic-corpus.ts';
import { loadTree } from '../../scripts/cli/generate.ts';
import { ParseCache } from '../../scripts/lib/cache.ts';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { parsePages, runPipeline, type PipelineResult } from '../../scripts/lib/pipeline.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import type { ParseResult } from '../../scripts/lib/parse.ts';
import { parseFiles, type ThreadStats } from '../../scripts/lib/workers.ts';
import { makeTree } from './helpers.ts';

const corpus = makeCorpus({ pages: 12, locales: 3 });
/** Pages whose models hold values a lossy copy would change: -0, NaN, Infinity, undefined-free `__proto__` keys, CRLF, BOM. */
const ODD: Record<string, string> = {
  'en/widgets/odd-values.md': "---\ntitle: Odd values\n__proto__: kept\nratio: .inf\nnothing: .nan\nzero: -0.0\n---\n## Widget odd\n\n```json\n{\"error\": \"widget_odd\", \"error_description\": \"-0\", \"error_uri\": \"/widgets/odd-values#widget-odd\", \"n\": -0, \"__proto__\": {\"x\": 1}}\n```\n",
  'qa-QA/widgets/odd-values.md': '\uFEFF---\r\ntitle: (qa-QA) Odd values\r\n---\r\n## (qa-QA) Widget odd\r\n\r\n```json\r\n{"error": "widget_odd", "error_description": "-0", "error_uri": "/widgets/odd-values#widget-odd"}\r\n```\r\n',
  'en/widgets/broken.md': '---\ntitle: [unclosed\n---\n## Widget broken\n\n```json\n{"error": }\n```\n\n```json\n{"error": "widget_open"\n',
};
const files: Record<string, string> = { ...Object.fromEntries(corpus.files.map((f) => [f.file, f.text])), ...ODD };
const recipes = { file: 'bench-recipes.yaml', text: corpus.recipes };
const root = makeTree(files);
const scratch = mkdtempSync(path.join(tmpdir(), 'docs-contract-perf-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Everything a run yields, as one exact text: every generated file's bytes, the diagnostics as
 * printed, and the models, contract and cases written out with key order, prototypes, -0, NaN,
 * Infinity, undefined and holes kept apart (JSON would blur them).
 */
function bytesOf(result: PipelineResult): Buffer {
  const files = [...result.build.files].map(([file, text]) => `${file}\n${text}`).join('\n');
  return Buffer.from([files, formatText(result.diagnostics), exact(result.models), exact(result.contract), exact(result.build.cases)].join('\n\0\n'));
}

function exact(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${Array.from({ length: value.length }, (_, i) => (i in value ? exact(value[i]) : '<hole>')).join(',')}]`;
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${exact(k)}=>${exact(v)}`).join(',')}}`;
  const proto = Object.getPrototypeOf(value) === null ? 'null-proto' : Object.getPrototypeOf(value) === Object.prototype ? '' : 'other-proto';
  return `${proto}{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${exact((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

describe('perf: cached, uncached and worker-parsed runs are identical', () => {
  const plain = runPipeline(readDocsTree(root), recipes);
  const reference = bytesOf(plain);

  it('the corpus and the odd pages give the diagnostics the comparison relies on', () => {
    // Not vacuous: the odd pages produce errors, and the corpus many cases.
    assert.ok(plain.diagnostics.some((d) => d.rule === 'yaml-syntax' && d.file === 'en/widgets/broken.md'), formatText(plain.diagnostics));
    assert.ok(plain.diagnostics.some((d) => d.rule === 'unterminated-fence'));
    assert.equal(plain.build.cases.length, corpus.documented);
    const odd = plain.models.find((m) => m.file === 'en/widgets/odd-values.md');
    assert.equal(odd?.frontMatter?.['ratio'], Infinity);
    assert.ok(Object.is(odd?.frontMatter?.['zero'], -0));
    assert.deepEqual(Object.keys(odd?.frontMatter ?? {}), ['title', '__proto__', 'ratio', 'nothing', 'zero']);
  });

  it('a cold and then a warm cached run give the same bytes as a plain run', () => {
    const dir = path.join(scratch, 'cache-a');
    const cold = loadTree(readDocsTree(root), recipes, { cache: dir });
    assert.ok(bytesOf(cold).equals(reference), 'cold cached run differs');
    const cache = ParseCache.open(dir, root);
    const warm = runPipeline(readDocsTree(root), recipes, { pages: parsePages(readDocsTree(root).files, { cache }), recipes: cache.recipes(recipes.file, recipes.text) });
    assert.deepEqual(cache.stats, { hits: Object.keys(files).length, misses: 0 });
    assert.ok(bytesOf(warm).equals(reference), 'warm cached run differs');
    assert.equal(formatText(warm.diagnostics), formatText(plain.diagnostics));
  });

  it('a run whose every file was parsed by a worker thread gives the same bytes', () => {
    const tree = readDocsTree(root);
    const stats = {} as ThreadStats;
    const pages = parseFiles(tree.files, { threads: 2, stats, mainThreadParses: false });
    assert.deepEqual(stats, { threads: 2, byWorker: [tree.files.length], failures: [] });
    assert.equal(exact(pages), exact(parsePages(tree.files)));
    assert.ok(bytesOf(runPipeline(tree, recipes, { pages })).equals(reference), 'worker-parsed run differs');
  });

  it('a worker that cannot start leaves its files to the main thread, with the same bytes', () => {
    const tree = readDocsTree(root);
    const stats = {} as ThreadStats;
    const pages = parseFiles(tree.files, { threads: 2, stats, mainThreadParses: false, workerModule: new URL('./no-such-module.ts', import.meta.url).href });
    assert.deepEqual(stats.byWorker, [0]);
    assert.equal(stats.failures.length, 1);
    assert.match(stats.failures[0] ?? '', /^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module '.*no-such-module\.ts'/);
    assert.equal(exact(pages), exact(parsePages(tree.files)));
    assert.ok(bytesOf(runPipeline(tree, recipes, { pages })).equals(reference), 'fallback run differs');
  });

  it('the comparison sees a difference when there is one', () => {
    const tree = readDocsTree(root);
    const pages = parsePages(tree.files);
    const first = pages[0];
    assert.ok(first);
    // One section heading one character off: the bytes must differ.
    const changed = structuredClone(first);
    const section = changed.page.sections[0];
    assert.ok(section);
    section.heading += '!';
    assert.ok(!bytesOf(runPipeline(tree, recipes, { pages: [changed, ...pages.slice(1)] })).equals(reference));
  });

  it('prepared parse results must match the files one for one', () => {
    const tree = readDocsTree(root);
    assert.throws(() => runPipeline(tree, recipes, { pages: [] }), { name: 'TypeError', message: `prepared.pages has 0 results for ${tree.files.length} files` });
  });
});

describe('perf: batches handed to workers', () => {
  const workerSide = new URL('../../scripts/lib/parse-worker.ts', import.meta.url).href;
  /** A worker module of its own for a test: `body` after an import of the real one as `real`. */
  const workerModule = (name: string, body: string) => {
    const file = path.join(scratch, `${name}.mjs`);
    writeFileSync(file, `import * as real from ${JSON.stringify(workerSide)};\n${body}\n`);
    return new URL(`file://${file}`).href;
  };
  const fresh = () => readDocsTree(root).files;

  it('a text no UTF-8 could carry (a lone surrogate) reaches the worker exactly', () => {
    const lone = [...fresh(), { file: 'en/lone.md', locale: 'en', page: 'lone', crlfSha1: '', text: '## Lone \uD800 half\n' }];
    const stats = {} as ThreadStats;
    const pages = parseFiles(lone, { threads: 2, stats, mainThreadParses: false });
    assert.deepEqual(stats.byWorker, [lone.length]);
    assert.equal(exact(pages), exact(parsePages(lone)));
    assert.match(pages.at(-1)?.page.sections[0]?.heading ?? '', /\uD800/);
  });

  it('a worker that has not started when the main thread runs out of work has its batches taken back', () => {
    const late = workerModule('late', "await new Promise((resolve) => setTimeout(resolve, 30_000));\nexport const work = real.work;");
    const stats = {} as ThreadStats;
    const pages = parseFiles(fresh(), { threads: 2, stats, workerModule: late });
    assert.deepEqual(stats, { threads: 2, byWorker: [0], failures: [] });
    assert.equal(exact(pages), exact(parsePages(fresh())));
  });

  it('a worker that fails after it has begun a batch leaves that batch and the rest to the main thread', () => {
    // The real worker, whose second batch's results are replaced by an error: that batch is claimed, so only giving up on the worker gets it parsed.
    const failing = workerModule(
      'failing',
      'export function work(data) {\n  const post = data.port.postMessage.bind(data.port);\n  let posted = 0;\n  data.port.postMessage = (m) => post(++posted === 1 ? m : { error: `synthetic failure on batch ${m.batch}` });\n  return real.work(data);\n}',
    );
    const stats = {} as ThreadStats;
    const pages = parseFiles(fresh(), { threads: 2, stats, mainThreadParses: false, workerModule: failing });
    assert.deepEqual(stats, { threads: 2, byWorker: [8], failures: ['synthetic failure on batch 1'] });
    assert.equal(exact(pages), exact(parsePages(fresh())));
  });

  for (const threads of [1, 2]) {
    it(`with releaseTexts, each text is let go once parsed, with the same results (${threads} thread${threads === 1 ? '' : 's'})`, () => {
      const files = fresh();
      const seen: string[] = [];
      const pages = parseFiles(files, { threads, releaseTexts: true, keep: (result: ParseResult, i: number) => (seen.push(files[i]?.text ?? ''), result) });
      assert.ok(files.every((f) => f.text === ''), 'every text let go');
      assert.ok(seen.every((text) => text !== ''), 'no text let go before its result was in');
      assert.equal(exact(pages), exact(parsePages(fresh())));
    });
  }
});
