/**
 * Golden files for a small synthetic docs tree (tests/unit/fixtures/widget-repo: an `en` source
 * and its `xx-XX` translation): the page models, the contract, the built files and the
 * diagnostics. Compared exactly; refresh on purpose with `UPDATE=1 npm run test:unit` and review the diff.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { parsePage } from '../../scripts/lib/parse.ts';
import { buildFrom, loadDocs } from '../../scripts/lib/pipeline.ts';
import { readRecipes } from '../../scripts/lib/read.ts';
import { stableJson } from '../../scripts/lib/stable-json.ts';

const GOLDEN = 'tests/unit/golden';
const FIXTURE = 'tests/unit/fixtures/widget-repo';
const loaded = loadDocs(`${FIXTURE}/docs`, { cache: null }, parsePage);
const build = buildFrom(loaded, readRecipes(`${FIXTURE}/tests/profiles.yaml`));

function golden(name: string, actual: string): void {
  const file = `${GOLDEN}/${name}`;
  if (process.env['UPDATE'] === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${file} differs; if the change is intended, run UPDATE=1 npm run test:unit and review the diff`);
}

describe('golden: a synthetic docs tree', () => {
  it('page models', () => golden('widgets.models.json', stableJson(loaded.models)));
  it('contract', () => golden('widgets.contract.json', stableJson(loaded.contract)));
  it('built files', () => golden('widgets.files.json', stableJson(Object.fromEntries(build.files))));
  it('diagnostics', () => golden('widgets.diagnostics.txt', `${formatText(build.diagnostics)}\n`));
});
