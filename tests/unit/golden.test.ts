/**
 * Golden files for the shipped docs: the page models, the contract and the diagnostics.
 * Compared exactly; refresh on purpose with `UPDATE=1 npm run test:unit` and review the diff.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { load } from '../../scripts/cli/generate.ts';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { stableJson } from '../../scripts/lib/stable-json.ts';

const GOLDEN = 'tests/unit/golden';
const result = load('docs', 'tests/profiles.yaml');

function golden(name: string, actual: string): void {
  const file = `${GOLDEN}/${name}`;
  if (process.env['UPDATE'] === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${file} differs; if the change is intended, run UPDATE=1 npm run test:unit and review the diff`);
}

describe('golden: the shipped docs', () => {
  it('page models', () => golden('seeds.models.json', stableJson(result.models)));
  it('contract', () => golden('seeds.contract.json', stableJson(result.contract)));
  it('diagnostics', () => golden('seeds.diagnostics.txt', `${formatText(result.diagnostics)}\n`));
});
