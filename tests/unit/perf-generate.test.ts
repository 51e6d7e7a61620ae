/**
 * generate(), the scaled path of `npm run generate`: it writes exactly the files the in-memory
 * pipeline builds, with the same diagnostics, and its run record skips a run only when inputs
 * and outputs are exactly as recorded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeCorpus } from './synthetic-corpus.ts';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { generate, runKey, type GenerateReport } from '../../scripts/lib/generate.ts';
import { runPipeline, type RecipesInput } from '../../scripts/lib/pipeline.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { listGenerated } from '../../scripts/lib/write.ts';
import { makeTree } from './helpers.ts';

const corpus = makeCorpus({ pages: 9, locales: 3 });
const docsFiles = Object.fromEntries(corpus.files.map((f) => [f.file, f.text]));
const recipes: RecipesInput = { file: 'bench-recipes.yaml', text: corpus.recipes };

/** Every generated file under `out`, path → text. */
function onDisk(out: string): Map<string, string> {
  return new Map(listGenerated(out).map((rel) => [rel, readFileSync(path.join(out, rel), 'utf8')]));
}

/** A fresh docs tree of the corpus (plus `extra` files), an output folder and a cache folder. */
function setup(extra: Record<string, string> = {}): { docs: string; out: string; cache: string } {
  const root = makeTree({ 'placeholder.txt': '' });
  const docs = path.join(root, 'docs');
  for (const [rel, text] of Object.entries({ ...docsFiles, ...extra })) {
    mkdirSync(path.dirname(path.join(docs, rel)), { recursive: true });
    writeFileSync(path.join(docs, rel), text);
  }
  return { docs, out: path.join(root, 'out'), cache: path.join(root, 'cache') };
}

function run(where: { docs: string; out: string; cache: string | null }, recipesInput = recipes, threads: number | 'auto' = 1): GenerateReport {
  return generate(readDocsTree(where.docs), recipesInput, { out: where.out, cache: where.cache, threads });
}

describe('generate(): the files and diagnostics of the in-memory pipeline', () => {
  for (const [name, cache, threads] of [
    ['no cache, 1 thread', false, 1],
    ['cache, 2 threads', true, 2],
  ] as const) {
    it(`writes exactly buildOutputs' files, with the same diagnostics (${name})`, () => {
      const where = setup();
      const expected = runPipeline(readDocsTree(where.docs), recipes);
      const report = run({ ...where, cache: cache ? where.cache : null }, recipes, threads);
      assert.equal(report.wrote, true);
      assert.equal(report.reused, false);
      assert.deepEqual(onDisk(where.out), expected.build.files);
      assert.equal(formatText(report.diagnostics), formatText(expected.diagnostics));
      assert.equal(report.cases, expected.build.cases.length);
      assert.ok(report.cases > 10, 'not vacuous: the corpus has cases');
      assert.equal(report.files, expected.models.length);
      assert.deepEqual(report.locales, expected.contract.locales);
      assert.deepEqual(report.written, [...expected.build.files.keys()].sort());
      assert.equal(existsSync(where.cache), cache, 'a cache folder only when asked for');
    });
  }

  it('writes nothing when the docs have errors, and reports what the pipeline reports', () => {
    const where = setup({ 'en/widgets/broken.md': '---\ntitle: [unclosed\n---\n## Widget broken\n\n```json\n{"error": }\n```\n' });
    const expected = runPipeline(readDocsTree(where.docs), recipes);
    const report = run(where);
    assert.equal(report.wrote, false);
    assert.deepEqual(listGenerated(where.out), []);
    assert.equal(formatText(report.diagnostics), formatText(expected.diagnostics));
    assert.ok(report.diagnostics.some((d) => d.severity === 'error'));
  });

  it('a recipe missing for a documented error is an error found before anything is written', () => {
    const where = setup();
    const firstError = /^ {2}(\w+):$/m.exec(corpus.recipes)?.[1] ?? '';
    const fewer = { ...recipes, text: corpus.recipes.replace(new RegExp(`^  ${firstError}:\\n(?:    .*\\n)*`, 'm'), '') };
    assert.notEqual(fewer.text, corpus.recipes);
    const report = run(where, fewer);
    assert.equal(report.wrote, false);
    assert.ok(report.diagnostics.some((d) => d.rule === 'recipe-missing'), formatText(report.diagnostics));
    assert.deepEqual(listGenerated(where.out), []);
  });
});

