/**
 * The OpenAPI export: a valid OpenAPI 3.1 document (by @apidevtools/swagger-parser) of the
 * committed cases and of synthetic ones; each documented error a named example in JSON, XML and
 * form, or a `Location` example; placeholders described, never given as values; the command's flags.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { readSchemas, run } from '../../scripts/cli/export.ts';
import type { Case, CasesFile } from '../../scripts/lib/build.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import { CALLBACK_STAND_IN, ECHOED, toOpenApi as exportOf } from '../../scripts/lib/openapi.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { UsageError } from '../../scripts/lib/util.ts';
import { runPipeline } from './helpers.ts';

const WIDGETS = 'tests/unit/fixtures/widget-repo';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The widget repository's build: its cases and generated files. */
function widgetBuild() {
  return runPipeline(readDocsTree(`${WIDGETS}/docs`), { file: 'profiles.yaml', text: readFileSync(`${WIDGETS}/tests/profiles.yaml`, 'utf8') }).build;
}

/** The widget repository's generated schemas, by `$id`. */
function widgetSchemas(): Map<string, Json> {
  const schemas = new Map<string, Json>();
  for (const c of widgetBuild().cases) schemas.set(c.schema.$id, JSON.parse(widgetBuild().files.get(c.schema.file)!) as Json);
  return schemas;
}

/** The widget repository's cases, and one of them also documented as a redirect of another endpoint. */
function widgetCases(): CasesFile {
  const cases = widgetBuild().cases;
  assert.equal(cases.length, 2, 'the widget repository documents two errors');
  const jammed = cases[0]!;
  const redirect: Case = {
    ...jammed,
    id: `${jammed.id}-redirect`,
    documented: { form: 'redirect', echoes: ['state'] },
    request: { ...jammed.request, endpoint: 'widget-authorize', method: 'GET', path: '/widgets/authorize', answer: 'redirect', status: 302, form: [['client_id', '{{client_id}}'], ['state', '{{random}}']] },
  };
  return { $comment: 'synthetic', sourceLocale: 'en', locales: ['en', 'xx-XX'], cases: [...cases, redirect] };
}

/** The export, typed loosely for reading into it; the widget schemas unless others are given. */
const toOpenApi = (file: CasesFile, schemas: Map<string, Json> = widgetSchemas()): Json => exportOf(file, schemas);

/** Validates a document by the OpenAPI 3.1 schema; a copy, since the parser dereferences in place. */
const validate = (doc: Json) => SwaggerParser.validate(structuredClone(doc) as never);

