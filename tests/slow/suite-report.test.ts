/**
 * The reports of a failing run point at the docs: the suite is run against a deliberately wrong
 * server (one answer changes a documented value, the others carry an undocumented member), with
 * the JSON, JUnit, HTML and GitHub reporters. Every failure's first line names the doc line and
 * the wrong value; its location and code frame are the doc's, never a spec file's; the JUnit
 * report files it as a `<failure>`; the GitHub annotation sits at the doc line; and each request
 * and answer is attached, masked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { loadCases } from '../../scripts/lib/cases.ts';
import { CASES_FILE, DOCS_DIR } from '../../scripts/lib/util.ts';
import { ROOT, runSuite, type SuiteRun } from '../../scripts/selftest/child.ts';
import { readZip, scan } from '../../scripts/selftest/leaks.ts';
import { startReference, type Reference } from '../../scripts/selftest/reference-server.ts';
import { SOURCE_ATTACHMENT } from '../../scripts/suite/github-reporter.ts';
import { MASK, SECRET_FIELDS } from '../../scripts/suite/mask.ts';

const APP = { clientId: 'report-client', clientSecret: 'report-secret-0123456789abcdef', callbackUrl: 'http://127.0.0.1:9/report-callback' };
/** A hang guard, not a measure: the run takes seconds. */
const LIMIT_MS = 120_000;
/** The error whose answers carry a wrong description; every other carries an undocumented member. */
const WRONG_VALUE = 'bad_verification_code';

/** What the JSON reporter writes of one result (the parts read here). */
interface JsonError {
  message?: string;
  stack?: string;
  snippet?: string;
  location?: { file: string; line: number };
}
interface JsonStep {
  title: string;
  error?: JsonError;
  steps?: JsonStep[];
}
interface JsonResult {
  status: string;
  errors: JsonError[];
  error?: JsonError;
  steps?: JsonStep[];
  attachments: Array<{ name: string; contentType: string; body?: string }>;
}
interface JsonSuite {
  specs?: Array<{ title: string; tests: Array<{ results: JsonResult[] }> }>;
  suites?: JsonSuite[];
}

/** Every failed result of the JSON report, with its test's title. */
function failedResults(report: { suites?: JsonSuite[] }): Array<{ title: string; result: JsonResult }> {
  const out: Array<{ title: string; result: JsonResult }> = [];
  const visit = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests) for (const result of t.results) if (result.status === 'failed') out.push({ title: spec.title, result });
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  return out;
}

/** Every step of a result, depth first. */
function allSteps(steps: readonly JsonStep[] = []): JsonStep[] {
  return steps.flatMap((s) => [s, ...allSteps(s.steps)]);
}

/** A text attachment's body (the JSON reporter writes bodies in base64). */
const bodyOf = (a: { body?: string }) => Buffer.from(a.body ?? '', 'base64').toString('utf8');

/** Whether a text mentions one of the suite's spec files. */
const SPEC_FILE = /tests[/\\]contract[/\\][\w-]+\.spec\.ts|[\w-]+\.spec\.ts:\d+/;