describe('generate(): the run record', () => {
  it('a second run over unchanged inputs and outputs does nothing and reports the same', () => {
    const where = setup();
    const first = run(where);
    const second = run(where);
    assert.equal(second.reused, true);
    assert.deepEqual(second.written, []);
    assert.deepEqual(second.removed, []);
    assert.equal(second.unchanged, first.written.length);
    assert.equal(formatText(second.diagnostics), formatText(first.diagnostics));
    assert.deepEqual({ ...second, reused: false, written: [], unchanged: 0 }, { ...first, written: [], unchanged: 0 });
  });

  it('a changed docs file runs in full, and the outputs are those of a run without cache', () => {
    const where = setup();
    run(where);
    const file = corpus.files[0]?.file ?? '';
    const abs = path.join(where.docs, file);
    writeFileSync(abs, readFileSync(abs, 'utf8').replace('If the widget tends to', 'If the widget (changed) tends to'));
    const again = run(where);
    assert.equal(again.reused, false);
    assert.ok(again.written.length > 0);
    assert.deepEqual(onDisk(where.out), runPipeline(readDocsTree(where.docs), recipes).build.files);
  });

  it('changed recipes run in full', () => {
    const where = setup();
    run(where);
    assert.equal(run(where, { ...recipes, text: `${recipes.text}\n# a comment\n` }).reused, false);
  });

  it('an output edited, removed or added by hand is noticed and put right', () => {
    const where = setup();
    run(where);
    const expected = onDisk(where.out);
    const [schema] = [...expected.keys()].filter((rel) => rel.endsWith('.schema.json'));
    assert.ok(schema);
    for (const spoil of [
      () => writeFileSync(path.join(where.out, schema), `${expected.get(schema) ?? ''} `),
      () => rmSync(path.join(where.out, 'tests/fixtures/cases.json')),
      () => writeFileSync(path.join(where.out, 'schemas/index.json'), '{}\n'),
      () => {
        mkdirSync(path.join(where.out, 'schemas/stray'), { recursive: true });
        writeFileSync(path.join(where.out, 'schemas/stray/left-over.schema.json'), '{}\n');
      },
    ]) {
      spoil();
      const again = run(where);
      assert.equal(again.reused, false);
      assert.equal(again.written.length + again.removed.length, 1);
      assert.deepEqual(onDisk(where.out), expected);
    }
  });

  it('each output folder has its own record', () => {
    const where = setup();
    run(where);
    const other = { ...where, out: `${where.out}-other` };
    assert.equal(run(other).reused, false);
    assert.equal(run(other).reused, true);
    assert.equal(run(where).reused, true);
  });

  it('a damaged record is no record', () => {
    const where = setup();
    run(where);
    for (const name of readdirSync(where.cache).filter((n) => n.startsWith('run-'))) writeFileSync(path.join(where.cache, name), '{"format": 1, "key": ');
    const again = run(where);
    assert.equal(again.reused, false);
    assert.equal(again.unchanged, listGenerated(where.out).length);
    assert.equal(run(where).reused, true, 'and the record is written again');
  });

  it('a run with errors is recorded too: the next reports the same errors without parsing, and writes nothing', () => {
    const where = setup({ 'en/widgets/broken.md': '## Widget broken\n\n```json\n{"error": }\n```\n' });
    const first = run(where);
    const second = run(where);
    assert.equal(second.reused, true);
    assert.equal(second.wrote, false);
    assert.equal(formatText(second.diagnostics), formatText(first.diagnostics));
    assert.deepEqual(listGenerated(where.out), []);
  });

  it('without a cache folder nothing is recorded and every run is in full', () => {
    const where = setup();
    assert.equal(run({ ...where, cache: null }).reused, false);
    assert.equal(run({ ...where, cache: null }).reused, false);
  });

  it('the key covers every file, the recipes and the output folder', () => {
    const where = setup();
    const tree = readDocsTree(where.docs);
    const key = runKey(tree, recipes, where.out);
    assert.equal(runKey(readDocsTree(where.docs), recipes, where.out), key);
    const [first, ...rest] = tree.files;
    assert.ok(first);
    assert.notEqual(runKey({ ...tree, files: [{ ...first, text: `${first.text} ` }, ...rest] }, recipes, where.out), key);
    assert.notEqual(runKey({ ...tree, files: rest }, recipes, where.out), key);
    assert.notEqual(runKey({ ...tree, files: [{ ...first, file: `${first.file}x` }, ...rest] }, recipes, where.out), key);
    assert.notEqual(runKey({ ...tree, sourceLocale: null }, recipes, where.out), key);
    assert.notEqual(runKey({ ...tree, diagnostics: [{ file: 'x', line: 1, column: 1, locale: '', severity: 'warning', rule: 'page-duplicate', message: 'm' }] }, recipes, where.out), key);
    assert.notEqual(runKey(tree, { ...recipes, file: 'other.yaml' }, where.out), key);
    assert.notEqual(runKey(tree, recipes, `${where.out}2`), key);
  });
});