describe('toOpenApi', () => {
  test('the export of the committed cases is a valid OpenAPI 3.1 document with every endpoint of the cases', async () => {
    const file = loadCases();
    const doc = toOpenApi(file, new Map(readSchemas(file)));
    await validate(doc);
    const endpoints = new Set(file.cases.map((c) => `${c.request.method.toLowerCase()} ${c.request.path}`));
    const exported = Object.entries(doc['paths'] as Json).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    assert.deepEqual(exported.sort(), [...endpoints].sort());
  });

  test('the export of synthetic cases is valid; a response without its description is not', async () => {
    const doc = toOpenApi(widgetCases());
    await validate(doc);
    const broken = structuredClone(doc);
    delete broken['paths']['/widgets/token']['post']['responses']['200']['description'];
    await assert.rejects(validate(broken), /description/);
  });

  test('a body endpoint: form request with placeholders described, each error a named example in JSON, XML and form, with provenance and anchor', () => {
    const op = toOpenApi(widgetCases())['paths']['/widgets/token']['post'];
    assert.equal(op.operationId, 'widgets');
    const schema = op.requestBody.content['application/x-www-form-urlencoded'].schema;
    assert.deepEqual(schema.required, ['client_id', 'client_secret'], 'code is sent by one case only, redirect_uri is optional');
    assert.equal(schema.properties.client_id.description, "the target app's client id (`--client-id`)");
    assert.equal(schema.properties.redirect_uri.description, "the target app's registered callback URL (`--callback-url`), left out when not given");
    assert.doesNotMatch(JSON.stringify(op.requestBody), /\{\{/, 'placeholders are described, not given as values');
    const content = op.responses['200'].content;
    assert.deepEqual(Object.keys(content['application/json'].examples), ['widget_jammed', 'widget_missing']);
    const jammed = content['application/json'].examples.widget_jammed;
    const doc = toOpenApi(widgetCases());
    assert.deepEqual(content['application/json'].schema, {
      anyOf: [{ $ref: '#/components/schemas/widgets.frobnicate-errors.widget_jammed' }, { $ref: '#/components/schemas/widgets.frobnicate-errors.widget_missing' }],
    });
    const { $id, $schema, $comment, ...generated } = widgetSchemas().get(widgetBuild().cases[0]!.schema.$id)!;
    assert.ok($id && $schema && $comment, 'the generated schema has the keywords of a schema file');
    assert.deepEqual(doc['components'].schemas['widgets.frobnicate-errors.widget_jammed'], generated, 'the generated schema, without the keywords of a file');
    assert.deepEqual(jammed.value, { error: 'widget_jammed', error_description: 'The widget jammed happened.', error_uri: '/widgets/frobnicate-errors#widget-jammed' });
    assert.equal(
      content['application/xml'].examples.widget_jammed.value,
      '<OAuth><error>widget_jammed</error><error_description>The widget jammed happened.</error_description><error_uri>/widgets/frobnicate-errors#widget-jammed</error_uri></OAuth>',
    );
    assert.equal(
      content['application/x-www-form-urlencoded'].examples.widget_jammed.value,
      'error=widget_jammed&error_description=The+widget+jammed+happened.&error_uri=%2Fwidgets%2Ffrobnicate-errors%23widget-jammed',
    );
    assert.deepEqual(jammed['x-docs-contract-sources'], [
      { file: 'en/widgets/frobnicate-errors.md', line: 14, locale: 'en' },
      { file: 'xx-XX/widgets/frobnicate-errors.md', line: 16, locale: 'xx-XX' },
    ]);
    assert.deepEqual(jammed['x-docs-contract-anchor'], { path: '/widgets/frobnicate-errors', fragment: 'widget-jammed', heading: 'Widget jammed', verdicts: { en: 'confirmed', 'xx-XX': 'confirmed' } });
  });

  test('a redirect endpoint: query parameters, and a 302 whose Location examples carry the error query and the echoed state', () => {
    const op = toOpenApi(widgetCases())['paths']['/widgets/authorize']['get'];
    assert.deepEqual(op.parameters.map((p: Json) => [p.name, p.in, p.required]), [['client_id', 'query', true], ['state', 'query', true]]);
    const location = op.responses['302'].headers.Location;
    const url = new URL(location.examples.widget_jammed.value);
    assert.equal(`${url.origin}${url.pathname}`, CALLBACK_STAND_IN);
    assert.deepEqual([...url.searchParams], [['error', 'widget_jammed'], ['error_description', 'The widget jammed happened.'], ['error_uri', '/widgets/frobnicate-errors#widget-jammed'], ['state', ECHOED]]);
    assert.equal(location.examples.widget_jammed['x-docs-contract-anchor'].fragment, 'widget-jammed');
  });

  test('two pages documenting one error of one endpoint get distinct example names, in case order', () => {
    const file = widgetCases();
    const jammed = file.cases[0]!;
    file.cases = [jammed, { ...jammed, id: 'other/page#widget_jammed', page: 'other/page' }];
    const examples = toOpenApi(file)['paths']['/widgets/token']['post'].responses['200'].content['application/json'].examples;
    assert.deepEqual(Object.keys(examples), ['widget_jammed', 'widget_jammed-2']);
  });
});

describe('export command', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-export-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const capture = (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = run(args, (t) => out.push(t), (t) => err.push(t));
    return { code, out: out.join(''), err: err.join('') };
  };

  test('prints the document as stable JSON, the same bytes each run; --out writes it', () => {
    const first = capture([]);
    assert.equal(first.code, 0);
    assert.equal(capture(['--format=openapi']).out, first.out);
    assert.deepEqual(JSON.parse(first.out), toOpenApi(loadCases(), new Map(readSchemas(loadCases()))));
    const file = path.join(dir, 'openapi.json');
    assert.equal(capture([`--out=${file}`]).code, 0);
    assert.equal(readFileSync(file, 'utf8'), first.out);
  });

  test('a schema that is missing, or is not the one the case names, is a usage error saying to regenerate', () => {
    const file = widgetCases();
    const c = file.cases[0]!;
    const cases = path.join(dir, 'cases.json');
    const schema = path.join(dir, 'jammed.schema.json');
    file.cases = [{ ...c, schema: { $id: c.schema.$id, file: schema } }];
    writeFileSync(cases, JSON.stringify(file));
    assert.throws(() => capture([`--cases=${cases}`]), new UsageError(`schema \`${schema}\` of case \`${c.id}\` cannot be read (ENOENT); run \`npm run generate\` from the repository root, then export from there`));
    writeFileSync(schema, JSON.stringify({ $id: 'https://docs-contract.invalid/other.schema.json' }));
    assert.throws(() => capture([`--cases=${cases}`]), new UsageError(`schema \`${schema}\` is not the one case \`${c.id}\` names (\`$id\` \`${c.schema.$id}\`); run \`npm run generate\` to rebuild schemas and cases together`));
    writeFileSync(schema, JSON.stringify({ $id: c.schema.$id, type: 'object' }));
    assert.equal(capture([`--cases=${cases}`]).code, 0);
  });

  test('a bad flag, another format, a missing cases file are usage errors', () => {
    assert.throws(() => capture(['--bogus']), (e: unknown) => e instanceof UsageError && /Unknown option '--bogus'/.test(e.message));
    assert.throws(() => capture(['--format=yaml']), new UsageError('--format must be openapi, not `yaml`\nusage: docs-contract export [--format=openapi] [--cases=FILE] [--out=FILE]'));
    assert.throws(() => capture([`--cases=${dir}/none.json`]), (e: unknown) => e instanceof UsageError && /does not exist/.test(e.message));
    assert.throws(() => capture([`--out=${dir}/no/such/dir/x.json`]), (e: unknown) => e instanceof UsageError && /ENOENT/.test(e.message));
  });
});
