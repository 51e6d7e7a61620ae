/**
 * A new endpoint and a new fault, documented in a synthetic docs tree and described in a
 * synthetic profiles file only, flow through generate, the embedded mock and the suite's
 * request and checks, with no code of their own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Case } from '../../scripts/lib/build.ts';
import { createMock } from '../../scripts/mock/server.ts';
import { checkErrorUri, checkStatus, checkValues, negotiationFor, parseBody, readRedirect } from '../../scripts/suite/check.ts';
import { send } from '../../scripts/suite/send.ts';
import { pipelineOf, widgetPage } from './helpers.ts';

const PROFILES = `faults:
  wrong-widget-key:
    kind: credential
    fields: {widget_id: client_id, widget_key: client_secret}
  grumpy-widget:
    kind: user-action
    field: mood
    value: grumpy
endpoints:
  frobnicate:
    method: POST
    path: /widgets/frobnicate
    pages: [widgets/frobnicate-errors]
    status: 418
    accept: application/json
    errors:
      widget_jammed:
        why: the widget key is wrong
        fault: wrong-widget-key
        form: {widget_id: "{{client_id}}", widget_key: "wrong-{{random}}"}
      widget_missing:
        why: the widget is in a mood
        fault: grumpy-widget
        form: {widget_id: "{{client_id}}", widget_key: "{{client_secret}}", mood: grumpy}
`;

const APP = { clientId: 'widget-app', clientSecret: 'widget-secret-0001', callbackUrl: 'http://127.0.0.1:9/widgets/cb' };
const TARGET = { ...APP, suspendedClientId: null, deviceFlowDisabledClientId: null, docsOrigin: 'https://docs.example.invalid', requestTimeout: 5000 };

/** What the suite finds wrong with the answer to a case's request (empty: it passes). */
async function suiteProblems(baseUrl: string, kase: Case): Promise<string[]> {
  const negotiation = negotiationFor(kase.request.accept);
  const sent = await send(baseUrl, { ...TARGET, baseUrl }, kase, negotiation);
  if (!sent.ok) return [sent.problem];
  const status = checkStatus(kase.request.status, sent.answer.status, sent.answer.headers['location'], sent.url);
  const parsed = parseBody(negotiation.format, Buffer.from(sent.answer.body).toString('utf8'));
  if (!parsed.ok) return [parsed.problem];
  return [...(status ? [status] : []), ...checkValues(kase.expected, parsed.body), ...checkErrorUri(parsed.body['error_uri'], kase.errorUri, TARGET.docsOrigin)];
}

describe('endpoint profiles: a new endpoint with a new fault, as data only', () => {
  const result = pipelineOf({ 'en/widgets/frobnicate-errors.md': widgetPage({}) }, PROFILES);

  it('generates a case per documented error, for the profiled endpoint', () => {
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(
      result.build.cases.map((c) => [c.error, `${c.request.method} ${c.request.path}`, c.request.status, c.request.fault.kind]),
      [
        ['widget_jammed', 'POST /widgets/frobnicate', 418, 'credential'],
        ['widget_missing', 'POST /widgets/frobnicate', 418, 'user-action'],
      ],
    );
  });

  it('the mock serves the endpoint and answers each fault as documented; the suite passes it', async () => {
    const mock = await createMock({ cases: result.build.cases, ...APP });
    try {
      for (const kase of result.build.cases) assert.deepEqual(await suiteProblems(mock.url, kase), [], kase.id);
      // A request with no fault is answered with no documented error: the mock invents no success.
      const clean = await fetch(`${mock.url}/widgets/frobnicate`, { method: 'POST', body: new URLSearchParams({ widget_id: APP.clientId, widget_key: APP.clientSecret }) });
      assert.equal(clean.status, 400);
    } finally {
      await mock.stop();
    }
  });

  it('the suite fails a mock whose profile swaps the two faults', async () => {
    const [jammed, missing] = result.build.cases as [Case, Case];
    // The mock answers each fault with the other's body: the checks must see it.
    const swapped = [
      { ...jammed, request: { ...jammed.request, fault: missing.request.fault } },
      { ...missing, request: { ...missing.request, fault: jammed.request.fault } },
    ];
    const mock = await createMock({ cases: swapped, ...APP });
    try {
      assert.match((await suiteProblems(mock.url, jammed)).join('\n'), /`error` is "widget_missing"; documented: "widget_jammed"/);
    } finally {
      await mock.stop();
    }
  });
});

/** A synthetic page documenting its errors as redirect URLs: indented, split over lines, `+` and `%23` encoded. */
const REDIRECT_PAGE = `---
title: Widget authorization errors
versions:
  fpt: '*'
---
## Widget refused

The widget refused, so the server redirects back:

    http://widgets.invalid/callback?error=widget_refused
      &error_description=The+widget+said+no.
      &error_uri=/widgets/authorize-errors/%23widget-refused
      &state=xyz

## Widget asleep

\`\`\`
http://widgets.invalid/callback?error=widget_asleep&error_description=Wake+it+up.&error_uri=/widgets/authorize-errors%23widget-asleep
\`\`\`
`;

