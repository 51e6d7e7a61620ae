/**
 * Error-code tables as a documented form: recognised by their cells (code spans of snake_case
 * codes beside prose) and by their section's id, whatever the header says; one documented
 * response per row, its anchor the section's heading; rows inside Liquid, tables without outer
 * pipes and tables nested in list items included; parameter tables and tables of other codes not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRecipes } from '../../scripts/lib/recipes.ts';
import { checkMembers } from '../../scripts/suite/check.ts';
import { parseOne, pipelineOf, WIDGET_FAULTS } from './helpers.ts';

const FRONT = '---\ntitle: Widget polling\n---\n';

/** A synthetic page with a table of widget errors under `heading`, written with `table`. */
const page = (heading: string, table: string, before = '') => `${FRONT}\n## Polling widgets\n\n${before}### ${heading}\n\n${table}\n`;

const TABLE = `| Widget code | What it means |
|----|----|
| \`widget_jammed\` | The widget jammed; wait for the \`interval\`. |
| \`widget_missing\`| No widget has this serial.{% ifversion widget-recall %}
| \`widget_recalled\` | The widget was recalled.{% endif %}
`;

const rows = (text: string) => parseOne(text).page.jsonBlocks.filter((b) => b.form === 'table');

describe('error-code tables in the parser', () => {
  test('one row per code, its description as prose, a row that Liquid wraps included', () => {
    const found = rows(page('Widget error codes', TABLE));
    assert.deepEqual(found.map((b) => b.value), [{ error: 'widget_jammed' }, { error: 'widget_missing' }, { error: 'widget_recalled' }]);
    assert.deepEqual(found.map((b) => b.line), [11, 12, 13]);
    assert.equal(found[0]?.description, 'The widget jammed; wait for the interval.');
  });

  test('without outer pipes, and nested in a list item with no heading of its own', () => {
    const bare = 'Code | Meaning\n--- | ---\n`widget_jammed` | Jammed.\n`widget_missing` | Missing.\n';
    assert.deepEqual(rows(page('Widget error codes', bare)).map((b) => b.value), [{ error: 'widget_jammed' }, { error: 'widget_missing' }]);
    const nested = `1. Poll the widget.\n\n   ${TABLE.split('\n').join('\n   ')}\n`;
    assert.equal(rows(page('Widget errors', nested)).length, 3);
  });

  test('in a blockquote, in a list item\'s own line, with aligned columns and CRLF line ends', () => {
    const quoted = `> ${TABLE.replace(/\|----\|----\|/, '| :--- | ---: |').trimEnd().split('\n').join('\n> ')}\n`;
    assert.equal(rows(page('Widget error codes', quoted)).length, 3);
    const crlf = page('Widget error codes', TABLE).replace(/\n/g, '\r\n');
    assert.equal(rows(crlf).length, 3);
    const inItem = '- | Code | Meaning |\n  |:-:|:-|\n  | `widget_jammed` | Jammed. |\n  | `widget_missing` | Missing. |\n';
    assert.equal(rows(page('Widget error codes', inItem)).length, 2);
  });

  test('a table of parameters (a column of types in code spans) and a table of one row are not error tables', () => {
    const parameters = '| Name | Type | Description |\n|---|---|---|\n| `widget_id` | `string` | The widget. |\n| `widget_serial` | `string` | Its serial. |\n';
    assert.deepEqual(rows(page('Widget error codes', parameters)), []);
    assert.deepEqual(rows(page('Widget error codes', '| Code | Meaning |\n|---|---|\n| `widget_jammed` | Jammed. |\n')), []);
    const mixed = '| Code | Meaning |\n|---|---|\n| `widget_jammed` | Jammed. |\n| widget missing | Missing. |\n';
    assert.deepEqual(rows(page('Widget error codes', mixed)), []);
  });
});

describe('error-code tables in the contract', () => {
  const xx = (table: string) => page('Xx codes de widget', table).replace('Polling widgets', 'Xx polling widgets');

  test('rows become documented responses whose anchor is the table heading, in every locale; a translation lacking a row is a finding', () => {
    const translated = TABLE.replace('| Widget code | What it means |', '| Xx code | Xx sens |').replace(/\| `widget_missing`.*\n/, '');
    const run = pipelineOf({ 'en/widgets/polling.md': page('Widget error codes', TABLE), 'xx-XX/widgets/polling.md': xx(translated) });
    const responses = run.contract.responses.map((r) => ({ error: r.error, form: r.form, uri: r.errorUri, locales: r.provenance.map((p) => p.locale), status: r.anchors.map((a) => a.status) }));
    const uri = { origin: null, path: '/widgets/polling', fragment: 'widget-error-codes' };
    assert.deepEqual(responses, [
      { error: 'widget_jammed', form: 'table', uri, locales: ['en', 'xx-XX'], status: ['confirmed', 'confirmed'] },
      { error: 'widget_missing', form: 'table', uri, locales: ['en'], status: ['confirmed'] },
      { error: 'widget_recalled', form: 'table', uri, locales: ['en', 'xx-XX'], status: ['confirmed', 'confirmed'] },
    ]);
    const missing = run.diagnostics.filter((d) => d.rule === 'response-missing');
    assert.deepEqual(missing.map((d) => [d.file, d.message.slice(0, 40)]), [['xx-XX/widgets/polling.md', '`widget_missing` is documented in en (en']]);
  });

  test('a table of codes under a heading that names no errors (a list of actions) documents no response', () => {
    const run = pipelineOf({ 'en/widgets/polling.md': page('Widget actions', TABLE) });
    assert.deepEqual(run.contract.responses, []);
  });
});

