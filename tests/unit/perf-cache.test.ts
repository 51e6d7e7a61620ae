/**
 * The parse cache: a hit is what parsing gives; a changed file, a renamed file or another
 * parser version is a miss; a damaged pack is an empty cache; the pack keeps only the entries
 * of the last run; generate uses it unless `--no-cache`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../scripts/cli/generate.ts';
import { keepMostRecent, localSources, MAX_PACKS, pageKey, parserVersion, ParseCache } from '../../scripts/lib/cache.ts';
import type { SourceFile } from '../../scripts/lib/model.ts';
import { parsePage } from '../../scripts/lib/parse.ts';
import { parsePages } from '../../scripts/lib/pipeline.ts';
import { crlfSha1 } from '../../scripts/lib/read.ts';
import { parseRecipes } from '../../scripts/lib/recipes.ts';
import { makeTree, widgetPage, WIDGET_RECIPES } from './helpers.ts';

function source(file: string, text: string): SourceFile {
  return { file, locale: file.split('/')[0] ?? '', page: file.split('/').slice(1).join('/').replace(/\.md$/, ''), text, crlfSha1: crlfSha1(text) };
}

const A = source('en/widgets/frobnicate-errors.md', widgetPage({}));
const B = source('qa-QA/widgets/frobnicate-errors.md', widgetPage({ title: '(qa-QA) Frobnicate widget errors' }));

describe('perf: the parse cache', () => {
  it('stores on a miss and answers the next run with what parsing gives', () => {
    const dir = makeTree({});
    const first = ParseCache.open(dir, '/docs');
    assert.deepEqual(parsePages([A, B], { cache: first }), [parsePage(A), parsePage(B)]);
    assert.deepEqual(first.stats, { hits: 0, misses: 2 });
    assert.equal(first.save(), null);
    const second = ParseCache.open(dir, '/docs');
    assert.deepEqual(parsePages([A, B], { cache: second }), [parsePage(A), parsePage(B)]);
    assert.deepEqual(second.stats, { hits: 2, misses: 0 });
  });

  it('a changed file misses (and is parsed anew); the unchanged one still hits', () => {
    const dir = makeTree({});
    const cache = ParseCache.open(dir, '/docs');
    parsePages([A, B], { cache });
    cache.save();
    const changedA = source(A.file, A.text.replace('Widget jammed', 'Widget stuck'));
    const again = ParseCache.open(dir, '/docs');
    const [a, b] = parsePages([changedA, B], { cache: again });
    assert.deepEqual(again.stats, { hits: 1, misses: 1 });
    assert.equal(a?.page.sections[0]?.heading, 'Widget stuck');
    assert.deepEqual(a, parsePage(changedA));
    assert.deepEqual(b, parsePage(B));
  });

  it('keys on the file, locale, page and text, and on the parser version', () => {
    const version = parserVersion();
    assert.match(version, /^[0-9a-f]{64}$/);
    const key = pageKey(A);
    assert.equal(pageKey({ ...A }), key);
    assert.notEqual(pageKey({ ...A, text: `${A.text} ` }), key);
    assert.notEqual(pageKey({ ...A, file: 'en/widgets/other.md' }), key);
    assert.notEqual(pageKey({ ...A, locale: 'qa-QA' }), key);
    assert.notEqual(pageKey({ ...A, page: 'widgets/other' }), key);
    assert.notEqual(pageKey(A, 'another parser version'), key);
  });

  it('the parser version covers every local module the parsers import, transitively, and nothing a comment names', () => {
    const dir = makeTree({
      'lib/entry.ts':
        "/**\n * An example in a comment is not an import: `from './missing.ts'`, `import './gone.ts'`.\n */\nimport { b } from './b.ts';\nimport type {\n  T,\n} from './types.ts';\nimport './side-effect.ts';\n",
      'lib/b.ts': "export { c } from './c.ts';\nimport x from 'yaml';\nimport { d } from '../other/d.ts';\n",
      'lib/c.ts': "import { b } from './b.ts';\n",
      'lib/types.ts': 'export type T = 1;\n',
      'lib/side-effect.ts': '',
      'lib/unused.ts': '',
      'other/d.ts': "export * from './e.ts';\n",
      'other/e.ts': '',
    });
    assert.deepEqual(localSources(path.join(dir, 'lib'), ['entry.ts']), ['../other/d.ts', '../other/e.ts', 'b.ts', 'c.ts', 'entry.ts', 'side-effect.ts', 'types.ts']);
    const lib = path.resolve('scripts/lib');
    const parser = localSources(lib, ['parse.ts', 'recipes.ts']);
    for (const needed of ['parse.ts', 'recipes.ts', 'diagnostics.ts', 'model.ts', 'json-error.ts']) assert.ok(parser.includes(needed), `${needed} in ${parser.join(', ')}`);
  });

  it('a damaged pack is an empty cache, and the next save replaces it', () => {
    const dir = makeTree({});
    const cache = ParseCache.open(dir, '/docs');
    parsePages([A], { cache });
    cache.save();
    writeFileSync(cache.file, 'not a pack');
    const damaged = ParseCache.open(dir, '/docs');
    assert.deepEqual(parsePages([A], { cache: damaged }), [parsePage(A)]);
    assert.deepEqual(damaged.stats, { hits: 0, misses: 1 });
    assert.equal(damaged.save(), null);
    const repaired = ParseCache.open(dir, '/docs');
    parsePages([A], { cache: repaired });
    assert.deepEqual(repaired.stats, { hits: 1, misses: 0 });
  });

  it('keeps the entries of the last run only', () => {
    const dir = makeTree({});
    const cache = ParseCache.open(dir, '/docs');
    parsePages([A, B], { cache });
    cache.save();
    const onlyA = ParseCache.open(dir, '/docs');
    parsePages([A], { cache: onlyA });
    onlyA.save();
    const after = ParseCache.open(dir, '/docs');
    parsePages([A, B], { cache: after });
    assert.deepEqual(after.stats, { hits: 1, misses: 1 });
  });

  it('does not rewrite the pack when every entry was a hit', () => {
    const dir = makeTree({});
    const cache = ParseCache.open(dir, '/docs');
    parsePages([A], { cache });
    cache.save();
    const warm = ParseCache.open(dir, '/docs');
    parsePages([A], { cache: warm });
    rmSync(warm.file);
    assert.equal(warm.save(), null);
    assert.ok(!existsSync(warm.file));
    // A miss does rewrite it.
    const cold = ParseCache.open(dir, '/docs');
    parsePages([A], { cache: cold });
    assert.equal(cold.save(), null);
    assert.ok(existsSync(cold.file));
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('keeps one pack per docs tree', () => {
    const dir = makeTree({});
    for (const root of ['/docs-one', '/docs-two']) {
      const cache = ParseCache.open(dir, root);
      parsePages([A], { cache });
      cache.save();
    }
    assert.equal(readdirSync(dir).filter((f) => /^parse-[0-9a-f]{16}\.bin$/.test(f)).length, 2);
  });

  it('keeps the most recently used packs, MAX_PACKS of them', () => {
    const dir = makeTree({});
    const save = (root: string) => {
      const cache = ParseCache.open(dir, root);
      parsePages([A], { cache });
      cache.save();
      return cache.file;
    };
    // MAX_PACKS packs, each used a second earlier than the next; /docs-0 the oldest.
    const files = Array.from({ length: MAX_PACKS }, (_, i) => save(`/docs-${i}`));
    files.forEach((file, i) => utimesSync(file, new Date(Date.now() - (100 - i) * 1000), new Date(Date.now() - (100 - i) * 1000)));
    // Using /docs-0 again (every entry a hit) makes it the most recent; a new tree then pushes out /docs-1.
    save('/docs-0');
    const newest = save('/docs-new');
    const packs = readdirSync(dir).filter((f) => f.endsWith('.bin'));
    assert.equal(packs.length, MAX_PACKS);
    assert.ok(existsSync(files[0] ?? ''), 'the pack used last is kept');
    assert.ok(existsSync(newest));
    assert.ok(!existsSync(files[1] ?? ''), 'the least recently used pack is removed');
  });

  it('removes the temporary files of runs that died while writing, once an hour old, and only those', () => {
    const id = '0123456789abcdef';
    const dir = makeTree({
      [`parse-${id}.bin.4242.1.tmp`]: 'old pack being written',
      [`parse-${id}.bin.4243.1.tmp`]: 'fresh pack being written',
      [`run-${id}.json.4242.tmp`]: 'old record being written',
      'notes.4242.tmp': 'not ours',
    });
    const hoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    for (const name of [`parse-${id}.bin.4242.1.tmp`, `run-${id}.json.4242.tmp`, 'notes.4242.tmp']) utimesSync(path.join(dir, name), hoursAgo, hoursAgo);
    keepMostRecent(path.join(dir, `parse-${id}.bin`), /^parse-[0-9a-f]{16}\.bin$/, MAX_PACKS);
    assert.deepEqual(readdirSync(dir).sort(), ['notes.4242.tmp', `parse-${id}.bin.4243.1.tmp`, `run-${id}.json.4242.tmp`]);
    keepMostRecent(path.join(dir, `run-${id}.json`), /^run-[0-9a-f]{16}\.json$/, 16);
    assert.deepEqual(readdirSync(dir).sort(), ['notes.4242.tmp', `parse-${id}.bin.4243.1.tmp`]);
  });

  it('caches the parsed recipes, Map and all', () => {
    const dir = makeTree({});
    const cache = ParseCache.open(dir, '/docs');
    const parsed = cache.recipes('recipes.yaml', WIDGET_RECIPES);
    cache.save();
    const again = ParseCache.open(dir, '/docs').recipes('recipes.yaml', WIDGET_RECIPES);
    assert.deepEqual(again, parseRecipes(WIDGET_RECIPES, 'recipes.yaml'));
    assert.deepEqual(again, parsed);
    assert.ok(again.recipes instanceof Map);
  });

  it('a pack that cannot be written is reported, not thrown', () => {
    const parent = makeTree({ 'not-a-folder': '' });
    const dir = path.join(parent, 'not-a-folder');
    const cache = ParseCache.open(dir, '/docs');
    parsePages([A], { cache });
    assert.equal(cache.save(), `EEXIST writing ${cache.file}`);
  });
});

