/**
 * A new endpoint and a new fault, documented in a synthetic docs tree and described in a
 * synthetic profiles file only, flow through generate, the embedded mock and the suite's
 * request and checks, with no code of their own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Case } from '../../scripts/lib/build.ts';
import { createMock } from '../../scripts/mock/server.ts';
import { checkErrorUri, checkStatus, checkValues, negotiationFor, parseBody } from '../../scripts/suite/check.ts';
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
const TARGET = { ...APP, docsOrigin: 'https://docs.example.invalid', requestTimeout: 5000 };

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
