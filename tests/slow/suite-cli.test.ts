/**
 * `npm test` run whole, as a user runs it (seconds each): a flag neither ours nor Playwright's
 * exits 2; a run against a server that tests no server response says so in its last line and
 * fails with --strict; --locale chooses the locales whose tests run; and our list of Playwright's flags is the installed Playwright's.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CASES_FILE } from '../../scripts/lib/util.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import { ROOT, runSuite } from '../../scripts/selftest/child.ts';
import { startReference } from '../../scripts/selftest/reference-server.ts';
import { PLAYWRIGHT_FLAGS } from '../../scripts/suite/args.ts';

/** A hang guard, not a measure. */
const LIMIT_MS = 120_000;
const APP = { clientId: 'widget-client', clientSecret: 'widget-secret-0123456789', callbackUrl: 'http://127.0.0.1:9/widget-callback' };

/** The last line a run printed on stdout. */
const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1) ?? '';

describe('npm test, whole', () => {
  it('exits 2 on a flag that is neither its own nor Playwright\'s, naming it, before running anything', async () => {
    const run = await runSuite(['--frobnicate'], { ...process.env }, LIMIT_MS);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /unknown flag `--frobnicate`: neither one of npm test's nor of `playwright test`/);
    assert.doesNotMatch(run.stdout, /passed|failed|skipped/);
  });

  it('says in its last line that no server response was tested, and fails then with --strict', async () => {
    const server = await startReference({ cases: loadCases(path.join(ROOT, CASES_FILE)).cases, ...APP, docsOrigin: null, behaviour: {} });
    try {
      // --base-url without --client-id: every server test needs the client id.
      const env = { ...process.env, OAUTH_CLIENT_SECRET: APP.clientSecret };
      const args = [`--base-url=${server.url}`, '--reporter=list', '--workers=1', 'tests/contract/error-responses.spec.ts'];
      const lenient = await runSuite(args, env, LIMIT_MS);
      assert.equal(lenient.exitCode, 0, lenient.stdout + lenient.stderr);
      assert.equal(lastLine(lenient.stdout), '  no server response was tested: every server test was skipped (reasons above); pass --strict to fail such a run');
      const strict = await runSuite([...args, '--strict'], env, LIMIT_MS);
      assert.equal(strict.exitCode, 1, strict.stdout + strict.stderr);
      assert.equal(lastLine(strict.stdout), '  no server response was tested: every server test was skipped (reasons above); the run fails (--strict)');
      // With the client id, the same strict run tests the server and passes.
      const tested = await runSuite([...args, '--strict', `--client-id=${APP.clientId}`, `--callback-url=${APP.callbackUrl}`], env, LIMIT_MS);
      assert.equal(tested.exitCode, 0, tested.stdout + tested.stderr);
      assert.doesNotMatch(tested.stdout, /no server response was tested/);
    } finally {
      await server.stop();
    }
  });

  it('against a server without the test-only hooks, skips the device-flow tests that need a user or time, saying why, and runs the others', async () => {
    const server = await startReference({ cases: loadCases(path.join(ROOT, CASES_FILE)).cases, ...APP, docsOrigin: null, behaviour: { noHooks: true } });
    try {
      const env = { ...process.env, OAUTH_CLIENT_SECRET: APP.clientSecret };
      const args = [`--base-url=${server.url}`, `--client-id=${APP.clientId}`, '--reporter=list', '--workers=1', '--locale=en', '--grep=with device_code|gets a token'];
      const run = await runSuite([...args, 'tests/contract/error-responses.spec.ts', 'tests/contract/device-flow.spec.ts'], env, LIMIT_MS);
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      // expired_token, access_denied, and the whole flow need a hook; the other five polls do not.
      assert.match(run.stdout, /\b3 skipped\b/);
      assert.match(run.stdout, /\b5 passed\b/);
      assert.match(run.stdout, /the server offers no test-only hook `deny` \(`POST \/_docs-contract\/device\/deny` answered 404\)/);
      assert.match(run.stdout, /the server offers no test-only hook `approve`/);
    } finally {
      await server.stop();
    }
  });

  it('runs the chosen locales\' tests only (--locale, or --project as the per-locale projects were named), and stops on a locale the docs do not have', async () => {
    const args = ['--reporter=list', '--workers=1', '--grep=docs health'];
    const ru = await runSuite([...args, '--locale=ru-RU'], { ...process.env }, LIMIT_MS);
    assert.equal(ru.exitCode, 0, ru.stdout + ru.stderr);
    assert.deepEqual([...ru.stdout.matchAll(/\[([\w-]+)\] docs health/g)].map((m) => m[1]), ['ru-RU']);
    const two = await runSuite([...args, '--project=fr-FR', '--locale=en'], { ...process.env }, LIMIT_MS);
    assert.equal(two.exitCode, 0, two.stdout + two.stderr);
    assert.deepEqual([...two.stdout.matchAll(/\[([\w-]+)\] docs health/g)].map((m) => m[1]).sort(), ['en', 'fr-FR']);
    const unknown = await runSuite([...args, '--locale=xx-XX'], { ...process.env }, LIMIT_MS);
    assert.notEqual(unknown.exitCode, 0);
    assert.match(unknown.stdout + unknown.stderr, /unknown locale `xx-XX` \(given by --locale or --project\); the docs and cases of this run have `en`, `fr-FR`, `ru-RU`/);
    assert.doesNotMatch(unknown.stdout, /\bpassed\b/);
  });

  it('knows every flag of the installed `playwright test`, and no other', () => {
    const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
    const help = execFileSync(process.execPath, [cli, 'test', '--help'], { cwd: ROOT, encoding: 'utf8' });
    // Option lines: two spaces, the flags, their value, then the description.
    const listed = [...help.matchAll(/^ {2}(-\S.*?)(?: {2,}|$)/gm)].map((m) => (m[1] ?? '').trim());
    assert.deepEqual([...PLAYWRIGHT_FLAGS].sort(), listed.sort());
  });
});