describe('profiles for a flow with issued values', () => {
  const profile = `${WIDGET_FAULTS}  widget-pending:
    kind: grant-state
    field: widget_code
    state: pending
    succeeds_after: [hook: press]
  widget-too-fast:
    kind: grant-state
    field: widget_code
    state: polled-too-fast
    prepare: [repeat]
hooks:
  press:
    path: /_test/press
    form: { user_code: "{{user_code}}" }
endpoints:
  issue:
    method: POST
    path: /widgets/code
    issues:
      form: { client_id: "{{client_id}}" }
      values: [widget_code, user_code, interval]
    errors: {}
  poll:
    method: POST
    path: /widgets/token
    selected_by: widget_code
    errors:
      widget_jammed:
        fault: widget-too-fast
        form: { client_id: "{{client_id}}", widget_code: "{{widget_code}}" }
        status: 429
        members: { interval: { type: integer, more_than: interval } }
      widget_missing:
        fault: widget-pending
        form: { widget_code: "{{widget_code}}" }
`;

  test('a form naming an issued value gets the issue step, with the settings it needs; prepare and succeeds_after steps, members and status carry through', () => {
    const set = parseRecipes(profile, 'recipes.yaml');
    assert.deepEqual(set.diagnostics, []);
    const [jammed] = set.recipes.get('widget_jammed') ?? [];
    const [missing] = set.recipes.get('widget_missing') ?? [];
    assert.deepEqual(jammed?.issue, { endpoint: 'issue', method: 'POST', path: '/widgets/code', form: [['client_id', '{{client_id}}']], values: ['widget_code', 'user_code', 'interval'] });
    assert.equal(jammed?.status, 429);
    assert.equal(jammed?.selectedBy, 'widget_code');
    assert.deepEqual(jammed?.members, { interval: { type: 'integer', moreThan: 'interval' } });
    assert.deepEqual(jammed?.fault.kind === 'grant-state' && jammed.fault.prepare, [{ kind: 'repeat' }]);
    // The issue step needs the client id even where the poll's own form does not name it.
    assert.deepEqual(missing?.needs, ['clientId']);
    assert.deepEqual(missing?.fault.kind === 'grant-state' && missing.fault.succeedsAfter, [{ kind: 'hook', name: 'press', method: 'POST', path: '/_test/press', form: [['user_code', '{{user_code}}']] }]);
  });

  test('an unknown state and an unknown hook are reported at their fault, and so are the errors naming it', () => {
    const broken = profile.replace('state: pending', 'state: asleep').replace('prepare: [repeat]', 'prepare: [hook: shake]');
    const messages = parseRecipes(broken, 'recipes.yaml').diagnostics.map((d) => `${d.line}: ${d.message}`);
    assert.deepEqual(messages, [
      '9: fault `widget-pending`: needs the `field` naming the grant and its `state`: `pending`, `polled-too-fast`, `expired`, `denied`.',
      '14: fault `widget-too-fast`: `prepare` lists steps: `repeat`, or `hook: <name>` naming one of the `hooks:` (`press`).',
      '36: error `widget_jammed` of endpoint `poll`: `fault` must name one of the faults defined under `faults:` (`wrong-widget-secret`, `unissued-widget-code`), not `widget-too-fast`.',
      '41: error `widget_missing` of endpoint `poll`: `fault` must name one of the faults defined under `faults:` (`wrong-widget-secret`, `unissued-widget-code`), not `widget-pending`.',
    ]);
  });

  test('a member compared with a value nothing issues is reported at its error', () => {
    const messages = parseRecipes(profile.replace('more_than: interval', 'more_than: serial'), 'recipes.yaml').diagnostics.map((d) => `${d.line}: ${d.message}`);
    assert.deepEqual(messages, ["36: error `widget_jammed` of endpoint `poll`: member `interval` needs a `type` (`integer` or `string`), and `more_than` may name a value the request's issue step obtains."]);
  });
});

describe('members the profile adds to an answer', () => {
  const members = { interval: { type: 'integer' as const, moreThan: 'interval' } };
  test('present, an integer (as text in form and XML), and more than the issued value', () => {
    assert.deepEqual(checkMembers(members, { interval: 10 }, { interval: '5' }), []);
    assert.deepEqual(checkMembers(members, { interval: '10' }, { interval: '5' }), []);
    assert.deepEqual(checkMembers(members, {}, { interval: '5' }), ['`interval` is missing; this error\'s answer carries it (`members` in tests/profiles.yaml)']);
    assert.deepEqual(checkMembers(members, { interval: 'soon' }, { interval: '5' }), ['`interval` is "soon", not an integer']);
    assert.deepEqual(checkMembers(members, { interval: 5 }, { interval: '5' }), ['`interval` is 5, not more than the `interval` (5) issued with the code: a client keeping that pace is told to slow down again and again']);
  });
});
