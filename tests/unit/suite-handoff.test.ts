/**
 * What the suite computes once per run and hands to its workers: the docs report, the schemas
 * compiled into standalone code, and the checked cases; the pipe from `npm test` to global setup;
 * global setup itself. Each hand-off is shown to give exactly what computing it in the worker
 * gives, and a missing, damaged or failed one to be said plainly.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BASELINE_FILE } from '../../scripts/cli/validate.ts';
import { CASES_FILE } from '../../scripts/lib/build.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import { UsageError } from '../../scripts/lib/cli.ts';
import { CASES, CASES_ENV, casesLocales, handedOverCases } from '../../scripts/suite/cases-file.ts';
import { computeDocsCheck, describeError, DOCS_REPORT_ENV, docsCheckOf, readDocsCheck, writeDocsCheck, type DocsCheck } from '../../scripts/suite/docs-report.ts';
import { encodeHandOff, HANDOFF_ENV, parseHandOff, receiveHandOff, type HandOff } from '../../scripts/suite/handoff.ts';
import { SetupError, UnreachableError } from '../../scripts/suite/probe.ts';
import { compileSchemas, handedOverSchemas, lazySchemas, loadSchemas, SCHEMAS_ENV, schemasFromStandalone, type StandaloneSchemas } from '../../scripts/suite/schemas.ts';
import { setUp } from '../../scripts/suite/setup.ts';
import { ENV } from '../../scripts/suite/settings.ts';

const ROOT = path.resolve('.');
const SCHEMAS = path.join(ROOT, 'schemas');
const tmp = mkdtempSync(path.join(tmpdir(), 'suite-handoff-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A new file under the temp folder holding `text`; its path. */
const file = (text: string) => {
  const f = path.join(tmp, `file-${++n}`);
  writeFileSync(f, text);
  return f;
};

/** A copy of what the docs report and global setup read (docs/, the baseline, schemas/), changed by `change`. */
function copyRoot(change: (root: string) => void = () => {}): string {
  const root = path.join(tmp, `root-${++n}`);
  for (const rel of ['docs', BASELINE_FILE, 'schemas']) cpSync(path.join(ROOT, rel), path.join(root, rel), { recursive: true });
  change(root);
  return root;
}

/** The repository's docs check, computed once for these tests. */
const repoCheck = computeDocsCheck(ROOT);

describe('docs report: computed once, handed over whole', () => {
  it('is the report of `npm run validate`: docs/ split by the baseline, with the cross-locale rules and the baseline file', async () => {
    const check = await repoCheck;
    assert.ok(check.ok, JSON.stringify(check));
    assert.deepStrictEqual(check.report.locales, ['en', 'fr-FR', 'ru-RU']);
    assert.deepStrictEqual(check.report.fresh, [], '`npm run validate` passes on the shipped docs');
    assert.ok(check.report.accepted.length > 0, 'the shipped docs have accepted findings: the baseline was applied');
    assert.ok(check.crossLocaleRules.includes('json-disagrees') && check.crossLocaleRules.every((r, i, all) => i === 0 || (all[i - 1] ?? '') < r), 'the cross-locale rules, sorted');
    assert.equal(check.baselineFile, 'tests/docs-baseline.yaml');
  });

  it('reads back from its file exactly as computed (every finding, every baseline entry)', async () => {
    const check = await repoCheck;
    const f = path.join(tmp, 'report.json');
    writeDocsCheck(f, check);
    assert.deepStrictEqual(readDocsCheck(f), check);
    assert.ok(!existsSync(`${f}.partial`));
  });

  it('a missing file is no hand-off: the spec computes the report itself', async () => {
    assert.equal(readDocsCheck(path.join(tmp, 'nonesuch.json')), null);
    const computed = await repoCheck;
    assert.deepStrictEqual(await docsCheckOf({}, ROOT), computed);
    assert.deepStrictEqual(await docsCheckOf({ [DOCS_REPORT_ENV]: '' }, ROOT), computed);
    assert.deepStrictEqual(await docsCheckOf({ [DOCS_REPORT_ENV]: path.join(tmp, 'nonesuch.json') }, ROOT), computed);
  });

  it('a file that is there is what the spec reads (nothing is computed again)', async () => {
    const planted: DocsCheck = { ok: true, report: { locales: ['xx-XX'], fresh: [], accepted: [], stale: [] }, crossLocaleRules: [], baselineFile: 'b.yaml' };
    assert.deepStrictEqual(await docsCheckOf({ [DOCS_REPORT_ENV]: file(JSON.stringify(planted)) }, ROOT), planted);
    const failed: DocsCheck = { ok: false, problem: 'cannot validate docs/: it broke' };
    assert.deepStrictEqual(await docsCheckOf({ [DOCS_REPORT_ENV]: file(JSON.stringify(failed)) }, ROOT), failed);
  });

  it('a damaged file is a problem naming it, never a silent pass or a report computed again', async () => {
    const notJson = file('{"ok": tr');
    const check = await docsCheckOf({ [DOCS_REPORT_ENV]: notJson }, ROOT);
    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.problem, new RegExp(`^the docs report that global setup handed over \\(${notJson}\\) is not JSON \\(SyntaxError: .+\\); run the suite again$`));
    const notReport = file('{"ok": true, "report": {"locales": []}}');
    assert.deepStrictEqual(readDocsCheck(notReport), { ok: false, problem: `the docs report that global setup handed over (${notReport}) is not a docs report; run the suite again` });
    assert.deepStrictEqual(readDocsCheck(tmp), { ok: false, problem: `the docs report that global setup handed over (${tmp}) cannot be read: EISDIR` });
  });

  it('an error while computing it is the check\'s problem, in one line naming the cause', async () => {
    const badBaseline = copyRoot((root) => writeFileSync(path.join(root, BASELINE_FILE), 'docs: docs\naccepted: [\n'));
    const broken = await computeDocsCheck(badBaseline);
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.problem, /^cannot validate docs\/: tests\/docs-baseline\.yaml:\d+: .+; fix it, or rewrite the file with `npm run validate -- --update-baseline`\.$/);
    const noDocs = copyRoot((root) => rmSync(path.join(root, 'docs'), { recursive: true }));
    const missing = await computeDocsCheck(noDocs);
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.problem, /^cannot validate docs\/: docs folder `.+\/docs` does not exist; /);
    assert.ok(!(missing.ok ? '' : missing.problem).includes('\n    at '), 'no stack trace');
  });

  it('says an error in one line: a usage error by its message, another by its name and message', () => {
    assert.equal(describeError(new UsageError('fix this')), 'fix this');
    assert.equal(describeError(new TypeError('x is not a function')), 'TypeError: x is not a function');
    assert.equal(describeError('thrown text'), 'thrown text');
  });
});

