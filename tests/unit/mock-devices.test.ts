/**
 * The mock's device codes: their shapes, the interval and lifetime on an injected clock, what
 * the user did, and the bounds on how many are kept; and the device endpoints' answers to
 * requests no documented error covers (an unknown client, an unknown user code at a hook).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEVICE_HOOKS } from '../../scripts/mock/answers.ts';
import { DeviceStore } from '../../scripts/mock/devices.ts';
import { withMock } from './mock-support.ts';

describe('DeviceStore', () => {
  test('issues a 40-hex-digit device code and a XXXX-XXXX user code, for one client only', () => {
    const store = new DeviceStore(() => 0);
    const grant = store.issue('widget-client');
    assert.match(grant.deviceCode, /^[0-9a-f]{40}$/);
    assert.match(grant.userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(store.peek(grant.deviceCode, 'widget-client'), grant);
    assert.equal(store.peek(grant.deviceCode, 'other-client'), undefined);
    assert.equal(store.byUserCode(grant.userCode.toLowerCase()), grant);
  });

  test('a poll within the interval is too fast; the lifetime ends on the clock or by expire()', () => {
    let now = 1_000_000;
    const store = new DeviceStore(() => now, 900, 5);
    const grant = store.issue('widget-client');
    assert.equal(store.tooFast(grant), false, 'the first poll is never too fast');
    store.polled(grant);
    now += 4_999;
    assert.equal(store.tooFast(grant), true);
    now += 1;
    assert.equal(store.tooFast(grant), false);
    assert.equal(store.expired(grant), false);
    now += 895_000;
    assert.equal(store.expired(grant), true);
    assert.equal(store.peek(grant.deviceCode, 'widget-client'), grant, 'an expired code is still known, to be answered as expired');
    assert.equal(store.byUserCode(grant.userCode), undefined, 'but a user can no longer enter it');
    const other = store.issue('widget-client');
    store.expire(other);
    assert.equal(store.expired(other), true);
  });

  test('exchanged codes are forgotten; codes expired a whole lifetime ago are swept; at most `max` are kept', () => {
    let now = 0;
    const store = new DeviceStore(() => now, 10, 5, 3);
    const first = store.issue('widget-client');
    store.exchange(first);
    assert.equal(store.peek(first.deviceCode, 'widget-client'), undefined);
    const old = store.issue('widget-client');
    now += 20_000;
    store.issue('widget-client');
    assert.equal(store.peek(old.deviceCode, 'widget-client'), undefined, 'swept two lifetimes after it was issued');
    for (let i = 0; i < 5; i++) store.issue('widget-client');
    assert.equal(store.size, 3);
  });
});

describe('device endpoints of the mock, outside the documented errors', () => {
  test('an unknown client_id asking for a device code gets 404, as on GitHub; a hook with an unknown user code gets 404', async () => {
    await withMock({}, async (mock) => {
      const unknown = await fetch(`${mock.url}/login/device/code`, { method: 'POST', body: new URLSearchParams({ client_id: 'nobody' }) });
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /no OAuth app with this `client_id` is registered on this mock/);
      const hook = await fetch(`${mock.url}${DEVICE_HOOKS.approve}`, { method: 'POST', body: new URLSearchParams({ user_code: 'ZZZZ-ZZZZ' }) });
      assert.equal(hook.status, 404);
      assert.match(await hook.text(), /no live `user_code` like this one/);
    });
  });
});
