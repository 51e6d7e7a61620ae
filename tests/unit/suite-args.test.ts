import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsOf } from '../../scripts/cli/test.ts';
import { splitArgs } from '../../scripts/suite/args.ts';
import { ENV, missingSettings, settingsFromEnv, settingsToEnv, skipReason } from '../../scripts/suite/settings.ts';

describe('npm test arguments', () => {
  it('takes our flags in both spellings and passes every other argument through, in order', () => {
    const { ours, rest } = splitArgs([
      '--base-url',
      'https://forge.invalid',
      '--grep',
      'widget_jammed',
      '-gx',
      '--client-id=app-1',
      '--project=fr-FR',
      '--shard=1/3',
      '--reporter=junit',
      '--workers',
      '2',
      'tests/contract/error-responses.spec.ts',
    ]);
    assert.deepEqual(ours, { 'base-url': 'https://forge.invalid', 'client-id': 'app-1' });
    assert.deepEqual(rest, ['--grep', 'widget_jammed', '-gx', '--project=fr-FR', '--shard=1/3', '--reporter=junit', '--workers', '2', 'tests/contract/error-responses.spec.ts']);
  });

  it('leaves everything after `--` to Playwright, even our flag names', () => {
    assert.deepEqual(splitArgs(['--docs-origin=https://docs.example.invalid', '--', '--base-url=x']), {
      ours: { 'docs-origin': 'https://docs.example.invalid' },
      rest: ['--', '--base-url=x'],
    });
  });

  it('rejects our flag without a value, naming it', () => {
    assert.throws(() => splitArgs(['--base-url']), { message: '--base-url needs a value, e.g. `--base-url=…`' });
    assert.throws(() => splitArgs(['--callback-url', '--grep', 'x']), { message: '--callback-url needs a value, e.g. `--callback-url=…`' });
    assert.throws(() => splitArgs(['--request-timeout=']), { message: '--request-timeout needs a value, e.g. `--request-timeout=…`' });
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
    assert.throws(() => settingsOf({ 'request-timeout': '1.5' }, {}), { message: '--request-timeout must be a positive whole number of milliseconds, not `1.5`' });
    assert.throws(() => settingsOf({ 'request-timeout': '0' }, {}), { message: '--request-timeout must be a positive whole number of milliseconds, not `0`' });
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
      'needs the client id (pass `--client-id=ID` to `npm test`) and the client secret (set `OAUTH_CLIENT_SECRET` or pass `--client-secret` to `npm test`)',
    );
    assert.deepEqual(missingSettings(['clientId'], { ...settings, clientId: 'app' }), []);
  });
});
