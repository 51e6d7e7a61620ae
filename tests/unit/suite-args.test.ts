import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run, settingsOf } from '../../scripts/cli/test.ts';
import { UsageError } from '../../scripts/lib/util.ts';
import { GITHUB_REPORTER, splitArgs, SUMMARY_REPORTER, withDocsGithubReporter, withSummaryReporter } from '../../scripts/suite/args.ts';
import { ENV, missingSettings, settingsFromEnv, settingsToEnv, skipReason } from '../../scripts/suite/settings.ts';

describe('npm test arguments', () => {
  it('takes our flags in both spellings and passes every other argument through, in order', () => {
    const { ours, locales, rest } = splitArgs([
      '--base-url',
      'https://forge.invalid',
      '--grep',
      'widget_jammed',
      '-gx',
      '--client-id=app-1',
      '--locale=fr-FR',
      '--shard=1/3',
      '--locale',
      'ru-RU',
      '--reporter=junit',
      '--workers',
      '2',
      '--project=en',
      '--project',
      'xx-XX',
      'tests/contract/error-responses.spec.ts',
    ]);
    assert.deepEqual(ours, { 'base-url': 'https://forge.invalid', 'client-id': 'app-1' });
    // --project names a locale, as it did when each locale was a Playwright project.
    assert.deepEqual(locales, ['fr-FR', 'ru-RU', 'en', 'xx-XX']);
    assert.deepEqual(rest, ['--grep', 'widget_jammed', '-gx', '--shard=1/3', '--reporter=junit', '--workers', '2', 'tests/contract/error-responses.spec.ts']);
  });

  it('leaves everything after `--` to Playwright, even our flag names', () => {
    assert.deepEqual(splitArgs(['--docs-origin=https://docs.example.invalid', '--', '--base-url=x']), {
      ours: { 'docs-origin': 'https://docs.example.invalid' },
      strict: false,
      locales: [],
      rest: ['--', '--base-url=x'],
    });
  });

  it('rejects our flag without a value, naming it', () => {
    assert.throws(() => splitArgs(['--base-url']), { message: '--base-url needs a value, e.g. `--base-url=…`' });
    assert.throws(() => splitArgs(['--callback-url', '--grep', 'x']), { message: '--callback-url needs a value, e.g. `--callback-url=…`' });
    assert.throws(() => splitArgs(['--request-timeout=']), { message: '--request-timeout needs a value, e.g. `--request-timeout=…`' });
  });
});

describe('flags that are neither ours nor Playwright\'s', () => {
  it('are usage errors (exit 2), before Playwright is started', async () => {
    assert.throws(() => splitArgs(['--frobnicate']), { message: "unknown flag `--frobnicate`: neither one of npm test's nor of `playwright test` (see `npm test -- --help`)" });
    assert.throws(() => splitArgs(['-q']), { message: /^unknown flag `-q`/ });
    // The suite is one project: --project names a locale, as the per-locale projects it replaced did.
    assert.throws(() => splitArgs(['--project=cross-locale']), { message: /^the suite is one Playwright project now: .*`--grep "docs parity"`/ });
    assert.throws(() => splitArgs(['--project']), { message: /^--project needs a value/ });
    await assert.rejects(run(['--base-url=http://127.0.0.1:9', '--frobnicate']), (error: unknown) => error instanceof UsageError);
  });

  it('lets every Playwright flag through, with its value however written, and --strict', () => {
    const args = ['-j1', '-gwidget', '--grep', '-x', '--workers=2', '--repeat-each', '2', 'cross-locale', '-x', '--list', '--shuffle', 'spec.ts:3', '--', '--anything', '--project=x'];
    assert.deepEqual(splitArgs(args), { ours: {}, strict: false, locales: [], rest: args });
    assert.deepEqual(splitArgs(['--strict', '--retries=0']), { ours: {}, strict: true, locales: [], rest: ['--retries=0'] });
    assert.throws(() => splitArgs(['--strict=yes']), { message: '--strict takes no value, not `--strict=yes`' });
  });
});

