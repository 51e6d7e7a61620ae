/**
 * A real client on the mock: `@octokit/oauth-methods` with `@octokit/request` pointed at the
 * mock as a GitHub Enterprise Server base URL (`<mock>/api/v3`; the library strips `/api/v3`
 * to find the OAuth endpoints), through authorize → code → token and the documented errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from '@octokit/oauth-methods';
import { request as octokitRequest } from '@octokit/request';
import type { Case } from '../../scripts/lib/build.ts';
import type { Mock } from '../../scripts/mock/server.ts';
import { APP, caseOf, COMMITTED, withMock } from './mock-support.ts';

const codeCase = caseOf(COMMITTED, 'code');
const credentialsCase = caseOf(COMMITTED, 'client-credentials');

/** The request function a GitHub Enterprise Server client would use for this mock. */
function enterpriseRequest(mock: Mock) {
  return octokitRequest.defaults({ baseUrl: `${mock.url}/api/v3` });
}

/** Follows the authorization URL the library built, as a browser would, and returns the code. */
async function authorizeAs(mock: Mock, options: { redirectUrl?: string; state: string; scopes: string[] }): Promise<string> {
  const { url } = getWebFlowAuthorizationUrl({ clientType: 'oauth-app', clientId: APP.clientId, request: enterpriseRequest(mock), ...options });
  assert.ok(url.startsWith(`${mock.url}/login/oauth/authorize?`), url);
  const response = await fetch(url, { redirect: 'manual' });
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location') ?? '');
  assert.equal(location.searchParams.get('state'), options.state);
  return location.searchParams.get('code') ?? '';
}

/** Asserts that a call fails the way the library reports a documented OAuth error. */
async function rejectsWith(call: Promise<unknown>, documented: Case): Promise<void> {
  const { error, error_description, error_uri } = documented.expected as Record<string, string>;
  await assert.rejects(call, (thrown: unknown) => {
    const e = thrown as { name?: unknown; status?: unknown; message?: unknown; response?: { data?: Record<string, unknown> } };
    assert.equal(e.name, 'HttpError');
    assert.equal(e.response?.data?.['error'], error);
    assert.equal(e.message, `${error_description} (${error}, ${error_uri})`);
    return true;
  });
}

describe('@octokit/oauth-methods on the mock', () => {
  test('authorize → code → token, then the same code again gets the documented `code`-fault error', async () => {
    await withMock({}, async (mock) => {
      const code = await authorizeAs(mock, { state: 'widget-state', scopes: ['repo'] });
      const exchange = () => exchangeWebFlowCode({ clientType: 'oauth-app', clientId: APP.clientId, clientSecret: APP.clientSecret, code, request: enterpriseRequest(mock) });
      const { authentication } = await exchange();
      assert.match(authentication.token, /^gho_[A-Za-z0-9]{36}$/);
      assert.deepEqual(authentication.scopes, ['repo']);
      assert.equal(authentication.clientId, APP.clientId);
      await rejectsWith(exchange(), codeCase);
    });
  });

  test('a wrong secret gets the documented client-credentials error, and the code survives it', async () => {
    await withMock({}, async (mock) => {
      const code = await authorizeAs(mock, { state: 'widget-state', scopes: [] });
      const request = enterpriseRequest(mock);
      await rejectsWith(exchangeWebFlowCode({ clientType: 'oauth-app', clientId: APP.clientId, clientSecret: `${APP.clientSecret}-wrong`, code, request }), credentialsCase);
      const { authentication } = await exchangeWebFlowCode({ clientType: 'oauth-app', clientId: APP.clientId, clientSecret: APP.clientSecret, code, request });
      assert.deepEqual(authentication.scopes, []);
    });
  });

  test('a redirect URL below the callback, given at both steps, works', async () => {
    await withMock({}, async (mock) => {
      const redirectUrl = `${APP.callbackUrl}/widgets`;
      const code = await authorizeAs(mock, { redirectUrl, state: 'widget-state', scopes: ['user'] });
      const { authentication } = await exchangeWebFlowCode({ clientType: 'oauth-app', clientId: APP.clientId, clientSecret: APP.clientSecret, code, redirectUrl, request: enterpriseRequest(mock) });
      assert.deepEqual(authentication.scopes, ['user']);
    });
  });

  test('with absolute error_uri, the error the library reports carries it', async () => {
    await withMock({ docsOrigin: 'https://docs.github.com' }, async (mock) => {
      const absolute = { ...codeCase, expected: { ...codeCase.expected, error_uri: `https://docs.github.com${String(codeCase.expected['error_uri'])}` } };
      await rejectsWith(exchangeWebFlowCode({ clientType: 'oauth-app', clientId: APP.clientId, clientSecret: APP.clientSecret, code: 'never-issued', request: enterpriseRequest(mock) }), absolute);
    });
  });
});
