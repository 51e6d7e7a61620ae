/**
 * The mock answers like the documented service: every committed case reproduced by its recipe
 * in JSON, XML and form; absolute error_uri on request; the success flow; answers built from
 * the cases (synthetic cases come back as given); and logs that never carry a secret.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillForm } from '../../scripts/lib/recipes.ts';
import { CONTENT_TYPES } from '../../scripts/mock/negotiate.ts';
import {
  APP,
  asText,
  authorize,
  caseOf,
  COMMITTED,
  exchangeFields,
  issueCode,
  parseForm,
  parseOAuthXml,
  post,
  random,
  SECRET,
  syntheticCase,
  withMock,
} from './mock-support.ts';

const FORMATS = [
  { name: 'json', accept: 'application/json', contentType: CONTENT_TYPES.json, parse: (t: string) => JSON.parse(t) as Record<string, unknown>, expect: (b: Record<string, unknown>) => b },
  { name: 'xml', accept: 'application/xml', contentType: CONTENT_TYPES.xml, parse: parseOAuthXml, expect: asText },
  { name: 'form', accept: null, contentType: CONTENT_TYPES.form, parse: parseForm, expect: asText },
] as const;

test('the committed cases file has cases to reproduce', () => {
  assert.ok(COMMITTED.length > 0);
});

describe('every committed case is reproduced by its recipe', () => {
  // The device flow's cases need a device code first and a user or time: its own tests (tests/slow/device-flow-client.test.ts, npm test) drive them.
  for (const c of COMMITTED.filter((k) => k.request.answer === 'body' && k.request.issue === null && k.documented.form !== 'table')) {
    for (const format of FORMATS) {
      test(`${c.error} in ${format.name}, with every setting`, async () => {
        await withMock({}, async (mock) => {
          const form = fillForm(c.request.form, { ...APP, random });
          const got = await post(mock, form, { accept: format.accept, path: c.request.path });
          assert.equal(got.status, c.request.status);
          assert.equal(got.contentType, format.contentType);
          assert.deepEqual(format.parse(got.text), format.expect(c.expected));
          if (format.name === 'json') assert.equal(got.text, JSON.stringify(c.expected));
        });
      });
    }
    test(`${c.error} without the optional settings (${c.uses.join(', ') || 'none'})`, async () => {
      await withMock({}, async (mock) => {
        const form = fillForm(c.request.form, { clientId: APP.clientId, clientSecret: APP.clientSecret, random });
        const got = await post(mock, form, { accept: c.request.accept });
        assert.equal(got.status, c.request.status);
        assert.deepEqual(JSON.parse(got.text), c.expected);
      });
    });
    test(`${c.error} with error_uri absolute on the docs origin`, async () => {
      await withMock({ docsOrigin: 'https://docs.github.com' }, async (mock) => {
        const form = fillForm(c.request.form, { ...APP, random });
        const json = JSON.parse((await post(mock, form)).text) as Record<string, unknown>;
        assert.deepEqual(json, { ...c.expected, error_uri: `https://docs.github.com${String(c.expected['error_uri'])}` });
        const xml = parseOAuthXml((await post(mock, form, { accept: 'application/xml' })).text);
        assert.equal(xml['error_uri'], `https://docs.github.com${String(c.expected['error_uri'])}`);
      });
    });
  }
});

describe('every committed case answered by a redirect is reproduced by its recipe', () => {
  const suspended = 'mock-test-suspended-app';
  for (const c of COMMITTED.filter((k) => k.request.answer === 'redirect')) {
    test(`${c.error}: a redirect to the callback with the documented members and the state`, async () => {
      await withMock({ appStates: { [suspended]: ['suspended'] } }, async (mock) => {
        const query = new URLSearchParams(fillForm(c.request.form, { ...APP, suspendedClientId: suspended, random }));
        const got = await fetch(`${mock.url}${c.request.path}?${query}`, { redirect: 'manual' });
        assert.equal(got.status, 302);
        const location = new URL(got.headers.get('location') ?? '');
        assert.equal(`${location.origin}${location.pathname}`, APP.callbackUrl);
        assert.deepEqual(Object.fromEntries(location.searchParams), { ...c.expected, state: query.get('state') });
      });
    });
  }
});

describe('the success flow', () => {
  test('authorize redirects to the callback with a code and the state; the code buys a bearer token', async () => {
    await withMock({}, async (mock) => {
      const { status, location } = await authorize(mock, { client_id: APP.clientId, state: 'state-1', scope: 'repo gist' });
      assert.equal(status, 302);
      assert.equal(`${location?.origin}${location?.pathname}`, APP.callbackUrl);
      assert.equal(location?.searchParams.get('state'), 'state-1');
      const code = location?.searchParams.get('code') ?? '';
      assert.match(code, /^[0-9a-f]{20}$/);
      const got = await post(mock, exchangeFields(code));
      assert.equal(got.status, 200);
      assert.equal(got.contentType, CONTENT_TYPES.json);
      const body = JSON.parse(got.text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['access_token', 'token_type', 'scope']);
      assert.match(String(body['access_token']), /^gho_[A-Za-z0-9]{36}$/);
      assert.equal(body['token_type'], 'bearer');
      assert.equal(body['scope'], 'repo,gist');
    });
  });

  for (const format of FORMATS) {
    test(`the token answer in ${format.name}`, async () => {
      await withMock({}, async (mock) => {
        const got = await post(mock, exchangeFields(await issueCode(mock, { scope: 'user' })), { accept: format.accept });
        assert.equal(got.contentType, format.contentType);
        const body = format.parse(got.text);
        assert.deepEqual({ ...body, access_token: '…' }, { access_token: '…', token_type: 'bearer', scope: 'user' });
      });
    });
  }

  for (const encoding of ['json', 'query'] as const) {
    test(`fields may come as a ${encoding === 'json' ? 'JSON body' : 'query string'}`, async () => {
      await withMock({}, async (mock) => {
        const got = await post(mock, exchangeFields(await issueCode(mock)), { encoding });
        assert.equal(JSON.parse(got.text).token_type, 'bearer');
      });
    });
  }

  test('a code is single use: the second exchange gets the `code` fault’s documented body', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      assert.equal(JSON.parse((await post(mock, exchangeFields(code))).text).token_type, 'bearer');
      const again = await post(mock, exchangeFields(code));
      assert.equal(again.text, JSON.stringify(caseOf(COMMITTED, 'code').expected));
    });
  });

  test('a right code with a wrong secret gets the client-credentials answer and stays usable', async () => {
    await withMock({}, async (mock) => {
      const code = await issueCode(mock);
      const wrong = await post(mock, [['client_id', APP.clientId], ['client_secret', `${SECRET}x`], ['code', code]]);
      assert.equal(wrong.text, JSON.stringify(caseOf(COMMITTED, 'client-credentials').expected));
      assert.equal(JSON.parse((await post(mock, exchangeFields(code))).text).token_type, 'bearer');
    });
  });

  test('another client id with the right secret gets the client-credentials answer', async () => {
    await withMock({}, async (mock) => {
      const got = await post(mock, [['client_id', 'widget-client'], ['client_secret', SECRET], ['code', await issueCode(mock)]]);
      assert.equal(got.text, JSON.stringify(caseOf(COMMITTED, 'client-credentials').expected));
    });
  });

  test('authorize for an unknown client or none answers 404 and issues nothing', async () => {
    await withMock({}, async (mock) => {
      const unknown = await authorize(mock, { client_id: 'widget-client', state: 's' });
      assert.deepEqual(unknown, {
        status: 404,
        location: null,
        text: 'no OAuth app with this `client_id` is registered on this mock; send the client id of the test app printed when the mock started\n',
      });
      const none = await authorize(mock, { state: 's' });
      assert.deepEqual(none, { status: 404, location: null, text: 'no `client_id` in the query; send the client id of the test app printed when the mock started\n' });
    });
  });
});

describe('answers come from the cases, not from the mock', () => {
  const synthetic = [
    syntheticCase('widget_jammed', 'client-credentials', { error: 'widget_jammed', error_description: 'The widget is jammed & <stuck>.', error_uri: '/widgets/frobnicate-errors#widget-jammed', retry_after: 30 }),
    syntheticCase('sprocket_slipped', 'redirect-uri', { error: 'sprocket_slipped', error_description: 'The sprocket slipped.', error_uri: '/widgets/frobnicate-errors#sprocket-slipped' }, { status: 418 }),
    syntheticCase('gear_stripped', 'code', { error: 'gear_stripped', error_description: 'The gear is stripped.', error_uri: '/widgets/frobnicate-errors#gear-stripped' }),
  ];

  test('synthetic cases come back with their own bodies and statuses, in every format', async () => {
    await withMock({ cases: synthetic }, async (mock) => {
      assert.deepEqual(mock.notes, []);
      const wrongSecret: Array<[string, string]> = [['client_id', APP.clientId], ['client_secret', 'nope'], ['code', random()]];
      const first = synthetic[0]!.expected;
      assert.equal((await post(mock, wrongSecret)).text, JSON.stringify(first));
      assert.equal((await post(mock, wrongSecret, { accept: 'application/xml' })).text, '<OAuth><error>widget_jammed</error><error_description>The widget is jammed &amp; &lt;stuck&gt;.</error_description><error_uri>/widgets/frobnicate-errors#widget-jammed</error_uri><retry_after>30</retry_after></OAuth>');
      assert.deepEqual(parseForm((await post(mock, wrongSecret, { accept: null })).text), asText(first));

      const badRedirect = await post(mock, exchangeFields(random(), [['redirect_uri', 'https://sprockets.invalid/cb']]));
      assert.equal(badRedirect.status, 418);
      assert.equal(badRedirect.text, JSON.stringify(synthetic[1]!.expected));
      assert.equal((await post(mock, exchangeFields(random()))).text, JSON.stringify(synthetic[2]!.expected));
    });
  });

  test('a code that cannot be redeemed, when no case documents that fault, gets HTTP 400 `undocumented_fault`', async () => {
    await withMock({ cases: synthetic.slice(0, 2) }, async (mock) => {
      assert.deepEqual(mock.notes, []);
      const got = await post(mock, exchangeFields(random()));
      assert.equal(got.status, 400);
      assert.deepEqual(JSON.parse(got.text), {
        error: 'undocumented_fault',
        error_description: 'The request does not redeem a live code, and no documented error says how to answer that; document the error and give it a fault in tests/profiles.yaml, then run `npm run generate`.',
      });
    });
  });

  test('two cases naming one fault: the first answers, and a note names both; another endpoint of the cases is served', async () => {
    const second = syntheticCase('gear_slipped', 'code', { error: 'gear_slipped', error_description: 'Slipped.', error_uri: '/widgets/frobnicate-errors#gear-slipped' });
    const elsewhere = syntheticCase('lever_bent', 'code', { error: 'lever_bent' }, { path: '/widgets/lever' });
    await withMock({ cases: [...synthetic, second, elsewhere] }, async (mock) => {
      assert.deepEqual(mock.notes, [
        'cases `widgets/frobnicate-errors#gear_stripped` and `widgets/frobnicate-errors#gear_slipped` both name the `unissued-widget-code` fault of `POST /login/oauth/access_token`; the mock answers with `widgets/frobnicate-errors#gear_stripped`, so the test of `widgets/frobnicate-errors#gear_slipped` fails against the mock. Give one of them another fault in tests/profiles.yaml.',
      ]);
      assert.equal((await post(mock, exchangeFields(random()))).text, JSON.stringify(synthetic[2]!.expected));
      const lever = await fetch(`${mock.url}/widgets/lever`, { method: 'POST', body: new URLSearchParams(exchangeFields(random())), headers: { accept: 'application/json' } });
      assert.equal(await lever.text(), JSON.stringify(elsewhere.expected));
    });
  });

  test('an absolute error_uri in a case is left as it is on the docs origin, and not sent at all on another', async () => {
    const absolute = syntheticCase('widget_jammed', 'client-credentials', { error: 'widget_jammed', error_uri: 'https://docs.github.com/errors#widget-jammed' });
    await withMock({ cases: [absolute], docsOrigin: 'https://docs.github.com' }, async (mock) => {
      const got = await post(mock, [['client_id', 'nobody']]);
      assert.equal(got.text, JSON.stringify(absolute.expected));
    });
    const elsewhere = syntheticCase('widget_jammed', 'client-credentials', { error: 'widget_jammed', error_uri: 'https://widgets.invalid/errors#widget-jammed' });
    await withMock({ cases: [elsewhere], docsOrigin: 'https://docs.github.com' }, async (mock) => {
      const got = await post(mock, [['client_id', 'nobody']]);
      assert.equal(got.text, JSON.stringify({ error: 'widget_jammed' }));
    });
  });
});

describe('logs', () => {
  test('one line per request, naming path, status and outcome, never a query, secret, code or token', async () => {
    const lines: string[] = [];
    await withMock({ log: (line) => lines.push(line) }, async (mock) => {
      const code = await issueCode(mock, { scope: 'repo' });
      const token = JSON.parse((await post(mock, exchangeFields(code))).text).access_token as string;
      await post(mock, exchangeFields(code), { accept: 'application/xml' });
      await post(mock, exchangeFields(code), { encoding: 'query', accept: null });
      await post(mock, [['client_id', APP.clientId], ['client_secret', `${SECRET}-wrong`]]);
      const codeCase = caseOf(COMMITTED, 'code');
      assert.deepEqual(lines, [
        'GET /login/oauth/authorize → 302 code issued',
        'POST /login/oauth/access_token → 200 json token issued',
        `POST /login/oauth/access_token → 200 xml ${codeCase.request.fault.name} fault → ${codeCase.error}`,
        `POST /login/oauth/access_token → 200 form ${codeCase.request.fault.name} fault → ${codeCase.error}`,
        `POST /login/oauth/access_token → 200 json ${caseOf(COMMITTED, 'client-credentials').request.fault.name} fault → ${caseOf(COMMITTED, 'client-credentials').error}`,
      ]);
      for (const secret of [SECRET, code, token]) assert.ok(!lines.join('\n').includes(secret), 'a secret, code or token is in the log');
    });
  });
});
