/**
 * `redirect_uri` rules as GitHub documents them ("Authorizing OAuth apps", "Redirect URLs"
 * and "Loopback redirect urls"), alone and through the authorize and token endpoints.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redirectUriAllowed } from '../../scripts/mock/redirect-uri.ts';
import { APP, authorize, caseOf, COMMITTED, exchangeFields, issueCode, post, random, syntheticCase, withMock } from './mock-support.ts';

const redirectFault = caseOf(COMMITTED, 'redirect-uri');

/** A synthetic error of the authorize endpoint, answered by a redirect to the callback. */
const authorizeFault = syntheticCase(
  'widget_misdirected',
  'redirect-uri',
  { error: 'widget_misdirected', error_description: 'The widget went elsewhere.', error_uri: '/widgets/frobnicate-errors#widget-misdirected' },
  { endpoint: 'authorize', method: 'GET', path: '/login/oauth/authorize', answer: 'redirect', status: 302, accept: '' },
);
const isToken = (text: string) => (JSON.parse(text) as Record<string, unknown>)['token_type'] === 'bearer';

describe('the rules', () => {
  // The examples of GitHub's docs, for the callback URL `http://example.com/path`.
  const documented: Array<[string, boolean]> = [
    ['http://example.com/path', true],
    ['http://example.com/path/subdir/other', true],
    ['http://oauth.example.com/path', true],
    ['http://oauth.example.com/path/subdir/other', true],
    ['http://example.com/bar', false],
    ['http://example.com/', false],
    ['http://example.com:8080/path', false],
    ['http://oauth.example.com:8080/path', false],
    ['http://example.org', false],
  ];
  for (const [uri, allowed] of documented) {
    test(`documented: ${uri} ${allowed ? 'is' : 'is not'} allowed for http://example.com/path`, () => {
      assert.equal(redirectUriAllowed(uri, 'http://example.com/path'), allowed);
    });
  }

  const more: Array<[string, string, boolean]> = [
    ['http://127.0.0.1:1234/path', 'http://127.0.0.1/path', true],
    ['http://localhost:1234/callback', 'http://localhost:8976/callback', true],
    ['http://[::1]:5555/cb', 'http://[::1]/cb', true],
    ['http://127.0.0.1:1234/other', 'http://127.0.0.1/path', false],
    ['http://localhost.widgets.invalid:8976/callback', 'http://localhost:8976/callback', false],
    ['https://example.com/path', 'http://example.com/path', false],
    ['ftp://example.com/path', 'http://example.com/path', false],
    ['http://example.com/pathology', 'http://example.com/path', false],
    ['http://example.com/path/../bar', 'http://example.com/path', false],
    ['http://example.com/path/%2e%2e/bar', 'http://example.com/path', false],
    ['http://evilexample.com/path', 'http://example.com/path', false],
    ['http://example.com.widgets.invalid/path', 'http://example.com/path', false],
    ['http://user@example.com/path', 'http://example.com/path', false],
    ['http://1.10.0.0.1/path', 'http://10.0.0.1/path', false],
    ['http://example.com/path?x=1', 'http://example.com/path', true],
    ['http://EXAMPLE.com/path', 'http://example.com/path', true],
    ['http://example.com/path', 'http://example.com/path/', true],
    ['http://example.com/anything', 'http://example.com/', true],
    ['not a url', 'http://example.com/path', false],
    ['/path', 'http://example.com/path', false],
  ];
  for (const [uri, callback, allowed] of more) {
    test(`${uri} ${allowed ? 'is' : 'is not'} allowed for ${callback}`, () => {
      assert.equal(redirectUriAllowed(uri, callback), allowed);
    });
  }
});

