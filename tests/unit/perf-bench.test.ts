/**
 * The benchmark's parts that can be checked without timing anything: the synthetic corpus,
 * the figure arithmetic and table, the thread count, and the command's flags and JSON shape.
 */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { CODES_PER_VERB, corpusLocales, makeCorpus, pagePath } from '../../scripts/bench/corpus.ts';
import { formatTable, median, notMeasured, ratioFigure } from '../../scripts/bench/figures.ts';
import { testsRun } from '../../scripts/bench/suite.ts';
import { run } from '../../scripts/cli/bench.ts';
import { UsageError } from '../../scripts/lib/cli.ts';
import { hasErrors, formatText } from '../../scripts/lib/diagnostics.ts';
import { MIN_FILES_PER_THREAD, threadCount } from '../../scripts/lib/workers.ts';
import { pipelineOf } from './helpers.ts';

describe('perf: the synthetic corpus', () => {
  const corpus = makeCorpus({ pages: 20, locales: 3 });

  it('is the same for the same seed, and another for another seed', () => {
    assert.deepEqual(makeCorpus({ pages: 20, locales: 3 }), corpus);
    assert.notDeepEqual(makeCorpus({ pages: 20, locales: 3, seed: 7 }).files, corpus.files);
  });

  it('has N pages × L locales of synthetic-looking pages, with a recipe per error code', () => {
    assert.deepEqual(corpus.locales, ['en', 'qa-QA', 'qb-QB']);
    assert.equal(corpus.files.length, 60);
    assert.equal(corpus.files[0]?.file, 'en/widgets/w0000-errors.md');
    assert.equal(pagePath(42, 10_000), 'widgets/w0042-errors');
    assert.equal(pagePath(42, 100_000), 'widgets/w00042-errors');
    assert.deepEqual(corpusLocales(1), ['en']);
    const errors = [...corpus.recipes.matchAll(/^ {6}(\w+):$/gm)].map((m) => m[1] ?? '');
    assert.equal(errors.length, corpus.codes);
    assert.equal(new Set(errors).size, errors.length);
    for (const error of errors) assert.match(error, /^widget_[a-z]+_\d+$/);
    assert.equal(corpus.bytes, corpus.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0));
  });

  it('repeats error codes across pages, as an API does: the recipes do not grow with the pages', () => {
    const big = makeCorpus({ pages: 1000, locales: 1 });
    assert.ok(big.codes <= 10 * CODES_PER_VERB, `${big.codes} codes`);
    assert.ok(big.documented > 3 * big.codes, `${big.documented} documented responses of ${big.codes} codes`);
    assert.equal([...big.recipes.matchAll(/^ {6}(\w+):$/gm)].length, big.codes);
  });

  it('every page has front-matter, 3–6 sections, JSON error examples, Liquid and links', () => {
    for (const { file, text } of corpus.files) {
      assert.match(text, /^---\ntitle: /, file);
      const sections = text.match(/^## /gm)?.length ?? 0;
      assert.ok(sections >= 3 && sections <= 6, `${file}: ${sections} sections`);
      assert.match(text, /"error": "widget_[a-z]+_\d+"/, file);
      assert.match(text, /\{% data [\w.-]+ %\}/, file);
      assert.match(text, /\]\(\/widgets\/w\d+-errors/, file);
    }
  });

  it('generates without errors: every synthetic error becomes a case, every anchor is confirmed', () => {
    const result = pipelineOf(Object.fromEntries(corpus.files.map((f) => [f.file, f.text])), corpus.recipes);
    assert.ok(!hasErrors(result.diagnostics), formatText(result.diagnostics));
    assert.equal(result.build.cases.length, corpus.documented);
    const statuses = new Set(result.build.cases.flatMap((c) => Object.values(c.anchors).map((a) => a.status)));
    assert.deepEqual([...statuses], ['confirmed']);
  });
});

