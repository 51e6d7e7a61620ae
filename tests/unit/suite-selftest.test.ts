import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { connect } from 'node:net';
import { describe, it } from 'node:test';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import type { Case } from '../../scripts/lib/build.ts';
import { startReference, type Behaviour } from '../../scripts/selftest/reference-server.ts';
import { judge, outcomeOf, type Outcome, type Scenario } from '../../scripts/selftest/run.ts';
import { probe } from '../../scripts/suite/probe.ts';
import SummaryReporter, { NOTE, SERVER_SPEC } from '../../scripts/suite/summary-reporter.ts';
import { syntheticCase, type Fault } from './mock-support.ts';

/** Two synthetic cases of one synthetic page, answered at `/widgets/token`. */
const widgetCase = (error: string, fault: Fault): Case =>
  syntheticCase(error, fault, { error, error_description: `The ${error} happened.`, error_uri: `/widgets/frobnicate-errors#${error.replace(/_/g, '-')}` }, { path: '/widgets/token', form: [] });
const CASES = [widgetCase('widget_jammed', 'client-credentials'), widgetCase('widget_missing', 'code')];
const APP = { clientId: 'app', clientSecret: 'secret', callbackUrl: 'http://127.0.0.1:9/cb' };

async function ask(behaviour: Behaviour, form: Record<string, string>, accept: string, docsOrigin: string | null = null) {
  const server = await startReference({ cases: CASES, ...APP, docsOrigin, behaviour });
  try {
    const res = await fetch(`${server.url}/widgets/token`, { method: 'POST', body: new URLSearchParams(form), headers: { accept }, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  } finally {
    await server.stop();
  }
}

describe('reference server', () => {
  it('answers the case of the first failing check, in the format asked for', async () => {
    assert.deepEqual(await ask({}, { client_id: 'app', client_secret: 'wrong' }, 'application/json'), {
      status: 200,
      type: 'application/json; charset=utf-8',
      text: '{"error":"widget_jammed","error_description":"The widget_jammed happened.","error_uri":"/widgets/frobnicate-errors#widget-jammed"}',
    });
    const xml = await ask({}, { client_id: 'app', client_secret: 'secret', code: 'x' }, 'application/xml');
    assert.equal(xml.text, '<?xml version="1.0" encoding="UTF-8"?><OAuth><error>widget_missing</error><error_description>The widget_missing happened.</error_description><error_uri>/widgets/frobnicate-errors#widget-missing</error_uri></OAuth>');
    const form = await ask({}, { client_id: 'app', client_secret: 'secret' }, '*/*', 'https://docs.example.invalid');
    assert.equal(form.type, 'application/x-www-form-urlencoded; charset=utf-8');
    assert.equal(new URLSearchParams(form.text).get('error_uri'), 'https://docs.example.invalid/widgets/frobnicate-errors#widget-missing');
  });

  it('breaks in exactly the way a behaviour says', async () => {
    assert.match((await ask({ unchecked: ['client_secret'] }, { client_id: 'app', client_secret: 'wrong' }, 'application/json')).text, /"error":"widget_missing"/);
    assert.match((await ask({ unchecked: ['code'] }, { client_id: 'app', client_secret: 'secret' }, 'application/json')).text, /"access_token":"gho_/);
    assert.equal((await ask({ ignoreAccept: true }, {}, 'application/xml')).type, 'application/json; charset=utf-8');
    assert.equal((await ask({ status: 500 }, {}, 'application/json')).status, 500);
    const redirect = await ask({ redirectTo: 'https://elsewhere.invalid/' }, {}, 'application/json');
    assert.equal(redirect.status, 302);
  });

  it('answers 404 off the documented paths', async () => {
    const server = await startReference({ cases: CASES, ...APP });
    try {
      assert.equal((await fetch(`${server.url}/elsewhere`, { method: 'POST' })).status, 404);
    } finally {
      await server.stop();
    }
  });
});

describe('probe', () => {
  it('passes a listening server and names a refused one', async () => {
    const server = await startReference({ cases: CASES, ...APP });
    assert.equal(await probe(server.url, 2000), null);
    await server.stop();
    assert.equal(await probe(server.url, 2000), `cannot reach ${server.url}: connection refused; start the server or pass the right --base-url`);
  });

  it('gives up on a connection that is never accepted, within the timeout', async () => {
    const silent = new EventEmitter() as EventEmitter & { destroy(): void };
    silent.destroy = () => {};
    const open = (() => silent) as unknown as typeof connect;
    assert.equal(await probe('http://127.0.0.1:81', 20, open), 'cannot reach http://127.0.0.1:81: no connection within 20 ms (--request-timeout)');
  });
});

describe('self-test verdicts', () => {
  const scenario = (caughtBy: string | null, refused = false): Scenario => ({ name: 'x', behaviour: {}, absolute: false, args: [], caughtBy, refused });
  const outcome = (o: Partial<Outcome>): Outcome => ({ exitCode: 1, passed: 0, failed: 1, skipped: 0, messages: [], skipReasons: [], leaked: false, ...o });

  it('requires the correct server to pass every test, none skipped', () => {
    assert.deepEqual(judge(scenario(null), outcome({ exitCode: 0, passed: 6, failed: 0 })), { ok: true, detail: '6 passed' });
    assert.deepEqual(judge(scenario(null), outcome({ exitCode: 0, passed: 4, failed: 0, skipped: 2 })), { ok: false, detail: 'exit 0, 0 failed, 2 skipped: ' });
  });

  it('requires a faulty server to fail with the expected words', () => {
    const messages = ['Error: `widget_jammed` as documented at …\n\n  - `error` is "x"; documented: "widget_jammed"'];
    assert.deepEqual(judge(scenario('`error` is "'), outcome({ messages })), { ok: true, detail: '1 failed: `error` is "x"; documented: "widget_jammed"' });
    assert.deepEqual(judge(scenario('status is 500'), outcome({ messages })), { ok: false, detail: 'exit 1, 1 failed; expected a failure containing "status is 500"' });
  });

  it('requires every test skipped with the reason when the app is not given', () => {
    const skips: Scenario = { ...scenario(null), skipsWith: 'needs the client id' };
    const reasons = ['needs the client id (…)', 'needs the client id (…) and the client secret (…)'];
    assert.deepEqual(judge(skips, outcome({ exitCode: 0, failed: 0, skipped: 2, skipReasons: reasons })), { ok: true, detail: '2 skipped: needs the client id (…)' });
    assert.equal(judge(skips, outcome({ exitCode: 0, failed: 0, skipped: 2, skipReasons: reasons.slice(1) })).ok, false);
    assert.equal(judge(skips, outcome({ exitCode: 0, failed: 0, passed: 1, skipped: 2, skipReasons: reasons })).ok, false);
  });

  it('requires a refused connection to be said once, and the secret never to show', () => {
    assert.deepEqual(judge(scenario('refused', true), outcome({ failed: 0, messages: ['refused'] })), { ok: true, detail: 'no test ran: refused' });
    assert.deepEqual(judge(scenario('refused', true), outcome({ messages: ['refused', 'refused'] })), { ok: false, detail: 'exit 1, 1 failed; expected exactly one message, got 2' });
    assert.deepEqual(judge(scenario(null), outcome({ exitCode: 0, passed: 6, failed: 0, leaked: true })), { ok: false, detail: 'the client secret appears in the output, the report or the artifacts' });
  });

  it('reads the counts and every message from a Playwright JSON report', () => {
    const report = {
      stats: { expected: 2, unexpected: 1, flaky: 0, skipped: 3 },
      errors: [{ message: '\u001b[31mtop\u001b[39m' }],
      suites: [
        {
          suites: [
            {
              specs: [
                { tests: [{ status: 'unexpected', results: [{ errors: [{ message: 'inner' }] }] }] },
                { tests: [{ status: 'skipped', annotations: [{ type: 'skip', description: 'needs x' }], results: [] }] },
                { tests: [{ status: 'skipped', results: [{ annotations: [{ type: 'skip', description: 'needs y' }] }] }] },
              ],
            },
          ],
        },
      ],
    };
    assert.deepEqual(outcomeOf(1, report), { exitCode: 1, passed: 2, failed: 1, skipped: 3, messages: ['top', 'inner'], skipReasons: ['needs x', 'needs y'] });
  });
});

describe('summary reporter', () => {
  it('prints each skip reason once with its count, and each note once', () => {
    const written: string[] = [];
    const reporter = new SummaryReporter({ write: (text) => written.push(text) });
    const test = (id: string, reason: string) => ({ id, annotations: [{ type: 'skip', description: reason }] }) as unknown as TestCase;
    const result = (status: TestResult['status'], annotations: TestResult['annotations'] = []) => ({ status, annotations }) as unknown as TestResult;
    // Playwright may list a runtime skip on both the test and the result: it still counts once.
    reporter.onTestEnd(test('a', 'needs the client secret'), result('skipped', [{ type: 'skip', description: 'needs the client secret' }]));
    reporter.onTestEnd(test('b', 'needs the client secret'), result('skipped'));
    reporter.onTestEnd(test('c', 'unused'), result('passed', [{ type: NOTE, description: 'anchor not confirmed' }, { type: NOTE, description: 'anchor not confirmed' }]));
    reporter.onEnd();
    assert.equal(
      written.join(''),
      '\n  skipped 2 tests: needs the client secret\n  note: anchor not confirmed\n  no server response was tested: every server test was skipped (reasons above); pass --strict to fail such a run\n',
    );
  });

  /** A test of the server spec (`file`) or of another, ending with `status`. */
  const serverTest = (id: string, file = `/repo/tests/contract/${SERVER_SPEC}`) => ({ id, annotations: [{ type: 'skip', description: 'needs the client id' }], location: { file, line: 1, column: 1 } }) as unknown as TestCase;
  const ended = (status: TestResult['status']) => ({ status, annotations: [] }) as unknown as TestResult;

  it('ends a run that tested no server response with a line saying so, and fails it with --strict', async () => {
    for (const strict of [false, true]) {
      const written: string[] = [];
      const reporter = new SummaryReporter({ write: (text) => written.push(text), strict });
      reporter.onTestEnd(serverTest('a'), ended('skipped'));
      // A docs test that ran is no server response.
      reporter.onTestEnd(serverTest('b', '/repo/tests/contract/docs-health.spec.ts'), ended('passed'));
      const verdict = await reporter.onEnd({ status: 'passed' });
      const last = written.join('').trimEnd().split('\n').at(-1);
      assert.equal(last, `  no server response was tested: every server test was skipped (reasons above); ${strict ? 'the run fails (--strict)' : 'pass --strict to fail such a run'}`);
      assert.deepEqual(verdict, strict ? { status: 'failed' } : undefined);
    }
    const none = new SummaryReporter({ write: () => {}, strict: true });
    assert.deepEqual(await none.onEnd({ status: 'passed' }), { status: 'failed' });
  });

  it('says nothing of it when a server test ran, or the run was interrupted', async () => {
    const written: string[] = [];
    const reporter = new SummaryReporter({ write: (text) => written.push(text), strict: true });
    reporter.onTestEnd(serverTest('a'), ended('failed'));
    assert.equal(await reporter.onEnd({ status: 'failed' }), undefined);
    assert.equal(written.join(''), '');
    const interrupted = new SummaryReporter({ write: (text) => written.push(text), strict: true });
    assert.equal(await interrupted.onEnd({ status: 'interrupted' }), undefined);
    assert.equal(written.join(''), '');
  });
});