describe('the summary reporter', () => {
  it('is added on top of the configured reporters, of --reporter\'s, and of the user\'s own --add-reporter', () => {
    assert.deepEqual(withSummaryReporter(['--reporter=dot', '--', 'x']), ['--reporter=dot', `--add-reporter=${SUMMARY_REPORTER}`, '--', 'x']);
    assert.deepEqual(withSummaryReporter(['--add-reporter', 'json', '-x']), [`--add-reporter=json,${SUMMARY_REPORTER}`, '-x']);
    assert.deepEqual(withSummaryReporter(['--add-reporter=dot']), [`--add-reporter=dot,${SUMMARY_REPORTER}`]);
  });
});

describe('target settings', () => {
  it('reads the secret from OAUTH_CLIENT_SECRET, lets --client-secret win, and defaults the rest', () => {
    const fromEnv = settingsOf({ 'base-url': 'http://127.0.0.1:8080/' }, { OAUTH_CLIENT_SECRET: 'env-secret' });
    assert.deepEqual(fromEnv, {
      baseUrl: 'http://127.0.0.1:8080',
      clientId: null,
      clientSecret: 'env-secret',
      callbackUrl: null,
      suspendedClientId: null,
      deviceFlowDisabledClientId: null,
      docsOrigin: 'https://docs.github.com',
      requestTimeout: 10_000,
    });
    assert.equal(settingsOf({ 'client-secret': 'flag-secret' }, { OAUTH_CLIENT_SECRET: 'env-secret' }).clientSecret, 'flag-secret');
    assert.equal(settingsOf({}, { OAUTH_CLIENT_SECRET: '' }).clientSecret, null);
  });

  it('ignores stale target variables in the environment: only flags choose the target', () => {
    assert.equal(settingsOf({}, { [ENV.baseUrl]: 'http://stale.invalid' }).baseUrl, null);
  });

  it('reduces --docs-origin to its origin', () => {
    assert.equal(settingsOf({ 'docs-origin': 'https://docs.example.invalid/en/' }, {}).docsOrigin, 'https://docs.example.invalid');
  });

  it('rejects bad values with the flag and the fix', () => {
    assert.throws(() => settingsOf({ 'base-url': 'forge.invalid' }, {}), { message: '--base-url must be an absolute http(s) URL, not `forge.invalid`' });
    assert.throws(() => settingsOf({ 'callback-url': 'ftp://x.invalid/cb' }, {}), { message: '--callback-url must be an absolute http(s) URL, not `ftp://x.invalid/cb`' });
    assert.throws(() => settingsOf({ 'request-timeout': '1.5' }, {}), { message: '--request-timeout must be a positive whole number of milliseconds up to 2147483647 (about 24 days), not `1.5`' });
    assert.throws(() => settingsOf({ 'request-timeout': '0' }, {}), { message: '--request-timeout must be a positive whole number of milliseconds up to 2147483647 (about 24 days), not `0`' });
  });

  it('bounds --request-timeout where Node would fire its timer at once', () => {
    assert.equal(settingsOf({ 'request-timeout': '2147483647' }, {}).requestTimeout, 2 ** 31 - 1);
    assert.throws(() => settingsOf({ 'request-timeout': '2147483648' }, {}), { message: '--request-timeout must be a positive whole number of milliseconds up to 2147483647 (about 24 days), not `2147483648`' });
  });

  it('rejects credentials, a query or a fragment in --base-url, never printing the password', () => {
    assert.throws(() => settingsOf({ 'base-url': 'http://widget:pa55word@127.0.0.1:1/' }, {}), {
      message: "--base-url must not hold a user name or password (`http://***@127.0.0.1:1/`): they would show wherever the URL is printed; the suite sends the app's client id and secret itself",
    });
    assert.throws(() => settingsOf({ 'base-url': 'http://widget:pa55@127.0.0.1:99999/' }, {}), { message: '--base-url must be an absolute http(s) URL, not `http://***@127.0.0.1:99999/`' });
    assert.throws(() => settingsOf({ 'base-url': 'http://127.0.0.1:1/api?x=1' }, {}), {
      message: "--base-url must not hold a query or fragment, not `http://127.0.0.1:1/api?x=1`: each endpoint's path is appended to it; give the server's root, e.g. `http://127.0.0.1:1/api`",
    });
    assert.throws(() => settingsOf({ 'base-url': 'http://127.0.0.1:1/#top' }, {}), { message: /must not hold a query or fragment, not `http:\/\/127\.0\.0\.1:1\/#top`/ });
    assert.equal(settingsOf({ 'base-url': 'http://127.0.0.1:1/api/' }, {}).baseUrl, 'http://127.0.0.1:1/api');
  });

  it('reads the secret from --client-secret-file, without its final line break', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'secret-file-'));
    try {
      const file = path.join(dir, 'secret');
      writeFileSync(file, 'widget-secret "1"\n');
      assert.equal(settingsOf({ 'client-secret-file': file }, { OAUTH_CLIENT_SECRET: 'env-secret' }).clientSecret, 'widget-secret "1"');
      writeFileSync(file, '\n');
      assert.throws(() => settingsOf({ 'client-secret-file': file }, {}), { message: `--client-secret-file: \`${file}\` is empty; it must hold the client secret` });
      const missing = path.join(dir, 'none');
      assert.throws(() => settingsOf({ 'client-secret-file': missing }, {}), { message: `--client-secret-file: cannot read \`${missing}\` (ENOENT); give a file holding the client secret` });
      assert.throws(() => settingsOf({ 'client-secret-file': file, 'client-secret': 'x' }, {}), { message: 'give the client secret once: --client-secret or --client-secret-file, not both' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips through the environment, removing unset settings', () => {
    const settings = settingsOf({ 'base-url': 'http://127.0.0.1:1', 'client-id': 'app', 'request-timeout': '400' }, { OAUTH_CLIENT_SECRET: 's' });
    const env = settingsToEnv(settings, { [ENV.callbackUrl]: 'http://stale.invalid/cb', PATH: '/bin' });
    assert.equal(env[ENV.callbackUrl], undefined);
    assert.equal(env['PATH'], '/bin');
    assert.deepEqual(settingsFromEnv(env), settings);
  });

  it('names what is missing and how to give it', () => {
    const settings = settingsOf({ 'base-url': 'http://127.0.0.1:1' }, {});
    const missing = missingSettings(['clientId', 'clientSecret'], settings);
    assert.deepEqual(missing, ['clientId', 'clientSecret']);
    assert.equal(
      skipReason(missing),
      'needs the client id (pass `--client-id=ID` to `npm test`) and the client secret (set `OAUTH_CLIENT_SECRET` or pass `--client-secret-file=PATH` to `npm test`)',
    );
    assert.deepEqual(missingSettings(['clientId'], { ...settings, clientId: 'app' }), []);
  });

  it('puts our GitHub reporter in place of Playwright\'s wherever a reporter flag names it, and nothing else', () => {
    assert.deepEqual(withDocsGithubReporter(['--reporter=github,junit', '-g', 'github']), [`--reporter=${GITHUB_REPORTER},junit`, '-g', 'github']);
    assert.deepEqual(withDocsGithubReporter(['--reporter', 'github', '--add-reporter=dot,github']), ['--reporter', GITHUB_REPORTER, `--add-reporter=dot,${GITHUB_REPORTER}`]);
    assert.deepEqual(withDocsGithubReporter(['--reporter=list', '--', '--reporter=github']), ['--reporter=list', '--', '--reporter=github']);
  });
});
