/**
 * The inputs the property-based tests (robust-pages.test.ts) found breaking a promise, each kept
 * as a focused test with its exact input, so the fix stays in place whatever the generator draws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import type { PipelineResult } from './helpers.ts';
import { parseOne, pipelineOf } from './helpers.ts';

const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (ajv: Ajv2020) => Ajv2020;

/** The one schema a pipeline built, compiled as the suite compiles it, and the example it carries. */
function onlySchema(result: PipelineResult) {
  const schemas = [...result.build.files].filter(([file]) => file.endsWith('.schema.json'));
  assert.equal(schemas.length, 1);
  const schema = JSON.parse(schemas[0]?.[1] ?? '') as { examples: Array<Record<string, unknown>>; properties: Record<string, { pattern?: string }> };
  const validate = addFormats(new Ajv2020({ strict: true, allErrors: true })).compile(schema);
  return { schema, validate, example: schema.examples[0] ?? {} };
}

/** A page documenting `widget_jammed` with the given `error_uri`, and extra members before it. */
function page(uri: string, extra = ''): string {
  return `## Widget jammed\n\n\`\`\`json\n{\n  "error": "widget_jammed",\n  "error_description": "The widget jammed."${extra},\n  "error_uri": ${JSON.stringify(uri)}\n}\n\`\`\`\n`;
}

const FILE = 'en/widgets/frobnicate-errors.md';

describe('robust regressions: positions', () => {
  it('counts a lone CR as a line ending in front-matter too, so a YAML error stays inside its line', () => {
    // Was 2:53: the YAML line counter ignored CR and put the whole front-matter on line 2.
    const { diagnostics } = parseOne('---\rtitle: "unterminated\rtitle: Frobnicate widget errors\r---\r');
    assert.equal(formatText(diagnostics), `${FILE}:3:32: error Front-matter YAML does not parse: Missing closing "quote. Fix the YAML between the \`---\` lines. (yaml-syntax)`);
  });

  it('places a YAML error after the point where the YAML parser gave up on its own line', () => {
    // Was 3:24 for an error on line 4: yaml's LineCounter only knew the lines it had reached.
    const { diagnostics } = parseOne('---\n- a list\ntitle: then a map\ntitle: Frobnicate widget errors\n---\n');
    assert.deepEqual(
      diagnostics.map((d) => `${d.line}:${d.column}`),
      ['3:1', '3:6', '3:8', '4:1', '4:6', '4:8'],
    );
    assert.equal(diagnostics[3]?.message, 'Front-matter YAML does not parse: Unexpected scalar token in YAML stream: "title". Fix the YAML between the `---` lines.');
  });
});

describe('robust regressions: JSON beyond what later stages can handle', () => {
  it('reports nesting deeper than 128 levels as a json-syntax error instead of overflowing the stack', () => {
    // 5000 levels made JSON.stringify throw RangeError in the build stage.
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const result = pipelineOf({ [FILE]: page('/widgets/frobnicate-errors#widget-jammed', `,\n  "nested": ${deep}`) });
    assert.equal(
      formatText(result.diagnostics.filter((d) => d.file === FILE)),
      // Line 7 is `  "nested": [[[…`: its 128th `[` is the 129th level, counting the response object.
      `${FILE}:7:140: error \`\`\`json block at line 3 does not parse: arrays and objects nested deeper than 128 levels (line 7, column 140). Fix the JSON, or mark the fence as another language if it is not JSON. (json-syntax)`,
    );
    assert.deepEqual(result.build.cases, []);
  });

  it('accepts 128 levels of nesting', () => {
    const { page: model, diagnostics } = parseOne(`\`\`\`json\n${'['.repeat(128)}${']'.repeat(128)}\n\`\`\`\n`);
    assert.deepEqual(diagnostics, []);
    assert.ok(Array.isArray(model.jsonBlocks[0]?.value));
  });

  it('reports a number too large for a double, which would be written as null', () => {
    const { diagnostics } = parseOne('## Widget jammed\n\n```json\n{\n  "error": "widget_jammed",\n  "retry_after": 1e400\n}\n```\n');
    assert.equal(
      formatText(diagnostics),
      `${FILE}:6:18: error \`\`\`json block at line 3 does not parse: number \`1e400\` is too large for a double (line 6, column 18). Fix the JSON, or mark the fence as another language if it is not JSON. (json-syntax)`,
    );
  });

  it('keeps numbers that only lose precision or underflow: their schema and a server agree on the double', () => {
    const { page: model, diagnostics } = parseOne('```json\n{"big": 123456789012345678901234567890, "tiny": 1e-400, "long": 0.' + '1'.repeat(1000) + '}\n```\n');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(model.jsonBlocks[0]?.value, { big: 1.2345678901234568e29, tiny: 0, long: 0.1111111111111111 });
  });
});

