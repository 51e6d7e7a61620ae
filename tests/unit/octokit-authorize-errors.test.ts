/**
 * A real client's handling of the authorization endpoint's error redirects, on the mock:
 * `@octokit/oauth-app` builds the authorization URL, the mock answers as GitHub does (a 302 to the
 * registered callback with the error in the query), and the app's own callback handler takes
 * that query as it would GitHub's: the documented error for a user who denies access, a token
 * for one who does not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { handleRequest, OAuthApp } from '@octokit/oauth-app';
import { Octokit } from '@octokit/core';
import type { Mock } from '../../scripts/mock/server.ts';
import { APP, COMMITTED, withMock } from './mock-support.ts';

/** The documented `access_denied` of the authorization endpoint, from the committed cases. */
const denied = COMMITTED.find((c) => c.error === 'access_denied' && c.request.method === 'GET');

/** An OAuth app of `@octokit/oauth-app` whose GitHub is the mock (as a GitHub Enterprise Server). */
function appOn(mock: Mock): OAuthApp {
  return new OAuthApp({ clientType: 'oauth-app', clientId: APP.clientId, clientSecret: APP.clientSecret, Octokit: Octokit.defaults({ baseUrl: `${mock.url}/api/v3` }) });
}

/** Follows the app's authorization URL as a browser would, without following the redirect; returns where it leads. */
async function authorize(app: OAuthApp, mock: Mock, options: { state: string; login?: string }): Promise<URL> {
  const { url } = app.getWebFlowAuthorizationUrl(options);
  assert.ok(url.startsWith(`${mock.url}/login/oauth/authorize?`), url);
  const response = await fetch(url, { redirect: 'manual' });
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location') ?? '');
}

/** The app's own callback handler (`/api/github/oauth/callback`), given the query the redirect carried. */
async function callback(app: OAuthApp, location: URL) {
  const response = await handleRequest(app, {}, { method: 'GET', url: `/api/github/oauth/callback${location.search}`, headers: {}, text: async () => '' });
  assert.ok(response, 'the callback route is handled');
  return response;
}

describe('@octokit/oauth-app and the authorization endpoint\'s error redirects', () => {
  test('a user who denies access: the app\'s callback reports the documented error from the redirect', { skip: !denied && 'no documented access_denied of the authorization endpoint' }, async () => {
    const { error, error_description } = (denied?.expected ?? {}) as Record<string, string>;
    const login = denied?.request.form.find(([name]) => name === 'login')?.[1] ?? '';
    assert.ok(login, 'the profile names the test-only login hint');
    await withMock({}, async (mock) => {
      const app = appOn(mock);
      const location = await authorize(app, mock, { state: 'widget-state-1', login });
      assert.equal(`${location.origin}${location.pathname}`, APP.callbackUrl);
      assert.equal(location.searchParams.get('state'), 'widget-state-1');
      const response = await callback(app, location);
      assert.equal(response.status, 400);
      assert.deepEqual(JSON.parse(response.text ?? ''), { error: `[@octokit/oauth-app] ${error} ${error_description}` });
    });
  });

  test('a user who approves: the same handler exchanges the code for a token', async () => {
    await withMock({}, async (mock) => {
      const app = appOn(mock);
      const location = await authorize(app, mock, { state: 'widget-state-2' });
      assert.ok(location.searchParams.get('code'));
      const response = await callback(app, location);
      assert.equal(response.status, 200);
      assert.match(response.text ?? '', /Token created successfully/);
    });
  });
});