describe('the reports of a failing run point at the docs', { timeout: LIMIT_MS + 30_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-report-'));
  const docsDir = path.join(ROOT, DOCS_DIR);
  let server: Reference;
  let run: SuiteRun;
  let failed: Array<{ title: string; result: JsonResult }>;

  before(async () => {
    server = await startReference({
      cases: loadCases(path.join(ROOT, CASES_FILE)).cases,
      ...APP,
      docsOrigin: null,
      behaviour: { body: (b) => (b['error'] === WRONG_VALUE ? { ...b, error_description: 'something else' } : { ...b, error_hint: 'try again' }) },
    });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OAUTH_CLIENT_SECRET: APP.clientSecret,
      PLAYWRIGHT_HTML_OUTPUT_DIR: path.join(dir, 'html'),
      PLAYWRIGHT_JUNIT_OUTPUT_FILE: path.join(dir, 'junit.xml'),
      PLAYWRIGHT_JSON_OUTPUT_FILE: path.join(dir, 'report.json'),
    };
    const args = [`--base-url=${server.url}`, `--client-id=${APP.clientId}`, `--callback-url=${APP.callbackUrl}`, '--reporter=json,junit,html,github', '--workers=1', '--retries=0', `--output=${path.join(dir, 'results')}`, 'tests/contract/error-responses.spec.ts'];
    run = await runSuite(args, env, LIMIT_MS);
    failed = failedResults(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { suites?: JsonSuite[] });
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Where a failed result's response is documented, from its source attachment. */
  const sourceOf = (result: JsonResult) => JSON.parse(bodyOf(result.attachments.find((a) => a.name === SOURCE_ATTACHMENT) ?? assert.fail('no source attachment'))) as { file: string; line: number };

  it('fails every server test, each through one of the two matchers', () => {
    assert.equal(run.hung, false);
    assert.equal(run.exitCode, 1, run.stdout.slice(-2000));
    assert.ok(failed.length >= 6, `only ${failed.length} failed`);
    const kinds = new Set(failed.map(({ result }) => (/toMatchSchema/.test(result.errors[0]?.message ?? '') ? 'schema' : 'problems')));
    assert.deepEqual([...kinds].sort(), ['problems', 'schema']);
  });

  it('the first line of each failure names the doc line and the wrong value', () => {
    for (const { title, result } of failed) {
      const source = sourceOf(result);
      const error = title.replace(/^\[[^\]]+\] (\S+) .*$/, '$1');
      const locale = title.replace(/^\[([^\]]+)\].*$/, '$1');
      const first = (result.errors[0]?.message ?? '').split('\n')[0] ?? '';
      const value =
        error === WRONG_VALUE
          ? /`error_description` is "something else"; documented: ".+"$/
          : /the body does not match schemas\/\S+\.schema\.json: `error_hint` is not documented \(the schema allows no other members\)$/;
      const lead = `Error: ${DOCS_DIR}/${source.file}:${source.line}: \`${error}\` (${locale}): `;
      assert.ok(first.startsWith(lead), `${title}: ${first}`);
      assert.match(first.slice(lead.length), value, title);
    }
  });

  it('no error of a failure shows a spec file: its location, code frame and stack are the doc line', () => {
    for (const { title, result } of failed) {
      const source = sourceOf(result);
      const errors = [...result.errors, ...(result.error ? [result.error] : []), ...allSteps(result.steps).flatMap((s) => (s.error ? [s.error] : []))];
      assert.ok(errors.length >= 2, title);
      for (const e of errors) {
        assert.deepEqual(e.location && { file: e.location.file, line: e.location.line }, { file: path.join(docsDir, source.file), line: source.line }, title);
        for (const text of [e.snippet ?? '', e.stack ?? '', e.message ?? '']) assert.doesNotMatch(text, SPEC_FILE, title);
      }
      // The code frame (the JSON reporter gives it with the first error) is the doc's text at that line.
      const docLine = readFileSync(path.join(docsDir, source.file), 'utf8').split('\n')[source.line - 1] ?? '';
      const frame = stripVTControlCharacters(result.error?.snippet ?? '');
      assert.ok(frame.includes(`> ${source.line} | ${docLine}`.trimEnd()), `${title}: ${frame}`);
    }
  });

  it('the HTML report shows each failure with the doc as its code frame, never a spec file', () => {
    const html = readFileSync(path.join(dir, 'html', 'index.html'), 'latin1');
    const data = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(html)?.[1] ?? assert.fail('no report data in index.html');
    const entries = readZip(Buffer.from(data, 'base64')) ?? assert.fail('the report data is not a zip');
    let shown = 0;
    for (const entry of entries.filter((e) => e.name !== 'report.json')) {
      const file = JSON.parse(entry.data?.toString('utf8') ?? '{}') as { tests: Array<{ title: string; results: Array<{ status: string; errors: Array<{ message: string; codeframe?: string }> }> }> };
      for (const test of file.tests) {
        for (const result of test.results.filter((r) => r.status === 'failed')) {
          for (const e of result.errors) {
            shown++;
            assert.doesNotMatch(`${e.message}\n${e.codeframe ?? ''}`, SPEC_FILE, test.title);
            assert.match(e.codeframe ?? '', /^> +\d+ \| /m, `${test.title}: no code frame`);
          }
        }
      }
    }
    assert.equal(shown, failed.length);
  });

  it('JUnit files each failure as a <failure> of the matcher, its message the first line', () => {
    const xml = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    const failures = [...xml.matchAll(/<failure message="([^"]*)" type="([^"]*)">/g)];
    assert.equal(failures.length, failed.length);
    assert.doesNotMatch(xml, /<error /);
    for (const [, message = '', type = ''] of failures) {
      assert.match(message, new RegExp(`^${DOCS_DIR}/\\S+\\.md:\\d+: \``));
      assert.ok(['expect.toHaveNoProblems', 'expect.toMatchSchema'].includes(type), type);
    }
  });

  it('GitHub annotations sit at the doc line of each failure', () => {
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    assert.equal(annotations.length, failed.length);
    for (const { result } of failed) {
      const source = sourceOf(result);
      const at = `::error file=${DOCS_DIR}/${source.file},line=${source.line},`;
      assert.ok(annotations.some((a) => a.startsWith(at)), `no annotation at ${at}`);
    }
  });

  it('each request and its answer are attached, masked', () => {
    let masked = 0;
    for (const { title, result } of failed) {
      const requests = result.attachments.filter((a) => a.name.endsWith(': request'));
      const answers = result.attachments.filter((a) => a.name.endsWith(': answer'));
      assert.ok(requests.length >= 1 && requests.length === answers.length, title);
      for (const request of requests.map(bodyOf)) {
        assert.match(request, new RegExp(`^(GET|POST) ${server.url.replace(/[.]/g, '\\.')}/`), title);
        assert.match(request, /\nuser-agent: docs-contract \(contract suite\)\n/);
        // Every secret field sent (the client secret, a code, a device code) shows as the mask.
        const form = request.startsWith('POST') ? (request.split('\n\n')[1] ?? '') : (request.split('\n')[0]?.split('?')[1] ?? '');
        for (const [name, value] of new URLSearchParams(form)) if (SECRET_FIELDS.has(name)) assert.equal(value, MASK, `${title}: ${name}`);
        masked += /client_secret=\*\*\*/.test(request) ? 1 : 0;
      }
      for (const answer of answers.map(bodyOf)) assert.match(answer, /^\d{3}\n[a-z-]+: /, title);
    }
    assert.ok(masked > 0, 'no request sent the client secret');
    const found = scan([{ name: 'stdout', text: run.stdout }, { name: 'stderr', text: run.stderr }], [dir], [{ label: 'client secret', value: APP.clientSecret }]);
    assert.deepEqual(found.leaks, []);
  });
});