describe('at the authorize endpoint', () => {
  test('asGithub: the redirect carries GitHub\'s recorded error_uri where the profile has one', async () => {
    const recorded = { ...authorizeFault, request: { ...authorizeFault.request, github: { errorUri: 'https://docs.widgets.invalid/widgets/errors/#widget-misdirected', sources: ['https://widgets.invalid/issues/1'] } } };
    await withMock({ cases: [recorded], asGithub: true }, async (mock) => {
      const { location } = await authorize(mock, { client_id: APP.clientId, redirect_uri: 'https://redirect-uri-mismatch.invalid/callback' });
      assert.equal(location?.searchParams.get('error_uri'), 'https://docs.widgets.invalid/widgets/errors/#widget-misdirected');
    });
    await withMock({ cases: [recorded] }, async (mock) => {
      const { location } = await authorize(mock, { client_id: APP.clientId, redirect_uri: 'https://redirect-uri-mismatch.invalid/callback' });
      assert.equal(location?.searchParams.get('error_uri'), authorizeFault.expected['error_uri']);
    });
  });

  test('a redirect_uri that does not match goes back to the callback with the documented error and the state, and no code', async () => {
    await withMock({ cases: [...COMMITTED.filter((c) => c.request.answer === 'body'), authorizeFault] }, async (mock) => {
      const { status, location } = await authorize(mock, { client_id: APP.clientId, state: 'st-1', redirect_uri: 'https://redirect-uri-mismatch.invalid/callback' });
      assert.equal(status, 302);
      assert.equal(`${location?.origin}${location?.pathname}`, APP.callbackUrl);
      assert.deepEqual(Object.fromEntries(location?.searchParams ?? []), { ...authorizeFault.expected, state: 'st-1' });
    });
  });

  test('with a docs origin, the error_uri on the redirect is absolute', async () => {
    await withMock({ cases: [authorizeFault], docsOrigin: 'https://docs.github.com' }, async (mock) => {
      const { location } = await authorize(mock, { client_id: APP.clientId, redirect_uri: 'https://redirect-uri-mismatch.invalid/callback' });
      assert.equal(location?.searchParams.get('error_uri'), `https://docs.github.com${String(authorizeFault.expected['error_uri'])}`);
      assert.equal(location?.searchParams.has('state'), false);
    });
  });

  test('without a documented redirect-uri fault, a mismatch → 400 saying so', async () => {
    const onlyCode = [syntheticCase('gear_stripped', 'code', { error: 'gear_stripped' })];
    await withMock({ cases: onlyCode }, async (mock) => {
      const got = await authorize(mock, { client_id: APP.clientId, redirect_uri: 'https://sprockets.invalid/cb' });
      assert.deepEqual(got, { status: 400, location: null, text: 'the `redirect_uri` does not match the callback URL of the test app, and no documented error says how to answer that\n' });
    });
  });

  test('an allowed redirect_uri gets the code, its own query kept', async () => {
    await withMock({}, async (mock) => {
      const { status, location } = await authorize(mock, { client_id: APP.clientId, state: 'st-2', redirect_uri: `${APP.callbackUrl}/widgets?keep=1` });
      assert.equal(status, 302);
      assert.equal(`${location?.origin}${location?.pathname}`, `${APP.callbackUrl}/widgets`);
      assert.equal(location?.searchParams.get('keep'), '1');
      assert.equal(location?.searchParams.get('state'), 'st-2');
      assert.match(location?.searchParams.get('code') ?? '', /^[0-9a-f]{20}$/);
    });
  });
});

describe('at the token endpoint', () => {
  const expectedFault = JSON.stringify(redirectFault.expected);

  test('a code issued for a redirect_uri takes that one, or none, and no other', async () => {
    await withMock({}, async (mock) => {
      const issuedFor = `${APP.callbackUrl}/widgets`;
      const code = await issueCode(mock, { redirect_uri: issuedFor });
      assert.equal((await post(mock, exchangeFields(code, [['redirect_uri', APP.callbackUrl]]))).text, expectedFault);
      assert.equal((await post(mock, exchangeFields(code, [['redirect_uri', `${issuedFor}/deeper`]]))).text, expectedFault);
      assert.ok(isToken((await post(mock, exchangeFields(code, [['redirect_uri', issuedFor]]))).text));
      const other = await issueCode(mock, { redirect_uri: issuedFor });
      assert.ok(isToken((await post(mock, exchangeFields(other))).text));
    });
  });

  test('a code issued for the callback takes any redirect_uri the rules allow', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      assert.equal((await post(mock, exchangeFields(code, [['redirect_uri', 'http://localhost:8976/elsewhere']]))).text, expectedFault);
      assert.ok(isToken((await post(mock, exchangeFields(code, [['redirect_uri', 'http://localhost:1234/callback/sub']]))).text), 'the redirect-uri fault does not use the code up');
    });
  });

  test('an empty redirect_uri counts as not given', async () => {
    await withMock({}, async (mock) => {
      assert.ok(isToken((await post(mock, exchangeFields(await issueCode(mock), [['redirect_uri', '']]))).text));
    });
  });

  test('the redirect-uri check comes after credentials and before the code', async () => {
    await withMock({}, async (mock) => {
      const bad: [string, string] = ['redirect_uri', 'https://redirect-uri-mismatch.invalid/callback'];
      const wrongSecret = await post(mock, [['client_id', APP.clientId], ['client_secret', 'wrong'], ['code', random()], bad]);
      assert.equal(wrongSecret.text, JSON.stringify(caseOf(COMMITTED, 'client-credentials').expected));
      assert.equal((await post(mock, exchangeFields(random(), [bad]))).text, expectedFault);
    });
  });
});
