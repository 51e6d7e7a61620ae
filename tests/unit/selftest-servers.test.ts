import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Case } from '../../scripts/lib/build.ts';
import { HUGE_BODY_BYTES, hugeBody, redirectTo, startElsewhere } from '../../scripts/selftest/bad-servers.ts';
import { runSuite } from '../../scripts/selftest/child.ts';
import { startReference } from '../../scripts/selftest/reference-server.ts';
import { judge, problemLines, RUN_LIMIT_MS, type Outcome, type Scenario } from '../../scripts/selftest/run.ts';
import { exchange } from '../../scripts/suite/http.ts';
import { FAULT_SPECS } from './mock-support.ts';

const CASE: Case = {
  id: 'widgets/frobnicate-errors#widget_missing',
  page: 'widgets/frobnicate-errors',
  error: 'widget_missing',
  heading: 'widget_missing',
  locales: ['xx-XX'],
  sources: [],
  schema: { $id: 'https://docs-contract.invalid/widget_missing', file: 'schemas/widget_missing.schema.json' },
  expected: { error: 'widget_missing', error_description: 'The widget is missing.', error_uri: '/widgets/frobnicate-errors#widget-missing' },
  errorUri: { path: '/widgets/frobnicate-errors', fragment: 'widget-missing', targetPage: 'widgets/frobnicate-errors', permalinks: ['/widgets/frobnicate-errors'] },
  anchors: {},
  documented: { form: 'json', echoes: [] },
  request: { endpoint: 'widgets', method: 'POST', path: '/widgets/token', accept: 'application/json', form: [], answer: 'body', status: 200, fault: FAULT_SPECS.code, rank: 0, why: '', github: null, expectErrorUri: 'documented', selectedBy: null, issue: null, prepare: [], succeedsAfter: [], members: {} },
  needs: [],
  uses: [],
};
const APP = { clientId: 'app', clientSecret: 'synthetic-secret-0001', callbackUrl: 'http://127.0.0.1:9/cb' };
const FORM = `client_id=app&client_secret=${APP.clientSecret}&code=x`;

describe('bad servers', () => {
  it('a 50 MB body: a client reading it all takes all of it; the suite, reading at most 1 MiB, does not', async () => {
    const greedy = hugeBody();
    let server = await startReference({ cases: [CASE], ...APP, behaviour: greedy.behaviour });
    const res = await fetch(`${server.url}/widgets/token`, { method: 'POST', body: FORM, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal((await res.arrayBuffer()).byteLength, HUGE_BODY_BYTES);
    await server.stop();
    assert.ok(greedy.written() >= HUGE_BODY_BYTES, `written ${greedy.written()}`);

    const bounded = hugeBody();
    server = await startReference({ cases: [CASE], ...APP, behaviour: bounded.behaviour });
    const outcome = await exchange({ method: 'POST', url: `${server.url}/widgets/token`, headers: { accept: 'application/json' }, body: FORM }, { timeoutMs: 30_000, maxBodyBytes: 1024 * 1024 });
    await server.stop();
    assert.deepEqual(outcome, { ok: false, problem: 'the body is over 1048576 bytes (no Content-Length), so it was not read further; expected a documented answer, which is far smaller' });
    assert.ok(bounded.written() > 1024 * 1024 && bounded.written() < HUGE_BODY_BYTES, `written ${bounded.written()}`);
  });

  it('a redirect to another host: a client that follows it hands that host the request; the suite never connects', async () => {
    const elsewhere = await startElsewhere();
    const server = await startReference({ cases: [CASE], ...APP, behaviour: redirectTo(elsewhere.url) });
    try {
      // Node's fetch follows a 307 with the same method and body: the client secret goes along.
      const followed = await fetch(`${server.url}/widgets/token`, { method: 'POST', body: FORM, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(followed.status, 404);
      assert.equal(elsewhere.connections(), 1);
      const outcome = await exchange({ method: 'POST', url: `${server.url}/widgets/token`, headers: { accept: 'application/json' }, body: FORM }, { timeoutMs: 5000, maxBodyBytes: 1024 });
      assert.ok(outcome.ok);
      assert.equal(outcome.status, 307);
      assert.equal(outcome.headers['location'], `${elsewhere.url}/widgets/token`);
      assert.equal(elsewhere.connections(), 1);
    } finally {
      await server.stop();
      await elsewhere.stop();
    }
  });
});

describe('self-test verdicts on the wire', () => {
  const scenario: Scenario = { name: 'x', behaviour: {}, absolute: false, args: [], caughtBy: /^POST \/token \(Accept: application\/json\): the server sent nothing$/, refused: false };
  const outcome = (o: Partial<Outcome>): Outcome => ({ exitCode: 1, passed: 0, failed: 1, skipped: 0, messages: [], skipReasons: [], leaked: false, ...o });
  const message = (...lines: string[]) => `Error: \`widget_missing\` as documented at docs/x.md:1 (xx-XX)\nrequest: POST …\n\n${lines.map((l) => `  - ${l}`).join('\n')}\n\n  40 | code`;

  it('reads the problem lines of a failure', () => {
    assert.deepEqual(problemLines(message('a', 'b')), ['a', 'b']);
  });

  it('requires exactly one problem line, matching whole', () => {
    const line = 'POST /token (Accept: application/json): the server sent nothing';
    assert.deepEqual(judge(scenario, outcome({ messages: [message(line)] })), { ok: true, detail: `1 failed: ${line}` });
    assert.deepEqual(judge(scenario, outcome({ messages: [message(line, 'status is 200')] })), { ok: false, detail: `expected exactly one problem line, got 2: ${line} | status is 200` });
    assert.equal(judge(scenario, outcome({ messages: [message(`${line}, then more`)] })).ok, false);
    assert.equal(judge(scenario, outcome({ exitCode: 0, messages: [message(line)] })).ok, false);
  });

  it('fails a run that hung, and one whose servers saw a guarantee broken', () => {
    assert.deepEqual(judge(scenario, outcome({ hung: true })), { ok: false, detail: `the run did not end within ${RUN_LIMIT_MS / 1000} s and was killed` });
    assert.deepEqual(judge(scenario, outcome({ broken: 'the other host got 1 connection(s)' })), { ok: false, detail: 'the other host got 1 connection(s)' });
  });

  it('kills a run past its limit and says it hung', async () => {
    const run = await runSuite(['--list'], process.env, 1);
    assert.equal(run.hung, true);
    assert.equal(run.exitCode, null);
  });
});