describe('perf: generate and the cache', () => {
  const docs = makeTree({ 'de-DE/widgets/frobnicate-errors.md': widgetPage({}) });
  const recipes = path.join(makeTree({ 'recipes.yaml': WIDGET_RECIPES }), 'recipes.yaml');

  it('keeps a pack under --cache and reports the same lines with or without it', () => {
    const cache = path.join(makeTree({}), 'cache');
    const withCache: string[] = [];
    assert.equal(run(['--docs', docs, '--recipes', recipes, '--out', makeTree({}), '--cache', cache], (l) => withCache.push(l)), 0);
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.bin')).length, 1);
    const warm: string[] = [];
    const out = makeTree({});
    assert.equal(run(['--docs', docs, '--recipes', recipes, '--out', out, '--cache', cache], (l) => warm.push(l)), 0);
    const without: string[] = [];
    assert.equal(run(['--docs', docs, '--recipes', recipes, '--out', makeTree({}), '--no-cache', '--cache', path.join(cache, 'unused')], (l) => without.push(l)), 0);
    assert.deepEqual(warm, withCache);
    assert.deepEqual(without, withCache);
    assert.ok(!existsSync(path.join(cache, 'unused')));
    assert.equal(withCache.at(-1), 'generate: 2 cases from 1 file (de-DE); 4 written, 0 removed, 0 unchanged; 0 errors, 0 warnings.');
  });
});