/** Bodies of each kind the formatter words differently, for the shipped schemas. */
function bodies(): unknown[] {
  const good = { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.', error_uri: '/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code' };
  return [
    good,
    {},
    'text',
    null,
    [good],
    { ...good, error: ['bad_verification_code'] },
    { ...good, error_description: 'Other.', extra: 1 },
    { ...good, error_uri: 'not a uri \\ %%' },
    { ...good, error_uri: 'https://elsewhere.invalid/x#y' },
    { error: 1, error_description: null, error_uri: {} },
  ];
}

describe('schemas: compiled once, handed over as standalone code', () => {
  const compiled = compileSchemas(SCHEMAS);
  const handed = (standalone: StandaloneSchemas) => file(JSON.stringify(standalone));

  it('the standalone validators give exactly what the compiled ones give, for every schema and body', () => {
    const direct = loadSchemas(SCHEMAS);
    const standalone = schemasFromStandalone(JSON.parse(JSON.stringify(compiled)) as StandaloneSchemas);
    assert.deepEqual(standalone.ids, direct.ids);
    assert.equal(direct.ids.length, 3);
    let failing = 0;
    for (const id of direct.ids) {
      for (const body of bodies()) {
        const expected = direct.validate(id, body);
        if (expected.length > 0) failing++;
        assert.deepStrictEqual(standalone.validate(id, body), expected, `${id} on ${JSON.stringify(body)}`);
      }
    }
    assert.ok(failing > 20, 'the bodies fail the schemas in many ways');
    assert.throws(() => standalone.validate('https://docs-contract.invalid/none', {}), { message: `no schema with \`$id\` https://docs-contract.invalid/none under ${SCHEMAS}; run \`npm run generate\`` });
  });

  it('a worker uses the handed-over code when there is some for its folder, and compiles them itself otherwise', () => {
    // Code whose every validator fails with a marker: what validates is the hand-off's.
    const marker: StandaloneSchemas = {
      dir: SCHEMAS,
      ids: ['https://x.invalid/a'],
      code: 'exports.v0 = function v(){ v.errors = [{ keyword: "const", instancePath: "/marker", params: { allowedValue: "handed over" }, data: 1 }]; return false; };',
    };
    assert.deepEqual(lazySchemas(SCHEMAS, { [SCHEMAS_ENV]: handed(marker) }).validate('https://x.invalid/a', {}), ['`marker` is 1; must be "handed over"']);
    const own = lazySchemas(SCHEMAS, { [SCHEMAS_ENV]: handed({ ...marker, dir: path.join(tmp, 'elsewhere') }) });
    assert.deepEqual(own.ids, loadSchemas(SCHEMAS).ids);
    assert.deepEqual(lazySchemas(SCHEMAS, { [SCHEMAS_ENV]: path.join(tmp, 'nonesuch.json') }).ids, loadSchemas(SCHEMAS).ids);
    assert.deepEqual(lazySchemas(SCHEMAS, {}).ids, loadSchemas(SCHEMAS).ids);
  });

  it('a damaged hand-off is a usage error naming the file', () => {
    const notJson = file('{');
    assert.throws(() => handedOverSchemas(SCHEMAS, { [SCHEMAS_ENV]: notJson }), (e: Error) => e instanceof UsageError && e.message.startsWith(`the compiled schemas that global setup handed over (${notJson}) are not JSON (`));
    const notSchemas = file('{"dir": 1}');
    assert.throws(() => handedOverSchemas(SCHEMAS, { [SCHEMAS_ENV]: notSchemas }), { message: `the compiled schemas that global setup handed over (${notSchemas}) are not compiled schemas; run the suite again` });
    const noValidator = handed({ dir: SCHEMAS, ids: ['https://x.invalid/a'], code: 'exports.other = 1;' });
    assert.throws(() => handedOverSchemas(SCHEMAS, { [SCHEMAS_ENV]: noValidator }), {
      message: `the compiled schemas that global setup handed over (${noValidator}) cannot be used (the standalone code of ${SCHEMAS} defines no validator for https://x.invalid/a); run the suite again`,
    });
  });

  it('compiles lazily: a bad schema file is the usage error naming it, at the first validation and every one after', () => {
    const root = copyRoot((r) => writeFileSync(path.join(r, 'schemas', 'developers', 'broken.schema.json'), '{'));
    const schemas = lazySchemas(path.join(root, 'schemas'), {});
    for (let i = 0; i < 2; i++) assert.throws(() => schemas.validate('x', {}), (e: Error) => e instanceof UsageError && /broken\.schema\.json is not JSON \(.+\); run `npm run generate`$/.test(e.message));
  });
});

describe('cases: read light, handed over checked', () => {
  it('the configuration reads the locales without the cases module, and the cases module names a bad file', async () => {
    assert.equal(CASES, CASES_FILE);
    assert.deepEqual(await casesLocales(path.join(ROOT, CASES)), loadCases(path.join(ROOT, CASES)).locales);
    const notJson = file('{');
    await assert.rejects(casesLocales(notJson), { message: `cases file \`${notJson}\` is not valid JSON; it is generated, never edited: run \`npm run generate\` to build it from the docs` });
    const noLocales = file('{"cases": []}');
    await assert.rejects(casesLocales(noLocales), { message: `cases file \`${noLocales}\` is not a cases file: \`locales\` must be a list of strings; run \`npm run generate\` to build it from the docs` });
    assert.deepEqual(await casesLocales(file('{"locales": [], "cases": []}')), []);
  });

  it('handed over, the cases are read as checked; missing, they are not; damaged, a usage error names the file', () => {
    const cases = loadCases(path.join(ROOT, CASES));
    assert.deepStrictEqual(handedOverCases({ [CASES_ENV]: file(JSON.stringify(cases)) }), cases);
    assert.equal(handedOverCases({}), null);
    assert.equal(handedOverCases({ [CASES_ENV]: path.join(tmp, 'nonesuch.json') }), null);
    const notJson = file('[');
    assert.throws(() => handedOverCases({ [CASES_ENV]: notJson }), (e: Error) => e instanceof UsageError && e.message.startsWith(`the cases that global setup handed over (${notJson}) are not JSON (`));
    const notCases = file('{"locales": []}');
    assert.throws(() => handedOverCases({ [CASES_ENV]: notCases }), { message: `the cases that global setup handed over (${notCases}) are not a cases file; run the suite again` });
  });
});

/** A hand-off as `npm test` sends it for the repository, with changes. */
async function handOff(change: Partial<HandOff> = {}): Promise<HandOff> {
  return { baseUrl: null, cases: loadCases(path.join(ROOT, CASES)), schemas: { ok: true, standalone: compileSchemas(SCHEMAS) }, docs: await repoCheck, ...change };
}

/** The hand-off `text` on a file descriptor, as global setup receives it (its reader closes the descriptor). */
function onFd(text: string): { env: NodeJS.ProcessEnv } {
  const fd = openSync(file(text), 'r');
  return { env: { [HANDOFF_ENV]: String(fd) } };
}

describe('the pipe from npm test to global setup', () => {
  it('carries one JSON document, read to its end', async () => {
    const sent = await handOff({ baseUrl: 'http://127.0.0.1:9' });
    assert.deepStrictEqual(parseHandOff(encodeHandOff(sent)), sent);
    const { env } = onFd(encodeHandOff(sent));
    assert.deepStrictEqual(await receiveHandOff(env), sent);
    assert.equal(env[HANDOFF_ENV], undefined, 'the variable is removed, so no worker looks for it');
  });

  it('is none when not run by npm test', async () => {
    assert.equal(await receiveHandOff({}), null);
  });

  it('says so when npm test stopped before writing, or wrote something else', async () => {
    assert.equal(parseHandOff(''), 'npm test stopped before it handed over the mock, the cases, and the schemas and docs checks');
    assert.match(parseHandOff('{') as string, /^npm test's hand-off is not JSON \(SyntaxError: .+\)$/);
    assert.equal(parseHandOff('{"baseUrl": null}'), "npm test's hand-off is not one: it needs `baseUrl`, `cases`, `schemas` and `docs`");
    const { env } = onFd('');
    await assert.rejects(receiveHandOff(env), (e: Error) => e instanceof SetupError && e.message === 'npm test stopped before it handed over the mock, the cases, and the schemas and docs checks' && e.stack === `Error: ${e.message}`);
    await assert.rejects(receiveHandOff({ [HANDOFF_ENV]: 'x' }), { message: `${HANDOFF_ENV} must be a file descriptor, not \`x\`` });
  });
});

describe('global setup', () => {
  it('under npm test, hands the workers what npm test prepared, and its teardown removes it', async () => {
    const sent = await handOff({ baseUrl: null });
    const { env } = onFd(encodeHandOff(sent));
    const teardown = await setUp(env, path.join(tmp, 'no-such-root'));
    const files = [env[DOCS_REPORT_ENV], env[SCHEMAS_ENV], env[CASES_ENV]] as string[];
    assert.deepStrictEqual(readDocsCheck(files[0] ?? ''), sent.docs);
    assert.deepStrictEqual(JSON.parse(readFileSync(files[1] ?? '', 'utf8')), sent.schemas.ok ? sent.schemas.standalone : null);
    assert.deepStrictEqual(handedOverCases(env), sent.cases);
    assert.equal(path.dirname(files[0] ?? ''), path.dirname(files[2] ?? ''));
    teardown();
    for (const f of files) assert.ok(!existsSync(f), f);
    assert.ok(!existsSync(path.dirname(files[0] ?? '')));
  });

  it('names the embedded mock for the workers, and probes it', async () => {
    const { env } = onFd(encodeHandOff(await handOff({ baseUrl: 'http://127.0.0.1:1' })));
    await assert.rejects(setUp(env), (e: Error) => e instanceof UnreachableError && e.message === 'cannot reach http://127.0.0.1:1: connection refused; start the server or pass the right --base-url');
    assert.equal(env[ENV.baseUrl], 'http://127.0.0.1:1');
  });

  it('stops the run on a schema that does not compile, in one line naming it, without a stack', async () => {
    const { env } = onFd(encodeHandOff(await handOff({ schemas: { ok: false, problem: 'schemas/x.schema.json is not JSON (…); run `npm run generate`' } })));
    await assert.rejects(setUp(env), (e: Error) => e instanceof SetupError && e.stack === 'Error: schemas/x.schema.json is not JSON (…); run `npm run generate`');
    const root = copyRoot((r) => writeFileSync(path.join(r, 'schemas', 'developers', 'broken.schema.json'), '{"type": "object"}'));
    await assert.rejects(setUp({}, root), (e: Error) => e instanceof SetupError && /broken\.schema\.json has no `\$id`; run `npm run generate`$/.test(e.message));
  });

  it('without npm test, does the work itself: the same report and schemas; each process loads the cases', async () => {
    const env: NodeJS.ProcessEnv = {};
    const teardown = await setUp(env, ROOT);
    try {
      assert.deepStrictEqual(readDocsCheck(env[DOCS_REPORT_ENV] ?? ''), await repoCheck);
      assert.deepStrictEqual(JSON.parse(readFileSync(env[SCHEMAS_ENV] ?? '', 'utf8')), compileSchemas(SCHEMAS));
      assert.equal(env[CASES_ENV], '');
      assert.equal(handedOverCases(env), null);
    } finally {
      teardown();
    }
  });

  it('a docs report that cannot be computed is handed over as its problem, for the docs tests to fail with', async () => {
    const root = copyRoot((r) => writeFileSync(path.join(r, BASELINE_FILE), 'docs: docs\naccepted: [\n'));
    const env: NodeJS.ProcessEnv = {};
    const teardown = await setUp(env, root);
    try {
      const check = await docsCheckOf(env, ROOT);
      assert.equal(check.ok, false);
      assert.match(check.ok ? '' : check.problem, /^cannot validate docs\/: tests\/docs-baseline\.yaml:\d+: /);
    } finally {
      teardown();
    }
  });
});
