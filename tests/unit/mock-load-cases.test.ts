/** loadCases: the committed file loads; a missing, broken or hand-edited one fails with the fix. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadCases } from '../../scripts/lib/cases.ts';
import { CASES_FILE, UsageError } from '../../scripts/lib/util.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-cases-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function failsWith(file: string, message: string): void {
  assert.throws(() => loadCases(file), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, message);
    return true;
  });
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('the committed cases file loads, by default', () => {
  assert.deepEqual(loadCases(), JSON.parse(readFileSync(CASES_FILE, 'utf8')));
});

test('a missing file says to run `npm run generate`', () => {
  failsWith(path.join(dir, 'none.json'), `cases file \`${path.join(dir, 'none.json')}\` does not exist; run \`npm run generate\` to build it from the docs`);
});

test('a file that is not JSON says it is generated', () => {
  const file = write('broken.json', '{"cases": [');
  failsWith(file, `cases file \`${file}\` is not valid JSON; it is generated, never edited: run \`npm run generate\` to build it from the docs`);
});

test('a folder in its place cannot be read', () => {
  failsWith(dir, `cases file \`${dir}\` cannot be read (EISDIR); check its permissions, or run \`npm run generate\` to build it from the docs`);
});

const committed = JSON.parse(readFileSync(CASES_FILE, 'utf8')) as { cases: Array<Record<string, unknown>> };
const first = committed.cases[0] ?? {};
const shapes: Array<[string, unknown, string]> = [
  ['a list', [], 'the top level must be an object'],
  ['no locales', { cases: [] }, '`locales` must be a list of strings'],
  ['no cases', { locales: [] }, '`cases` must be a list'],
  ['a case without an id', { locales: [], cases: [{ ...first, id: 3 }] }, '`cases[0].id` must be a string'],
  ['a body that is a string', { locales: [], cases: [{ ...first, expected: 'x' }] }, '`cases[0].expected` must be an object'],
  ['an unknown fault', { locales: [], cases: [first, { ...first, request: { ...(first['request'] as object), fault: { name: 'widget-jam', kind: 'gremlins' } } }] }, '`cases[1].request.fault` must be a fault with a `name` and a `kind` (`credential`, `unknown-value`, `app-state`, `user-action`, `grant-state`)'],
  ['a form that is a mapping', { locales: [], cases: [{ ...first, request: { ...(first['request'] as object), form: { code: 'x' } } }] }, '`cases[0].request.form` must be a list of [name, value] string pairs'],
  ['no errorUri', { locales: [], cases: [{ ...first, errorUri: null }] }, '`cases[0].errorUri` must be an object with string `path` and `fragment` and a list `permalinks`'],
];
for (const [name, value, problem] of shapes) {
  test(`${name} is not a cases file`, () => {
    const file = write(`${name.replace(/\W+/g, '-')}.json`, JSON.stringify(value));
    failsWith(file, `cases file \`${file}\` is not a cases file: ${problem}; run \`npm run generate\` to build it from the docs`);
  });
}
