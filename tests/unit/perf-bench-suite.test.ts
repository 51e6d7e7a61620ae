/**
 * The `npm test` figure's parts that can be checked without timing anything: the layout read
 * from the suite's output and handed to the floor, the floor's projects, and the command timed
 * being exactly what `npm test` runs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeLayout, floorTitle, LAYOUT_ENV, layoutFromEnv, layoutOf, oneProject, projectGrep } from '../../scripts/bench/layout.ts';
import { commandOf, testScript } from '../../scripts/bench/suite.ts';
import { makeTree } from './helpers.ts';

/** A run of the suite as the list reporter prints it when stdout is not a terminal. */
const OUTPUT = `npm test: no --base-url, so testing the embedded mock at http://127.0.0.1:40869 (…)

Running 9 tests using 1 worker

  ✓  1 [fr-FR] › tests/contract/docs-health.spec.ts:22:1 › docs health: front-matter, Liquid, JSON examples, links and anchors of this locale (80ms)
  ✓  2 [fr-FR] › tests/contract/error-responses.spec.ts:20:5 › [fr-FR] bad_verification_code · POST /login/oauth/access_token (65ms)
  -  3 [fr-FR] › tests/contract/error-responses.spec.ts:20:5 › [fr-FR] incorrect_client_credentials · POST /login/oauth/access_token
  ✘  4 [fr-FR] › tests/contract/error-responses.spec.ts:20:5 › [fr-FR] redirect_uri_mismatch · POST /login/oauth/access_token (35ms)
  ✓  5 [ru-RU] › tests/contract/docs-health.spec.ts:22:1 › docs health: front-matter, Liquid, JSON examples, links and anchors of this locale (80ms)
  ✓  6 [ru-RU] › tests/contract/error-responses.spec.ts:20:5 › [ru-RU] bad_verification_code · POST /login/oauth/access_token (52ms)
  ✓  7 [ru-RU] › tests/contract/error-responses.spec.ts:20:5 › [ru-RU] incorrect_client_credentials · POST /login/oauth/access_token (33ms)
  ✓  8 [ru-RU] › tests/contract/error-responses.spec.ts:20:5 › [ru-RU] redirect_uri_mismatch · POST /login/oauth/access_token (29ms)
  ✓  9 [cross-locale] › tests/contract/docs-parity.spec.ts:21:1 › docs parity: locales agree on front-matter, sections, examples, references, links; translations are current (68ms)

  1 failed
  1 skipped
  7 passed (4.0s)

  note: [fr-FR] bad_verification_code: anchor \`#bad-verification-code\` not confirmed (inferred)
`;

const LAYOUT = {
  projects: [
    { name: 'fr-FR', tests: 4 },
    { name: 'ru-RU', tests: 4 },
    { name: 'cross-locale', tests: 1 },
  ],
  workers: 1,
};

describe('perf: the layout of the npm test run', () => {
  it('counts the tests of each project, in order, passed, failed or skipped, and the workers', () => {
    assert.deepEqual(layoutOf(OUTPUT), LAYOUT);
    assert.equal(describeLayout(LAYOUT), 'fr-FR 4, ru-RU 4, cross-locale 1; 1 worker');
    assert.deepEqual(layoutOf(OUTPUT.replace('using 1 worker', 'using 2 workers')), { ...LAYOUT, workers: 2 });
    assert.deepEqual(layoutOf('Running 1 test using 1 worker, shard 1 of 2\n\n  ✓  1 [a] › x.spec.ts:1:1 › t (1ms)\n'), { projects: [{ name: 'a', tests: 1 }], workers: 1 });
  });

  it('does not count a `[project]` that is not at the start of a test line', () => {
    const noted = `${OUTPUT}  note: [fr-FR] x › y\n    - [ru-RU] › z\n    ✓  2 [ru-RU] › quoted in a message\n  1) [fr-FR] › tests/contract/error-responses.spec.ts:20:5 › x\n`;
    assert.deepEqual(layoutOf(noted), LAYOUT);
  });

  it('says what is wrong when the lines do not add up to the tests Playwright ran, or there is no Running line', () => {
    assert.equal(layoutOf(OUTPUT.replace('Running 9 tests', 'Running 10 tests')), '9 test lines with a [project] in the output, but Playwright said it ran 10 tests');
    const retried = OUTPUT.replace(/( {2}✘ {2}4 .*\n)/, '$1  ✓  10 [fr-FR] › tests/contract/error-responses.spec.ts:20:5 › [fr-FR] redirect_uri_mismatch · POST /login/oauth/access_token (retry #1) (30ms)\n');
    assert.equal(layoutOf(retried), '10 test lines with a [project] in the output, but Playwright said it ran 9 tests');
    assert.equal(layoutOf('no tests'), 'no `Running N tests using W workers` line in the output');
  });

  it('goes to the floor through the environment, and a bad value there is an error naming the variable', () => {
    assert.deepEqual(layoutFromEnv({ [LAYOUT_ENV]: JSON.stringify(LAYOUT) }), LAYOUT);
    assert.deepEqual(oneProject(9, 1), { projects: [{ name: 'floor', tests: 9 }], workers: 1 });
    assert.throws(() => layoutFromEnv({}), { message: 'BENCH_LAYOUT is not set; the benchmark (scripts/bench/suite.ts) sets it' });
    assert.throws(() => layoutFromEnv({ [LAYOUT_ENV]: '{' }), { message: 'BENCH_LAYOUT is not JSON: {' });
    for (const bad of [
      { projects: [], workers: 1 },
      { projects: [{ name: 'a', tests: 0 }], workers: 1 },
      { projects: [{ name: 'a', tests: 1 }], workers: 0 },
      { projects: [{ name: 'a', tests: 1 }, { name: 'a', tests: 2 }], workers: 1 },
      { projects: [{ tests: 1 }], workers: 1 },
      [1],
    ]) {
      assert.throws(() => layoutFromEnv({ [LAYOUT_ENV]: JSON.stringify(bad) }), { message: /^BENCH_LAYOUT is not a layout / }, JSON.stringify(bad));
    }
  });

  it("a project's grep keeps exactly its own floor tests (Playwright greps the file and the title)", () => {
    const names = ['fr-FR', 'ru-RU', 'cross-locale', 'a.b', 'fr'];
    for (const name of names) {
      const grep = projectGrep(name);
      for (const other of names) {
        for (const title of [floorTitle(other, 1), `floor.spec.ts ${floorTitle(other, 12)}`]) {
          assert.equal(grep.test(title), other === name, `${String(grep)} on ${title}`);
        }
      }
    }
  });
});

