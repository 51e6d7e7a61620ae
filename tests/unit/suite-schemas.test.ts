import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { compiledSchemas, fieldPath, formatAjvErrors, lazySchemas, loadSchemas, schemasFromCode, type SchemaSet } from '../../scripts/suite/schemas.ts';

const ID = 'https://docs-contract.invalid/schemas/widgets/frobnicate-errors/widget_jammed.schema.json';
const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: ID,
  type: 'object',
  required: ['error', 'error_description', 'error_uri'],
  additionalProperties: false,
  properties: {
    error: { type: 'string', const: 'widget_jammed' },
    error_description: { type: 'string', const: 'The widget is jammed.' },
    error_uri: { type: 'string', format: 'uri-reference', pattern: '^/widgets/frobnicate-errors/?#widget-jammed$', description: 'The documented path and fragment.' },
    details: { type: 'array', items: { type: 'object', properties: { code: { type: 'integer' } } } },
  },
};
const GOOD = { error: 'widget_jammed', error_description: 'The widget is jammed.', error_uri: '/widgets/frobnicate-errors/#widget-jammed' };

const dir = mkdtempSync(path.join(tmpdir(), 'suite-schemas-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (rel: string, value: unknown) => {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
};

write('ok/widgets/frobnicate-errors/widget_jammed.schema.json', SCHEMA);
write('ok/index.json', { schemas: [] });

// The same schemas compiled in this process, and as global setup hands them to the workers: compiled code, no Ajv.
const ways: Array<[string, () => SchemaSet]> = [
  ['compiled here', () => loadSchemas(path.join(dir, 'ok'))],
  ['from global setup\'s compiled code', () => schemasFromCode(compiledSchemas(path.join(dir, 'ok')), path.join(dir, 'ok'))],
];
for (const [way, load] of ways) {
  describe(`schemas, ${way}`, () => {
    const schemas = load();

    it('registers every *.schema.json by $id, and only those', () => {
      assert.deepEqual(schemas.ids, [ID]);
      assert.deepEqual(schemas.validate(ID, GOOD), []);
    });

    it('prints one readable line per problem, with field paths, the value and what the schema wants', () => {
      assert.deepEqual(
        schemas.validate(ID, { error: ['widget_jammed'], error_description: 'Jammed.', error_uri: '/widgets/other#x', hint: 1, details: [{ code: 'x' }] }),
        [
          '`hint` is not documented (the schema allows no other members)',
          '`error` is an array ["widget_jammed"]; must be a string',
          '`error_description` is "Jammed."; must be "The widget is jammed."',
          '`error_uri` is "/widgets/other#x"; the schema wants The documented path and fragment.',
          '`details[0].code` is "x"; must be an integer',
        ],
      );
      assert.deepEqual(schemas.validate(ID, { error: 'widget_jammed' }), [
        '`error_description` is missing (required by the schema)',
        '`error_uri` is missing (required by the schema)',
      ]);
      assert.deepEqual(schemas.validate(ID, 'text'), ['`(body)` is "text"; must be an object']);
      // A format: `uri-reference` rejects a space in the path.
      assert.deepEqual(schemas.validate(ID, { ...GOOD, error_uri: '/widgets/frobnicate errors#widget-jammed' }).filter((l) => l.includes('uri-reference')), ['`error_uri` is "/widgets/frobnicate errors#widget-jammed"; must be a `uri-reference`']);
    });

    it('names an unknown $id as a usage error', () => {
      assert.throws(() => schemas.validate('https://docs-contract.invalid/none', {}), { message: `no schema with \`$id\` https://docs-contract.invalid/none under ${path.join(dir, 'ok')}; run \`npm run generate\`` });
    });
  });
}

describe('schemas in a worker', () => {
  it('come from the compiled code when there is some, without reading the schema files', () => {
    const code = compiledSchemas(path.join(dir, 'ok'));
    const schemas = lazySchemas(path.join(dir, 'absent'), () => code);
    assert.deepEqual(schemas.validate(ID, { ...GOOD, error: 'x' }), ['`error` is "x"; must be "widget_jammed"']);
  });

  it('are compiled from the files without it', () => {
    assert.deepEqual(lazySchemas(path.join(dir, 'ok')).ids, [ID]);
    assert.throws(() => lazySchemas(path.join(dir, 'absent')).ids, /schemas folder .* cannot be read/);
  });
});

describe('bad schema files', () => {
  it('names a schema file that is not JSON, has no $id, or is not a schema', () => {
    write('bad-json/a.schema.json', '{');
    // The parser's own words differ between Node versions; the rest is ours.
    assert.throws(() => loadSchemas(path.join(dir, 'bad-json')), (e: Error) => /bad-json\/a\.schema\.json is not JSON \(Expected property name .+\); run `npm run generate`$/.test(e.message));
    write('no-id/a.schema.json', { type: 'object' });
    assert.throws(() => loadSchemas(path.join(dir, 'no-id')), (e: Error) => e.message.endsWith('a.schema.json has no `$id`; run `npm run generate`'));
    write('not-schema/a.schema.json', { $id: 'https://docs-contract.invalid/x', type: 'widget' });
    assert.throws(() => loadSchemas(path.join(dir, 'not-schema')), (e: Error) => /a\.schema\.json: schema is invalid: data\/type must be equal to one of the allowed values/.test(e.message));
    // Global setup's compilation stops the run on the same files.
    for (const bad of ['bad-json', 'no-id', 'not-schema', 'absent']) assert.throws(() => compiledSchemas(path.join(dir, bad)), /run `npm run generate`$/);
    assert.throws(() => loadSchemas(path.join(dir, 'absent')), { message: `schemas folder \`${path.join(dir, 'absent')}\` cannot be read; run \`npm run generate\`` });
  });
});

describe('ajv error formatter', () => {
  it('turns JSON pointers into field paths', () => {
    assert.equal(fieldPath(''), '(body)');
    assert.equal(fieldPath('/error'), 'error');
    assert.equal(fieldPath('/a/0/b~1c/~0d'), 'a[0].b/c.~d');
  });

  it('falls back to ajv\'s message for other keywords, and drops repeated lines', () => {
    const error = { keyword: 'maxLength', instancePath: '/error', schemaPath: '#/x', params: { limit: 3 }, message: 'must NOT have more than 3 characters', data: 'widget' };
    assert.deepEqual(formatAjvErrors([error, error]), ['`error` is "widget"; must NOT have more than 3 characters']);
  });
});
