/**
 * The parse cache: a hit is exactly what parsing gives; a changed file or another parser
 * version is a miss; an entry whose bytes were changed (by hand, by a disk) is a miss, never a
 * different result; a pack that cannot be written is said, not thrown; the commands that parse
 * give the same output with and without it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run as validate } from '../../scripts/cli/validate.ts';
import { MAX_PACKS, pageKey, parserVersion, ParseCache } from '../../scripts/lib/cache.ts';
import type { SourceFile } from '../../scripts/lib/model.ts';
import { parsePage } from '../../scripts/lib/parse.ts';
import { loadTree, loadTreeLazily } from '../../scripts/lib/pipeline.ts';
import { crlfSha1, readDocsTree } from '../../scripts/lib/read.ts';
import { makeTree, widgetPage } from './helpers.ts';

function source(file: string, text: string): SourceFile {
  return { file, locale: file.split('/')[0] ?? '', page: file.split('/').slice(1).join('/').replace(/\.md$/, ''), text, crlfSha1: crlfSha1(text) };
}

const A = source('en/widgets/frobnicate-errors.md', widgetPage({}));
const B = source('qa-QA/widgets/frobnicate-errors.md', widgetPage({ title: '(qa-QA) Frobnicate widget errors' }));

/** One run over `files` through the cache in `dir`: each file from the cache, or parsed and stored. */
function runOnce(dir: string, files: SourceFile[], siteDigest = '') {
  const cache = ParseCache.open(dir, '/docs', siteDigest);
  const results = files.map((f) => {
    const hit = cache.get(f);
    if (hit) return hit;
    const parsed = parsePage(f);
    cache.set(f, parsed);
    return parsed;
  });
  return { results, stats: cache.stats, saved: cache.save(), file: cache.file };
}

describe('the parse cache', () => {
  it('stores on a miss and answers the next run with exactly what parsing gives', () => {
    const dir = makeTree({});
    assert.deepEqual(runOnce(dir, [A, B]).stats, { hits: 0, misses: 2 });
    const second = runOnce(dir, [A, B]);
    assert.deepEqual(second.stats, { hits: 2, misses: 0 });
    assert.deepEqual(second.results, [parsePage(A), parsePage(B)]);
  });

  it('a changed file misses and is parsed anew; the unchanged one still hits', () => {
    const dir = makeTree({});
    runOnce(dir, [A, B]);
    const changedA = source(A.file, A.text.replace('Widget jammed', 'Widget stuck'));
    const again = runOnce(dir, [changedA, B]);
    assert.deepEqual(again.stats, { hits: 1, misses: 1 });
    assert.equal(again.results[0]?.page.sections[0]?.heading, 'Widget stuck');
  });

  it('misses every page when the site data they are rendered with changed', () => {
    const dir = makeTree({});
    runOnce(dir, [A, B], 'data-1');
    assert.deepEqual(runOnce(dir, [A, B], 'data-1').stats, { hits: 2, misses: 0 });
    assert.deepEqual(runOnce(dir, [A, B], 'data-2').stats, { hits: 0, misses: 2 });
  });

  it('keys on the file, locale, page and text, and on the parser version', () => {
    assert.match(parserVersion(), /^[0-9a-f]{64}$/);
    const key = pageKey(A);
    assert.equal(pageKey({ ...A }), key);
    for (const other of [{ ...A, text: `${A.text} ` }, { ...A, file: 'en/widgets/other.md' }, { ...A, locale: 'qa-QA' }, { ...A, page: 'widgets/other' }]) assert.notEqual(pageKey(other), key);
    assert.notEqual(pageKey(A, 'another parser version'), key);
  });

  it('an entry whose stored bytes were changed is a miss, never a different result', () => {
    const dir = makeTree({});
    const { file } = runOnce(dir, [A]);
    const pack = readFileSync(file);
    // Change one byte of the stored value: a heading's text, so that a reader that did not check would return it.
    const at = pack.indexOf(Buffer.from('Widget jammed'));
    assert.ok(at > 0);
    pack[at] = 'V'.charCodeAt(0);
    writeFileSync(file, pack);
    const tampered = runOnce(dir, [A]);
    assert.deepEqual(tampered.stats, { hits: 0, misses: 1 });
    assert.deepEqual(tampered.results, [parsePage(A)]);
  });

  it('a truncated or garbage pack is an empty cache, and the next save replaces it', () => {
    const dir = makeTree({});
    const { file } = runOnce(dir, [A, B]);
    const pack = readFileSync(file);
    writeFileSync(file, pack.subarray(0, pack.length - 5));
    const truncated = runOnce(dir, [A, B]);
    assert.deepEqual(truncated.results, [parsePage(A), parsePage(B)]);
    assert.equal(truncated.stats.hits, 1, 'the entry before the cut stands');
    writeFileSync(file, 'not a pack at all');
    assert.deepEqual(runOnce(dir, [A, B]).stats, { hits: 0, misses: 2 });
    assert.deepEqual(runOnce(dir, [A, B]).stats, { hits: 2, misses: 0 });
  });

  it('keeps the MAX_PACKS most recently used packs', () => {
    const dir = makeTree({});
    const first = ParseCache.open(dir, '/docs-0');
    first.set(A, parsePage(A));
    first.save();
    utimesSync(first.file, new Date(0), new Date(0));
    for (let i = 1; i <= MAX_PACKS; i++) {
      const cache = ParseCache.open(dir, `/docs-${i}`);
      cache.set(A, parsePage(A));
      cache.save();
    }
    const packs = readdirSync(dir).filter((n) => n.endsWith('.bin'));
    assert.equal(packs.length, MAX_PACKS);
    assert.ok(!packs.includes(path.basename(first.file)), 'the least recently used pack went');
  });

  it('a pack that cannot be written is said in one line with what to do, not thrown', () => {
    const file = path.join(makeTree({ 'a-file': 'x' }), 'a-file');
    const cache = ParseCache.open(file, '/docs');
    cache.set(A, parsePage(A));
    assert.match(cache.save() ?? '', /^the parse cache cannot be written to .*a-file \((?:ENOTDIR|EEXIST)\); runs stay correct, only slower\. Pass --cache=DIR with a writable folder, or --no-cache\.$/);
  });
  it('a cache folder under /proc (where Node\'s recursive mkdir never returns) is said, not waited on', { skip: !existsSync('/proc/self') && 'no /proc on this system' }, () => {
    // In a child with a time limit: a regression would block the event loop, which no in-process timeout can interrupt.
    const script = `import { ParseCache } from ${JSON.stringify(new URL('../../scripts/lib/cache.ts', import.meta.url).href)};
const cache = ParseCache.open('/proc/docs-contract-test/x', '/docs');
cache.set({ file: 'en/a.md', locale: 'en', page: 'a', text: '# A', crlfSha1: '' }, { page: {}, diagnostics: [] });
console.log(cache.save());`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.signal, null, 'the save returned before the time limit');
    assert.match(child.stdout, /^the parse cache cannot be written to \/proc\/docs-contract-test\/x \(ENOENT\)/);
  });
});