const REDIRECT_PROFILES = `faults:
  refusing-widget: {kind: user-action, field: mood, value: no}
  sleeping-widget: {kind: app-state, state: asleep}
endpoints:
  authorize:
    method: GET
    path: /widgets/authorize
    pages: [widgets/authorize-errors]
    answer: redirect
    errors:
      widget_refused:
        fault: refusing-widget
        form: {client_id: "{{client_id}}", mood: "no", state: "{{random}}"}
      widget_asleep:
        fault: sleeping-widget
        form: {client_id: "sleepy-widget-app"}
`;

describe('endpoint profiles: errors documented as redirect URLs', () => {
  const result = pipelineOf({ 'en/widgets/authorize-errors.md': REDIRECT_PAGE }, REDIRECT_PROFILES);

  it('reads each redirect URL example as a documented response, decoded, with `state` as echoed', () => {
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(
      result.build.cases.map((c) => [c.error, c.expected, c.documented, c.sources.map((s) => s.line), Object.values(c.anchors).map((a) => a.status)]),
      [
        ['widget_asleep', { error: 'widget_asleep', error_description: 'Wake it up.', error_uri: '/widgets/authorize-errors#widget-asleep' }, { form: 'redirect', echoes: [] }, [17], ['confirmed']],
        [
          'widget_refused',
          { error: 'widget_refused', error_description: 'The widget said no.', error_uri: '/widgets/authorize-errors/#widget-refused' },
          { form: 'redirect', echoes: ['state'] },
          [10],
          ['confirmed'],
        ],
      ],
    );
  });

  it('the mock redirects each to the registered callback with the documented query and the state; the suite passes it', async () => {
    const mock = await createMock({ cases: result.build.cases, ...APP, appStates: { 'sleepy-widget-app': ['asleep'] } });
    try {
      for (const kase of result.build.cases) {
        const sent = await send(mock.url, { ...TARGET, baseUrl: mock.url }, kase, negotiationFor(''));
        assert.ok(sent.ok, kase.id);
        assert.equal(checkStatus(302, sent.answer.status, sent.answer.headers['location'], sent.url), null, kase.id);
        const state = sent.form.find(([name]) => name === 'state')?.[1] ?? null;
        const read = readRedirect(sent.answer.headers['location'], APP.callbackUrl, state);
        assert.deepEqual(read.problems, [], kase.id);
        assert.deepEqual([...checkValues(kase.expected, read.body ?? {}), ...checkErrorUri(read.body?.['error_uri'], kase.errorUri, TARGET.docsOrigin)], [], kase.id);
      }
    } finally {
      await mock.stop();
    }
  });
});

describe('readRedirect: what a redirect answer of an error must be', () => {
  const CALLBACK = 'http://127.0.0.1:9/widgets/cb';
  const query = 'error=widget_refused&error_description=The+widget+said+no.&error_uri=%2Fwidgets%2Fauthorize-errors%2F%23widget-refused';

  it('reads the members of a redirect to the callback that carries the state back', () => {
    assert.deepEqual(readRedirect(`${CALLBACK}?${query}&state=s-1`, CALLBACK, 's-1'), {
      problems: [],
      body: { error: 'widget_refused', error_description: 'The widget said no.', error_uri: '/widgets/authorize-errors/#widget-refused' },
    });
  });

  it('names a dropped or changed state, another target than the callback, and a missing Location', () => {
    assert.deepEqual(readRedirect(`${CALLBACK}?${query}`, CALLBACK, 's-1').problems, ["`state` is missing from the redirect; the request's `state` must come back as sent"]);
    assert.deepEqual(readRedirect(`${CALLBACK}?${query}&state=s-2`, CALLBACK, 's-1').problems, ['`state` is "s-2" in the redirect; the request sent "s-1"']);
    assert.deepEqual(readRedirect(`https://widgets.invalid/elsewhere?${query}&state=s-1`, CALLBACK, 's-1').problems, [
      'the redirect goes to `https://widgets.invalid/elsewhere`, not to the registered callback URL `http://127.0.0.1:9/widgets/cb` (--callback-url)',
    ]);
    assert.deepEqual(readRedirect(undefined, CALLBACK, 's-1').problems, ['the redirect has no `Location`; it must go to the registered callback URL with the error in its query']);
  });

  it('a 200 instead of the redirect is a status problem naming both', () => {
    assert.equal(checkStatus(302, 200, undefined), 'status is 200; this documented error is answered with 302 (status in tests/profiles.yaml)');
  });
});
