/**
 * The hand-offs of a whole `npm test` run, in a copy of the repository whose docs, schemas or
 * cases are broken: a docs report that cannot be computed fails the docs tests with its problem
 * (and only them), a bad schema stops the run before any test naming the file, and a bad cases
 * file is `npm test`'s usage error before Playwright has run anything.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = path.resolve('.');
const tmp = mkdtempSync(path.join(tmpdir(), 'suite-handoff-run-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the repository (but its unit tests), node_modules linked, changed by `change`. */
function copyRepo(name: string, change: (root: string) => void): string {
  const root = path.join(tmp, name);
  for (const rel of ['package.json', 'tsconfig.json', 'docs', 'schemas', 'scripts', 'tests']) {
    cpSync(path.join(ROOT, rel), path.join(root, rel), { recursive: true, filter: (src) => !src.startsWith(path.join(ROOT, 'tests', 'unit')) });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  change(root);
  return root;
}

/** `npm test -- …args` in `root`: exit code and everything printed. */
function npmTest(root: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env['CI'];
  delete env['OAUTH_CLIENT_SECRET'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli/test.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('npm test with broken inputs', { timeout: 120_000 }, () => {
  it('a docs report that cannot be computed fails each docs test with its problem, in one line, and the anchors it would have accepted', async () => {
    const root = copyRepo('bad-baseline', (r) => writeFileSync(path.join(r, 'tests', 'docs-baseline.yaml'), 'docs: docs\naccepted: [\n'));
    const { code, output } = await npmTest(root, []);
    assert.equal(code, 1, output);
    // The docs tests of three locales and the cross-locale one; and `redirect_uri_mismatch` in each
    // locale, whose documented anchor names no heading: only the unreadable baseline accepts that.
    assert.match(output, /^ {2}7 failed$/m, output);
    assert.match(output, /^ {2}6 passed \(/m, output);
    for (const failed of [...output.matchAll(/^ {2}✘ +\d+ \[([^\]]+)\] › (tests\/contract\/[\w-]+\.spec\.ts:\d+:\d+ › .*)$/gm)]) {
      assert.match(failed[2] ?? '', /docs-(health|parity)\.spec\.ts|error-responses\.spec\.ts.* redirect_uri_mismatch /, failed[0]);
    }
    const problems = [...output.matchAll(/^ +- cannot validate docs\/: (.+)$/gm)].map((m) => m[1]);
    assert.equal(problems.length, 4, output);
    for (const problem of problems) assert.match(problem ?? '', /^tests\/docs-baseline\.yaml:\d+: .+; fix it, or rewrite the file with `npm run validate -- --update-baseline`\.$/);
    assert.doesNotMatch(output, /^\s+at .*(load|baseline|docs-report)\.ts/m, 'no stack trace of the error');
  });

  it('a schema that is not JSON stops the run before any test, naming the file', async () => {
    const root = copyRepo('bad-schema', (r) => writeFileSync(path.join(r, 'schemas', 'developers', 'broken.schema.json'), '{'));
    const { code, output } = await npmTest(root, []);
    assert.equal(code, 1, output);
    assert.match(output, /^Error: schemas\/developers\/broken\.schema\.json is not JSON \(.+\); run `npm run generate`$/m, output);
    assert.doesNotMatch(output, /Running \d+ tests?/, output);
  });

  it('a cases file that is not JSON is npm test\'s usage error, and Playwright runs nothing', async () => {
    const root = copyRepo('bad-cases', (r) => writeFileSync(path.join(r, 'tests', 'fixtures', 'cases.json'), '{'));
    const { code, output } = await npmTest(root, []);
    assert.equal(code, 2, output);
    assert.match(output, /^npm test: cases file `.+\/tests\/fixtures\/cases\.json` is not valid JSON; it is generated, never edited: run `npm run generate` to build it from the docs$/m, output);
    // Said once, by npm test: Playwright, started first, was stopped before it got as far as reading the file.
    assert.equal(output.match(/is not valid JSON/g)?.length, 1, output);
    assert.doesNotMatch(output, /Running \d+ tests?/, output);
  });
});