describe('the commands and the cache', () => {
  it('validate prints the same with a cold cache, a warm one and none', () => {
    const docs = makeTree({ 'en/widgets/frobnicate-errors.md': A.text, 'qa-QA/widgets/frobnicate-errors.md': B.text });
    const cache = makeTree({});
    const once = (flags: string[]) => {
      const out: string[] = [];
      const code = validate([`--docs=${docs}`, '--no-baseline', ...flags], { out: (t) => out.push(t), err: (t) => out.push(t) });
      return { code, out };
    };
    const none = once(['--no-cache']);
    assert.deepEqual(once([`--cache=${cache}`]), none);
    assert.equal(readdirSync(cache).filter((n) => n.endsWith('.bin')).length, 1);
    assert.deepEqual(once([`--cache=${cache}`]), none);
  });

  it('the suite\'s docs check (loadTreeLazily) gives what loadTree gives, cold, warm, with one page changed, and without a cache', async () => {
    const files = { 'en/widgets/frobnicate-errors.md': A.text, 'qa-QA/widgets/frobnicate-errors.md': B.text };
    const docs = makeTree(files);
    const cache = makeTree({});
    const expected = loadTree(readDocsTree(docs), { cache: null }, parsePage);
    const lazily = async (options: { cache: string | null }) => {
      const { models, diagnostics, contract } = await loadTreeLazily(readDocsTree(docs), options);
      return { models, diagnostics, contract };
    };
    const want = { models: expected.models, diagnostics: expected.diagnostics, contract: expected.contract };
    assert.deepEqual(await lazily({ cache }), want);
    assert.deepEqual(await lazily({ cache }), want);
    assert.deepEqual(await lazily({ cache: null }), want);
    writeFileSync(path.join(docs, 'qa-QA/widgets/frobnicate-errors.md'), B.text.replace('Widget jammed', 'Widget stuck'));
    const changed = loadTree(readDocsTree(docs), { cache: null }, parsePage);
    assert.notDeepEqual(changed.models, expected.models);
    assert.deepEqual(await lazily({ cache }), { models: changed.models, diagnostics: changed.diagnostics, contract: changed.contract });
  });
});
