/**
 * The mock holds: hostile field names, repeated and numerous fields, long URLs, a code
 * exchanged 500 times at once, and codes that expire by the injected clock (never by sleeping).
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { describe, test } from 'node:test';
import { CodeStore } from '../../scripts/mock/codes.ts';
import { APP, caseOf, COMMITTED, exchangeFields, issueCode, post, random, reply, SECRET, withMock } from './mock-support.ts';

const credentialsFault = JSON.stringify(caseOf(COMMITTED, 'client-credentials').expected);
const codeFault = JSON.stringify(caseOf(COMMITTED, 'code').expected);
const isToken = (text: string) => (JSON.parse(text) as Record<string, unknown>)['token_type'] === 'bearer';

describe('hostile field names', () => {
  for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']) {
    for (const encoding of ['form', 'json', 'query'] as const) {
      test(`a ${encoding} field named \`${name}\` is an ordinary field`, async () => {
        await withMock({}, async (mock) => {
          const got = await post(mock, [[name, 'x'], ...exchangeFields(await issueCode(mock)), [`${name}`, 'y']], { encoding });
          assert.ok(isToken(got.text), got.text);
          // The field is not the code: a request with only it gets the code fault.
          const alone = await post(mock, [['client_id', APP.clientId], ['client_secret', SECRET], [name, await issueCode(mock)]], { encoding });
          assert.equal(alone.text, codeFault);
        });
      });
    }
  }

  test('a JSON `__proto__` member does not lend its members to the request', async () => {
    await withMock({}, async (mock) => {
      const body = `{"__proto__": {"client_id": ${JSON.stringify(APP.clientId)}, "client_secret": ${JSON.stringify(SECRET)}}, "code": ${JSON.stringify(await issueCode(mock))}}`;
      const got = await reply(await fetch(`${mock.url}/login/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body }));
      assert.equal(got.text, credentialsFault);
    });
  });

  test('no request pollutes Object.prototype', async () => {
    await withMock({}, async (mock) => {
      await post(mock, [['__proto__[polluted]', 'yes'], ['constructor[prototype][polluted]', 'yes']]);
      await fetch(`${mock.url}/login/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}' });
      assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
      assert.ok(isToken((await post(mock, exchangeFields(await issueCode(mock)))).text));
    });
  });
});

describe('repeated and numerous fields', () => {
  test('a repeated field keeps its last value', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      const rightLast = await post(mock, [['client_secret', 'wrong'], ...exchangeFields(code)]);
      assert.ok(isToken(rightLast.text), rightLast.text);
      const wrongLast = await post(mock, [...exchangeFields(await issueCode(mock)), ['client_secret', 'wrong']]);
      assert.equal(wrongLast.text, credentialsFault);
    });
  });

  test('body fields win over query fields', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      const query = new URLSearchParams([['client_secret', 'wrong'], ['code', random()]]).toString();
      const got = await reply(await fetch(`${mock.url}/login/oauth/access_token?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(exchangeFields(code)).toString(),
      }));
      assert.ok(isToken(got.text), got.text);
    });
  });

  for (const encoding of ['form', 'json'] as const) {
    test(`10 000 fields in a ${encoding} body are read, the right ones found`, async () => {
      await withMock({}, async (mock) => {
        const junk = Array.from({ length: 10_000 }, (_, i): [string, string] => [`field_${i}`, `value-${i}`]);
        assert.ok(isToken((await post(mock, [...junk, ...exchangeFields(await issueCode(mock))], { encoding })).text));
        assert.equal((await post(mock, [...exchangeFields(random()), ...junk], { encoding })).text, codeFault);
      });
    });
  }

  test('10 000 repeats of `code`: only the last counts', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      const repeats = Array.from({ length: 10_000 }, (): [string, string] => ['code', random()]);
      assert.equal((await post(mock, [...exchangeFields(code), ...repeats])).text, codeFault);
      assert.ok(isToken((await post(mock, [...repeats, ...exchangeFields(code)])).text));
    });
  });
});

describe('long URLs', () => {
  test('a 16 KB URL carrying every field is answered', async () => {
    await withMock({}, async (mock) => {
      const fields: Array<[string, string]> = [...exchangeFields(await issueCode(mock)), ['padding', 'x'.repeat(16 * 1024)]];
      const got = await post(mock, fields, { encoding: 'query' });
      assert.ok(isToken(got.text), got.text);
    });
  });

  test('a 16 KB state comes back whole on the redirect', async () => {
    await withMock({}, async (mock) => {
      const state = 's'.repeat(16 * 1024);
      const query = new URLSearchParams({ client_id: APP.clientId, state }).toString();
      // fetch reads at most 16 KB of headers; node:http can be given more.
      const { status, location } = await new Promise<{ status: number | undefined; location: string | undefined }>((resolve, reject) => {
        get(`${mock.url}/login/oauth/authorize?${query}`, { maxHeaderSize: 64 * 1024 }, (res) => {
          res.resume();
          resolve({ status: res.statusCode, location: res.headers.location });
        }).on('error', reject);
      });
      assert.equal(status, 302);
      assert.equal(new URL(location ?? '').searchParams.get('state'), state);
    });
  });

  test('a 100 KB URL → 431, and the mock goes on serving', async () => {
    await withMock({}, async (mock) => {
      const got = await fetch(`${mock.url}/login/oauth/access_token?padding=${'x'.repeat(100 * 1024)}`, { method: 'POST' });
      assert.equal(got.status, 431);
      assert.ok(isToken((await post(mock, exchangeFields(await issueCode(mock)))).text));
    });
  });
});

describe('single use under concurrency', () => {
  test('500 concurrent exchanges of one code → exactly one token, 499 documented `code`-fault bodies', { timeout: 60_000 }, async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      const replies = await Promise.all(Array.from({ length: 500 }, () => post(mock, exchangeFields(code))));
      const tokens = replies.filter((r) => isToken(r.text));
      const faults = replies.filter((r) => r.text === codeFault);
      assert.equal(tokens.length, 1);
      assert.equal(faults.length, 499);
      assert.ok(faults.every((r) => r.status === caseOf(COMMITTED, 'code').request.status));
      assert.ok(isToken((await post(mock, exchangeFields(await issueCode(mock)))).text), 'a fresh code still works afterwards');
    });
  });
});

describe('expiry, by the injected clock', () => {
  test('a code works until its 10th minute and not from then on', async () => {
    let now = 1_000_000;
    await withMock({ now: () => now }, async (mock) => {
      const lastChance = await issueCode(mock);
      const expired = await issueCode(mock);
      now += 10 * 60 * 1000 - 1;
      assert.ok(isToken((await post(mock, exchangeFields(lastChance))).text));
      now += 1;
      assert.equal((await post(mock, exchangeFields(expired))).text, codeFault);
    });
  });

  test('codeTtlMs sets the lifetime', async () => {
    let now = 0;
    await withMock({ now: () => now, codeTtlMs: 5 }, async (mock) => {
      const code = await issueCode(mock);
      now = 5;
      assert.equal((await post(mock, exchangeFields(code))).text, codeFault);
    });
  });
});

describe('the code store', () => {
  test('drops expired codes, oldest first, as codes are issued and redeemed', () => {
    let now = 0;
    const store = new CodeStore(() => now, 100, 3);
    const grant = { clientId: 'widget-client', redirectUri: null, scope: '' };
    const old = store.issue(grant);
    now = 50;
    const a = store.issue(grant);
    now = 100;
    assert.equal(store.peek(old, 'widget-client'), undefined);
    const b = store.issue(grant);
    assert.equal(store.size, 2);
    assert.ok(store.peek(a, 'widget-client') && store.peek(b, 'widget-client'));
    now = 200;
    assert.equal(store.redeem(b, 'widget-client'), undefined);
    assert.equal(store.size, 0);
  });

  test('past its bound a client loses its own oldest code, never another client’s', () => {
    const store = new CodeStore(() => 0, 100, 2);
    const widget = [store.issue({ clientId: 'widget-client', redirectUri: null, scope: '' }), store.issue({ clientId: 'widget-client', redirectUri: null, scope: '' })];
    const sprocket = Array.from({ length: 5 }, () => store.issue({ clientId: 'sprocket-client', redirectUri: null, scope: '' }));
    assert.ok(widget.every((code) => store.peek(code, 'widget-client')));
    assert.deepEqual(
      sprocket.map((code) => store.peek(code, 'sprocket-client') !== undefined),
      [false, false, false, true, true],
    );
    assert.equal(store.size, 4);
  });

  test('issuing at the bound costs what issuing below it does', () => {
    // A store that looked at every code held on each issue past its bound took some 10 000 times longer there.
    const store = new CodeStore(() => 0, 100);
    const grant = { clientId: 'widget-client', redirectUri: null, scope: '' };
    const timed = (n: number) => {
      const start = performance.now();
      for (let i = 0; i < n; i++) store.issue(grant);
      return performance.now() - start;
    };
    const below = timed(10_000);
    const at = timed(10_000);
    assert.equal(store.size, 10_000);
    assert.ok(at < 10 * below + 100, `10 000 codes took ${at.toFixed(0)} ms at the bound, ${below.toFixed(0)} ms below it`);
  });

  test('a code is another client’s to redeem only', () => {
    const store = new CodeStore(() => 0, 100);
    const code = store.issue({ clientId: 'widget-client', redirectUri: null, scope: '' });
    assert.equal(store.redeem(code, 'sprocket-client'), undefined);
    assert.equal(store.redeem(code, 'widget-client')?.clientId, 'widget-client');
    assert.equal(store.redeem(code, 'widget-client'), undefined);
  });
});
