/**
 * Documented members named like the members every object inherits (`toString`, `constructor`,
 * `hasOwnProperty`, `__proto__`) are ordinary members: the checks see only a body's own
 * members, and the suite passes against the mock built from such a case.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkSameAs, checkValues, decodeUtf8, negotiationsOf, parseBody, parseFlatXml } from '../../scripts/suite/check.ts';
import { loadSchemas } from '../../scripts/suite/schemas.ts';
import { send } from '../../scripts/suite/send.ts';
import { APP, syntheticCase, withMock } from './mock-support.ts';

/** Members every object inherits, each documented with a value of its own. */
const INHERITED = { toString: 'widget-to-string', constructor: 'widget-constructor', hasOwnProperty: 'widget-own' };
const EXPECTED = { error: 'widget_jammed', error_description: 'The widget is jammed.', ...INHERITED };

describe('members named like inherited ones', () => {
  it('are missing from a body that lacks them, and present where a body has them', () => {
    assert.deepEqual(checkValues(EXPECTED, JSON.parse('{"error":"widget_jammed","error_description":"The widget is jammed."}') as Record<string, unknown>), [
      '`toString` is missing; documented: "widget-to-string"',
      '`constructor` is missing; documented: "widget-constructor"',
      '`hasOwnProperty` is missing; documented: "widget-own"',
    ]);
    assert.deepEqual(checkValues(EXPECTED, JSON.parse(JSON.stringify(EXPECTED)) as Record<string, unknown>), []);
  });

  it('are read from XML and form bodies like any other member, `__proto__` included', () => {
    assert.deepEqual({ ...parseFlatXml('<OAuth><toString>a</toString><constructor>b</constructor><__proto__>c</__proto__><error>&constructor;</error></OAuth>') }, {
      toString: 'a',
      constructor: 'b',
      ['__proto__']: 'c',
      error: '&constructor;',
    });
    const form = parseBody('form', 'hasOwnProperty=x&__proto__=y');
    assert.equal(form.ok && Object.hasOwn(form.body, '__proto__') && form.body['__proto__'] === 'y' && form.body['hasOwnProperty'] === 'x', true);
    assert.deepEqual(checkSameAs(['toString'], { toString: 'a' }, parseFlatXml('<OAuth><error>x</error></OAuth>') ?? {}, 'XML'), ['`toString` is missing from the XML answer; the JSON answer has "a"']);
  });

  it('are required by a schema only as own members', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'own-members-'));
    try {
      const $id = 'https://docs-contract.invalid/schemas/widgets/own.schema.json';
      writeFileSync(path.join(dir, 'own.schema.json'), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id, type: 'object', required: ['error', 'toString'], properties: { error: { type: 'string' }, toString: { type: 'string' } } }));
      const schemas = loadSchemas(dir);
      assert.deepEqual(schemas.validate($id, JSON.parse('{"error":"widget_jammed"}')), ['`toString` is missing (required by the schema)']);
      assert.deepEqual(schemas.validate($id, JSON.parse('{"error":"widget_jammed","toString":"x"}')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pass the suite against the mock built from the case that documents them, in every format', async () => {
    const kase = syntheticCase('widget_jammed', 'client-credentials', EXPECTED);
    await withMock({ cases: [kase] }, async (mock) => {
      const target = { baseUrl: mock.url, clientId: APP.clientId, clientSecret: 'not-the-secret', callbackUrl: null, suspendedClientId: null, deviceFlowDisabledClientId: null, docsOrigin: 'https://docs.example.invalid', requestTimeout: 5000 };
      let first: Record<string, unknown> | null = null;
      for (const negotiation of negotiationsOf(kase.request.accept)) {
        const sent = await send(mock.url, target, kase, negotiation);
        assert.ok(sent.ok, sent.ok ? '' : sent.problem);
        const text = decodeUtf8(sent.answer.body);
        assert.ok(text.ok);
        const parsed = parseBody(negotiation.format, text.text);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
        if (first === null) {
          assert.deepEqual(checkValues(kase.expected, parsed.body), []);
          first = parsed.body;
        } else assert.deepEqual(checkSameAs(Object.keys(kase.expected), first, parsed.body, negotiation.format), [], negotiation.format);
      }
    });
  });
});