describe('perf: the floor run has the layout it is given', () => {
  it('lists, in each project, exactly that project\'s number of tests', () => {
    const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
    const list = (layout: object) =>
      execFileSync(process.execPath, [cli, 'test', '-c', 'scripts/bench/playwright.config.ts', '--list'], {
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', [LAYOUT_ENV]: JSON.stringify(layout), BENCH_URL: 'http://127.0.0.1:9' },
      });
    const counts = (text: string) => {
      const seen = new Map<string, number>();
      for (const m of text.matchAll(/^ {2}\[([^\]]+)\] › floor\.spec\.ts:\d+:\d+ › \[([^\]]+)\] trivial request \d+$/gm)) {
        assert.equal(m[1], m[2], m[0]);
        seen.set(m[1] ?? '', (seen.get(m[1] ?? '') ?? 0) + 1);
      }
      return [...seen].map(([name, tests]) => ({ name, tests }));
    };
    assert.deepEqual(counts(list(LAYOUT)), LAYOUT.projects);
    assert.deepEqual(counts(list(oneProject(9, 1))), [{ name: 'floor', tests: 9 }]);
  });

  it('has the suite\'s fullyParallel and workers setting', async () => {
    process.env[LAYOUT_ENV] = JSON.stringify(LAYOUT);
    const floor = (await import('../../scripts/bench/playwright.config.ts')).default;
    const suite = (await import('../playwright.config.ts')).default;
    assert.equal(floor.fullyParallel, suite.fullyParallel);
    // The suite leaves workers to Playwright's default; the floor is given the count that default gave the suite's run.
    assert.equal(suite.workers, undefined);
    assert.equal(floor.workers, LAYOUT.workers);
  });
});

describe('perf: the command timed is what npm test runs', () => {
  it("is package.json's test script, with node as this Node and other commands from node_modules/.bin", () => {
    assert.equal(testScript(makeTree({ 'package.json': '{"scripts": {"test": "node x.ts", "lint": "eslint"}}' })), 'node x.ts');
    assert.equal(testScript(makeTree({ 'package.json': '{"scripts": {}}' })), '');
    assert.equal(testScript(), 'node --import tsx scripts/cli/test.ts', "this repository's, as the README gives it");
    assert.deepEqual(commandOf('node --import tsx scripts/cli/test.ts', '/repo', '/bin/node20'), { command: '/bin/node20', args: ['--import', 'tsx', 'scripts/cli/test.ts'] });
    assert.deepEqual(commandOf('tsx scripts/cli/test.ts'), { command: path.resolve('node_modules/.bin/tsx'), args: ['scripts/cli/test.ts'] });
    assert.equal(commandOf('nonesuch x'), '`nonesuch` (of `nonesuch x`) is neither node nor in node_modules/.bin');
    for (const shell of ['node a.ts && node b.ts', 'FOO=1 node a.ts', 'node "a b.ts"', 'node $X', 'node a.ts > out', '']) {
      assert.match(commandOf(shell) as string, /is not one plain command$/, shell);
    }
  });
});
