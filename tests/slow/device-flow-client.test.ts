/**
 * A real client completes the device flow against the embedded mock, built from the committed
 * cases: `@octokit/oauth-methods` asks for a device code, polls once (`authorization_pending`),
 * polls again at once (`slow_down`, with a larger `interval`), the user approves through the
 * mock's test-only hook, and the next poll, after the new interval on the mock's injected
 * clock, gets a token. No test waits out a real interval.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDeviceCode, exchangeDeviceCode } from '@octokit/oauth-methods';
import { request as octokitRequest } from '@octokit/request';
import { CASES_FILE } from '../../scripts/lib/util.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import { DEVICE_HOOKS } from '../../scripts/mock/answers.ts';
import { createMock } from '../../scripts/mock/server.ts';

const APP = { clientId: 'widget-device-client', clientSecret: 'widget-secret-0123456789', callbackUrl: 'http://127.0.0.1:9/widget-callback' };

/** The OAuth error a poll was answered with, as the library reports it. */
async function pollError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (thrown) {
    const data = (thrown as { response?: { data?: unknown } }).response?.data;
    assert.ok(data && typeof data === 'object', `the library threw without an answer: ${String(thrown)}`);
    return data as Record<string, unknown>;
  }
  assert.fail('the poll succeeded; expected a documented device-flow error');
}

describe('@octokit/oauth-methods, device flow, on the mock', () => {
  test('device code → authorization_pending → slow_down (larger interval) → approve → token, once', async () => {
    const { cases } = loadCases(CASES_FILE);
    let clock = Date.UTC(2026, 0, 1);
    const mock = await createMock({ cases, ...APP, now: () => clock });
    try {
      // As for GitHub Enterprise Server: the library finds the OAuth endpoints beside `/api/v3`.
      const request = octokitRequest.defaults({ baseUrl: `${mock.url}/api/v3` });
      const { data } = await createDeviceCode({ clientType: 'oauth-app', clientId: APP.clientId, scopes: ['repo'], request });
      assert.match(data.device_code, /^[0-9a-f]{40}$/);
      assert.match(data.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
      assert.equal(data.interval, 5);
      const poll = () => exchangeDeviceCode({ clientType: 'oauth-app', clientId: APP.clientId, code: data.device_code, request });

      assert.equal((await pollError(poll()))['error'], 'authorization_pending');
      const slowDown = await pollError(poll());
      assert.equal(slowDown['error'], 'slow_down');
      assert.equal(slowDown['interval'], 10, 'slow_down adds 5 seconds to the interval');

      const approve = await fetch(`${mock.url}${DEVICE_HOOKS.approve}`, { method: 'POST', body: new URLSearchParams({ user_code: data.user_code }) });
      assert.equal(approve.status, 200);
      clock += 10_000;
      const { authentication } = await poll();
      assert.match(authentication.token, /^gho_[A-Za-z0-9]{36}$/);
      assert.equal(authentication.clientId, APP.clientId);

      // Spent: the same code never gets a second token.
      clock += 10_000;
      assert.equal((await pollError(poll()))['error'], 'incorrect_device_code');
    } finally {
      await mock.stop();
    }
  });

  test('a code left past its lifetime is expired_token, and a denied one stays denied', async () => {
    const { cases } = loadCases(CASES_FILE);
    let clock = Date.UTC(2026, 0, 1);
    const mock = await createMock({ cases, ...APP, now: () => clock });
    try {
      const request = octokitRequest.defaults({ baseUrl: `${mock.url}/api/v3` });
      const expiring = (await createDeviceCode({ clientType: 'oauth-app', clientId: APP.clientId, scopes: [], request })).data;
      const denied = (await createDeviceCode({ clientType: 'oauth-app', clientId: APP.clientId, scopes: [], request })).data;
      const deny = await fetch(`${mock.url}${DEVICE_HOOKS.deny}`, { method: 'POST', body: new URLSearchParams({ user_code: denied.user_code }) });
      assert.equal(deny.status, 200);
      const poll = (code: string) => exchangeDeviceCode({ clientType: 'oauth-app', clientId: APP.clientId, code, request });
      assert.equal((await pollError(poll(denied.device_code)))['error'], 'access_denied');
      clock += 6_000;
      assert.equal((await pollError(poll(denied.device_code)))['error'], 'access_denied', 'a denied code stays denied');

      clock += expiring.expires_in * 1000;
      assert.equal((await pollError(poll(expiring.device_code)))['error'], 'expired_token');
    } finally {
      await mock.stop();
    }
  });
});