describe('perf: figures', () => {
  it('a ratio figure states its target and whether it is met, at the bound too', () => {
    assert.deepEqual(ratioFigure('x', 'ms', 130, 100, { atMost: 1.3 }), { name: 'x', value: 130, unit: 'ms', floor: 100, ratio: 1.3, target: '≤ 1.3× floor', met: true });
    assert.equal(ratioFigure('x', 'ms', 131, 100, { atMost: 1.3 }).met, false);
    assert.equal(ratioFigure('x', 'req/s', 70, 100, { atLeast: 0.7 }).met, true);
    assert.equal(ratioFigure('x', 'req/s', 69, 100, { atLeast: 0.7 }).met, false);
    assert.deepEqual(ratioFigure('x', 'ms', 5, 0, { atMost: 1 }), { name: 'x', value: 5, unit: 'ms', floor: 0, ratio: null, target: '≤ 1× floor', met: null });
  });

  it('a figure not measured says why and has no values', () => {
    assert.deepEqual(notMeasured('validate', 'ms', '≤ 1.5× floor', 'validate not available'), {
      name: 'validate (not measured: validate not available)',
      value: null,
      unit: 'ms',
      floor: null,
      ratio: null,
      target: '≤ 1.5× floor',
      met: null,
    });
  });

  it('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), { name: 'RangeError', message: 'median of no values' });
  });

  it('prints an aligned table, then the notes', () => {
    const table = formatTable([ratioFigure('generate', 'ms', 1200, 1000, { atMost: 1.3 }), notMeasured('validate', 'ms', '≤ 1.5× floor', 'validate not available')], ['a note']);
    assert.equal(
      table,
      [
        'figure                                             value    floor  ratio  target        met',
        '-----------------------------------------------  -------  -------  -----  ------------  ---',
        'generate                                         1200 ms  1000 ms   1.2×  ≤ 1.3× floor  met',
        'validate (not measured: validate not available)        —        —      —  ≤ 1.5× floor  —',
        '',
        'a note',
      ].join('\n'),
    );
  });

  it('counts the tests of a Playwright summary', () => {
    assert.equal(testsRun('  ✓  9 [cross-locale] › x\n\n  7 passed (7.2s)\n  2 skipped\n'), 9);
    assert.equal(testsRun('  1 failed\n  3 flaky\n  4 passed (1s)\n'), 8);
    assert.equal(testsRun('no summary'), 0);
  });
});

describe('perf: threads', () => {
  it("'auto' uses one thread per MIN_FILES_PER_THREAD files, up to the cores", () => {
    assert.equal(threadCount('auto', 0), 1);
    assert.equal(threadCount('auto', 2 * MIN_FILES_PER_THREAD - 1), 1);
    assert.equal(threadCount('auto', 2 * MIN_FILES_PER_THREAD), Math.min(2, availableParallelism()));
    assert.equal(threadCount('auto', 1_000_000), availableParallelism());
    assert.equal(threadCount(3, 1), 3);
    assert.throws(() => threadCount(0, 10), { name: 'TypeError', message: "threads must be a positive integer or 'auto', not 0" });
  });
});

describe('perf: npm run bench', () => {
  it('rejects bad flags with the usage line', async () => {
    const usage = 'usage: npm run bench -- [--json] [--pages=N] [--locales=L] [--runs=K] [--only=docs,memory,growth,suite,load]';
    await assert.rejects(run(['--pages=0']), new UsageError(`--pages must be a whole number from 1 to 100000, not \`0\`\n${usage}`));
    await assert.rejects(run(['--locales=x']), new UsageError(`--locales must be a whole number from 1 to 26, not \`x\`\n${usage}`));
    await assert.rejects(run(['--only=docs,speed']), new UsageError(`--only takes docs, memory, growth, suite, load, not \`speed\`\n${usage}`));
  });

  it('--json prints one JSON array of figures on stdout and nothing else', async () => {
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(await run(['--json', '--only=docs', '--pages=3', '--locales=2', '--runs=1'], { out: (t) => out.push(t), err: (t) => err.push(t) }), 0);
    assert.equal(out.length, 1);
    const figures = JSON.parse(out[0] ?? '') as Array<Record<string, unknown>>;
    assert.deepEqual(
      figures.map((f) => f['name']),
      [
        'generate cold (1 thread) vs read + remark-parse',
        `worker threads: generate cold, 1 thread vs 1 thread (not measured: ${availableParallelism() === 1 ? 'one core' : '6 files is below the 2000 at which generate uses a second thread'})`,
        'generate warm, nothing changed vs generate cold',
        'generate warm, one page changed vs generate cold',
        'validate vs read + remark-parse',
      ],
    );
    for (const figure of figures) {
      assert.deepEqual(Object.keys(figure), ['name', 'value', 'unit', 'floor', 'ratio', 'target', 'met']);
      const measured = !String(figure['name']).includes('(not measured: ');
      assert.equal(typeof figure['value'], measured ? 'number' : 'object', String(figure['name']));
      assert.equal(typeof figure['met'], measured ? 'boolean' : 'object', String(figure['name']));
    }
    assert.ok(err.includes('floor and generate cold: median of 1 run each, alternating.'), err.join('\n'));
    assert.ok(err.some((line) => line.startsWith('corpus: 6 files (3 pages × 2 locales: en, qa-QA), ')), err.join('\n'));
  });
});
