/**
 * The benchmark's parts that can be checked without timing anything: its flags, the figures and
 * their table, what it reads from Playwright's output, the corpus it unpacks and changes, and
 * the peak memory a measured child reports.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { changeOnePage, pageDirs, pagesUnder, unpack, type CorpusTrees } from '../../scripts/bench/corpus.ts';
import { figure, formatTable, median, side } from '../../scripts/bench/figures.ts';
import { measure } from '../../scripts/bench/measure.ts';
import { runBench } from '../../scripts/bench/run.ts';
import { passedOf, runningOf } from '../../scripts/bench/suite.ts';
import { BUDGET_MS, optionsOf, run } from '../../scripts/cli/bench.ts';
import { UsageError } from '../../scripts/lib/util.ts';
import { makeTree } from './helpers.ts';

const USAGE = 'usage: npm run bench -- [--json] [--runs=N] [--only=mock,test,validate,generate,corpus] [--corpus=FILE.tar.xz]';
const quiet = () => {};

describe('bench: flags', () => {
  it('defaults to every group, up to 3 runs within the budget', () => {
    const options = optionsOf([], quiet);
    assert.deepEqual({ ...options, only: [...(options?.only ?? [])], log: null }, {
      json: false,
      runs: 3,
      budgetMs: BUDGET_MS,
      only: ['mock', 'test', 'validate', 'generate', 'corpus'],
      archive: '../shared/corpora/github-docs-2021-12-06.tar.xz',
      log: null,
    });
  });

  it('honours an explicit --runs whatever it takes, and --only, --json, --corpus', () => {
    const options = optionsOf(['--runs=5', '--only=corpus,mock', '--json', '--corpus=/x/y.tar.xz'], quiet);
    assert.equal(options?.runs, 5);
    assert.equal(options?.budgetMs, Infinity);
    assert.deepEqual([...(options?.only ?? [])], ['corpus', 'mock']);
    assert.equal(options?.json, true);
    assert.equal(options?.archive, '/x/y.tar.xz');
  });

  it('rejects bad values with the usage line', () => {
    for (const bad of ['0', '51', '2.5', 'x', '']) {
      assert.throws(() => optionsOf([`--runs=${bad}`], quiet), new UsageError(`--runs must be a whole number from 1 to 50, not \`${bad}\`\n${USAGE}`));
    }
    assert.throws(() => optionsOf(['--only=mock,speed'], quiet), new UsageError(`--only takes mock, test, validate, generate, corpus, not \`speed\`\n${USAGE}`));
    assert.throws(() => optionsOf(['--only='], quiet), new UsageError(`--only takes mock, test, validate, generate, corpus, not \`\`\n${USAGE}`));
    assert.throws(() => optionsOf(['--pages=3'], quiet), new UsageError(`Unknown option '--pages'\n${USAGE}`));
  });

  it('--help prints the usage and exits 0 without measuring', async () => {
    const out: string[] = [];
    assert.equal(await run(['--help'], { out: (t) => out.push(t), err: quiet }), 0);
    assert.equal(out.length, 1);
    assert.ok(out[0]?.startsWith(`${USAGE}\nMeasures, in one run`), out[0]);
  });
});

describe('bench: figures', () => {
  it('summarizes samples as their median and spread', () => {
    assert.deepEqual(side('x', [3, 1, 2, 10]), { what: 'x', median: 2.5, min: 1, max: 10, samples: [3, 1, 2, 10] });
    assert.deepEqual(side('x', []), { what: 'x', median: null, min: null, max: null, samples: [] });
    assert.equal(median([5]), 5);
    assert.equal(median([4, 1, 7]), 4);
    assert.throws(() => median([]), RangeError);
  });

  it('compares the medians against an upper or a lower bound on the ratio', () => {
    const at = (ours: number[], peer: number[], target: Parameters<typeof figure>[0]['target']) => figure({ group: 'g', name: 'n', unit: 's', ours: side('a', ours), peer: side('b', peer), target });
    assert.deepEqual([at([10], [8], { ratio: '≤', bound: 1.25 }).ratio, at([10], [8], { ratio: '≤', bound: 1.25 }).met], [1.25, true]);
    assert.equal(at([10.1], [8], { ratio: '≤', bound: 1.25 }).met, false);
    assert.equal(at([7], [10], { ratio: '≥', bound: 0.7 }).met, true);
    assert.equal(at([6.9], [10], { ratio: '≥', bound: 0.7 }).met, false);
    assert.equal(at([6.9], [10], { ratio: '≥', bound: 0.7 }).target, '≥ 0.7×');
  });

  it('checks an absolute bound on our median, whatever the peer', () => {
    const memory = (ours: number[]) => figure({ group: 'g', name: 'n', unit: 'MB', ours: side('a', ours), peer: side('b', [2000]), target: { value: '≤', bound: 1024 } });
    assert.deepEqual([memory([1000]).met, memory([1000]).target, memory([1000]).ratio], [true, '≤ 1024 MB', 0.5]);
    assert.equal(memory([1025]).met, false);
  });

  it('is not measured, neither met nor not, when a side has no samples', () => {
    const f = figure({ group: 'g', name: 'n', unit: 's', ours: side('a', []), peer: side('b', [1]), target: { ratio: '≤', bound: 1 }, note: 'why' });
    assert.deepEqual([f.ratio, f.met, f.note], [null, null, 'why']);
  });

  it('prints an aligned table, then what each side ran, the notes and the footer', () => {
    const figures = [
      figure({ group: 'g', name: 'widget jam: time', unit: 's', ours: side('ours', [1.5, 1, 2]), peer: side('theirs', [2]), target: { ratio: '≤', bound: 1 } }),
      figure({ group: 'g', name: 'widget memory', unit: 'MB', ours: side('ours', []), peer: side('theirs', []), target: { value: '≤', bound: 1024 }, note: 'the archive is absent' }),
    ];
    assert.equal(
      formatTable(figures, ['footer line']),
      [
        'figure                        ours  peer  ratio  target     met',
        '----------------  ----------------  ----  -----  ---------  ------------',
        'widget jam: time  1.5 s (1–2, n=3)   2 s  0.75×  ≤ 1×       met',
        'widget memory                    —     —      —  ≤ 1024 MB  not measured',
        '',
        'widget jam: time; widget memory: ours is ours; peer is theirs.',
        '',
        'widget memory: the archive is absent',
        '',
        'footer line',
      ].join('\n'),
    );
  });
});

describe('bench: Playwright output', () => {
  it('reads the tests and workers a run announces, and the tests that passed', () => {
    assert.deepEqual(runningOf('\nRunning 9 tests using 1 worker\n\n  ✓  1 [xx-XX] › a\n'), { tests: 9, workers: 1 });
    assert.deepEqual(runningOf('Running 1 test using 2 workers, shard 1 of 2'), { tests: 1, workers: 2 });
    assert.equal(runningOf('no such line'), null);
    assert.equal(passedOf('  1 failed\n  8 passed (3.7s)\n'), 8);
    assert.equal(passedOf('  1 failed\n'), 0);
  });
});

describe('bench: the corpus', () => {
  const files = {
    'content/README.md': 'About this folder, not a page.\n',
    'content/widgets/index.md': '# Widgets\n',
    'content/widgets/jammed.md': '# Jammed\r\nno newline at the end',
    'data/reusables/widgets/note.md': 'A note.\n',
    'translations/xx-XX/content/widgets/jammed.md': '# Coincé\n',
    'translations/xx-XX/data/reusables/widgets/note.md': 'Une note.\n',
    'translations/README.md': 'not a locale\n',
  };

  it('lists the page folders and their pages as a github/docs tree has them', () => {
    const root = makeTree(files);
    assert.deepEqual(pageDirs(root), ['content', 'translations/xx-XX/content']);
    assert.deepEqual(pagesUnder(root, pageDirs(root)), ['content/README.md', 'content/widgets/index.md', 'content/widgets/jammed.md', 'translations/xx-XX/content/widgets/jammed.md']);
  });

  /** The synthetic corpus packed as an archive, and a folder to unpack it in. */
  function packed(): { archive: string; parent: string } {
    const root = makeTree(files);
    const archive = path.join(root, 'corpus.tar.xz');
    execFileSync('tar', ['-cJf', archive, '-C', root, 'content', 'data', 'translations']);
    const parent = path.join(root, 'tmp');
    mkdirSync(parent);
    return { archive, parent };
  }

  async function unpacked(archive: string, parent: string): Promise<CorpusTrees> {
    const trees = await unpack(archive, parent);
    if (typeof trees === 'string') assert.fail(trees);
    return trees;
  }

  it('unpacks an archive whole and English only, once, and removes copies of other archives', async () => {
    const { archive, parent } = packed();
    mkdirSync(path.join(parent, 'docs-contract-corpus-0000000000000000/en'), { recursive: true });
    mkdirSync(path.join(parent, 'unrelated'));
    const trees = await unpacked(archive, parent);
    assert.deepEqual(pagesUnder(trees.all, ['content', 'data', 'translations']).length, 7);
    assert.deepEqual(pagesUnder(trees.en, ['content', 'data']), ['content/README.md', 'content/widgets/index.md', 'content/widgets/jammed.md', 'data/reusables/widgets/note.md']);
    assert.deepEqual(pageDirs(trees.en), ['content']);
    assert.deepEqual(readdirSync(parent).sort(), [path.basename(path.dirname(trees.en)), 'unrelated']);
    // Found whole the second time: a file added to the copy stays.
    writeFileSync(path.join(trees.en, 'content/extra.md'), 'x');
    assert.deepEqual(await unpacked(archive, parent), trees);
    assert.ok(existsSync(path.join(trees.en, 'content/extra.md')));
  });

  it('changes one English page that is neither an index nor a README, and puts it back byte for byte', async () => {
    const { archive, parent } = packed();
    const trees = await unpacked(archive, parent);
    const file = path.join(trees.en, 'content/widgets/jammed.md');
    const changed = changeOnePage(trees);
    assert.equal(changed.page, 'content/widgets/jammed.md');
    assert.notEqual(readFileSync(file, 'utf8'), files['content/widgets/jammed.md']);
    changed.restore();
    assert.equal(readFileSync(file, 'utf8'), files['content/widgets/jammed.md']);
  });

  it('unpacks again a copy left with a page changed', async () => {
    const { archive, parent } = packed();
    const trees = await unpacked(archive, parent);
    const file = path.join(trees.en, 'content/widgets/jammed.md');
    changeOnePage(trees); // and never put back, as when a run is stopped
    await unpacked(archive, parent);
    assert.equal(readFileSync(file, 'utf8'), files['content/widgets/jammed.md']);
  });

  it('skips the corpus figures, saying why, when the archive is absent', async () => {
    const root = makeTree({ 'empty.txt': '' });
    const report = await runBench({ runs: 1, budgetMs: Infinity, only: new Set(['validate', 'generate', 'corpus']), archive: path.join(root, 'none.tar.xz'), log: quiet });
    const reason = `the corpus archive \`${path.join(root, 'none.tar.xz')}\` is absent (pass --corpus=FILE)`;
    assert.deepEqual(
      report.figures.map((f) => [f.name, f.met, f.note]),
      [
        ['validate, English pages: time', null, reason],
        ['validate, English pages: peak memory', null, reason],
        ['validate warm, one page changed: time', null, reason],
        ['generate warm, one page changed: time', null, reason],
        ['validate, all locales: time', null, reason],
        ['validate, all locales: peak memory', null, reason],
      ],
    );
  });
});