describe('robust regressions: schemas accept the example they were built from', () => {
  it('a percent-encoded fragment: the pattern accepts it as written, not only decoded', () => {
    // Was rejected: the pattern held the decoded `#widget jammed`.
    const { validate, example, schema } = onlySchema(pipelineOf({ [FILE]: page('/widgets/frobnicate-errors#widget%20jammed') }));
    assert.equal(validate(example), true, JSON.stringify(validate.errors));
    assert.equal(
      schema.properties['error_uri']?.pattern,
      '^(?:https?://[^/?#]+)?(?:/[a-z]{2}(?:-[a-z]{2,4})?)?(?:/(?:free-pro-team|enterprise-server|enterprise-cloud|github-ae|enterprise)@[^/?#]+)?/widgets/frobnicate-errors/?#(?:widget jammed|widget%20jammed)$',
    );
    assert.equal(validate({ ...example, error_uri: '/widgets/frobnicate-errors#widget%20jammed2' }), false);
  });

  it('a query and an upper-case scheme, as written', () => {
    for (const uri of ['/widgets/frobnicate-errors?tab=1#widget-jammed', 'HTTPS://docs.github.com/en/widgets/frobnicate-errors#widget-jammed']) {
      const { validate, example } = onlySchema(pipelineOf({ [FILE]: page(uri) }));
      assert.equal(validate(example), true, `${uri}: ${JSON.stringify(validate.errors)}`);
      assert.equal(validate({ ...example, error_uri: '/widgets/frobnicate-errors#widget-missing' }), false, uri);
    }
  });

  it('a `__proto__` member: Ajv ignores it under `properties`, so it is checked through a pattern', () => {
    // Was rejected by `additionalProperties: false`.
    const { validate, example } = onlySchema(pipelineOf({ [FILE]: page('/widgets/frobnicate-errors#widget-jammed', ',\n  "__proto__": "The widget jammed."') }));
    assert.ok(Object.hasOwn(example, '__proto__'));
    assert.equal(validate(example), true, JSON.stringify(validate.errors));
    assert.equal(validate(JSON.parse('{"error":"widget_jammed","error_description":"The widget jammed.","error_uri":"/widgets/frobnicate-errors#widget-jammed","__proto__":"other"}')), false);
  });

  it('an `error_uri` that is not a URI reference is an error with the encoded form to use, and its schema holds it as a constant', () => {
    // Was a schema with `format: uri-reference` that rejects its own example.
    const cases: Array<[string, string]> = [
      ['/widgets/größe#widget-jammed', '/widgets/gr%C3%B6%C3%9Fe#widget-jammed'],
      ['/widgets/frobnicate-errors#widget jammed', '/widgets/frobnicate-errors#widget%20jammed'],
      ['/widgets/frobnicate-errors#a#b', '/widgets/frobnicate-errors#a%23b'],
      ['/widgets/frobnicate-errors#100%', '/widgets/frobnicate-errors#100%25'],
    ];
    for (const [uri, fixed] of cases) {
      const result = pipelineOf({ [FILE]: page(uri) });
      assert.equal(
        formatText(result.diagnostics.filter((d) => d.rule === 'error-uri-invalid')),
        `${FILE}:3:1: error \`error_uri\` \`${uri}\` of \`widget_jammed\` is not a valid URI reference: spaces, non-ASCII characters and a second \`#\` must be percent-encoded, as in \`${fixed}\`. (error-uri-invalid)`,
      );
      const { validate, example } = onlySchema(result);
      assert.equal(validate(example), true, `${uri}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('errors whose names differ only where a file name cannot follow get a schema file each', () => {
    // `widget jammed` and `widget_jammed` both became `widget_jammed.schema.json`: one schema was lost.
    const text = (error: string) => `\`\`\`json\n{"error": "${error}","error_description": "The widget jammed.","error_uri": "/widgets/frobnicate-errors"}\n\`\`\`\n`;
    const result = pipelineOf({ [FILE]: `---\n---\n${text('widget jammed')}\n## Widget jammed\n\n${text('widget_jammed')}` });
    assert.deepEqual(
      [...result.build.files.keys()].filter((f) => f.endsWith('.schema.json')),
      ['schemas/widgets/frobnicate-errors/widget~0020jammed.schema.json', 'schemas/widgets/frobnicate-errors/widget_jammed.schema.json'],
    );
  });
});