describe('bench: measuring a child', () => {
  it('reports the peak resident set of the measured process', async () => {
    const script = (mb: number) => ['-e', `const b = Buffer.alloc(${mb} * 1048576, 1); process.exitCode = b[0] === 1 ? 3 : 0;`];
    const big = await measure({ args: script(150), timeoutMs: 30_000 });
    const small = await measure({ args: script(1), timeoutMs: 30_000 });
    assert.equal(big.code, 3);
    assert.ok((big.peakBytes ?? 0) > 150 * 1048576, String(big.peakBytes));
    assert.ok((small.peakBytes ?? Infinity) < 150 * 1048576, String(small.peakBytes));
  });

  it('kills a child that outlives its bound, and then has no peak', async () => {
    const run = await measure({ args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 300 });
    assert.deepEqual([run.timedOut, run.signal, run.peakBytes], [true, 'SIGKILL', null]);
  });

  it('runs the commands npm runs for validate, generate and test', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    // scripts/bench/docs.ts and suite.ts run `node scripts/docs-contract.js <command>`.
    assert.equal(scripts['validate'], 'node scripts/docs-contract.js validate');
    assert.equal(scripts['generate'], 'node scripts/docs-contract.js generate');
    assert.equal(scripts['test'], 'node scripts/docs-contract.js test');
  });
});

