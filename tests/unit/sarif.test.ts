/**
 * `--format=sarif` of validate and drift: valid against the SARIF 2.1.0 JSON schema (the copy
 * Microsoft ships in @microsoft/jest-sarif, loaded with ajv's draft-04 class as that schema is
 * written in draft-04), with full regions, the baseline's fingerprints and GitHub's limits.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import type { Log } from 'sarif';
import { run as drift } from '../../scripts/cli/drift.ts';
import { run as generate } from '../../scripts/cli/generate.ts';
import { run as validate } from '../../scripts/cli/validate.ts';
import { parseBaseline } from '../../scripts/lib/baseline.ts';
import { diagnostic } from '../../scripts/lib/diagnostics.ts';
import { GENERATED_RULES, RULES } from '../../scripts/lib/rules.ts';
import { FINGERPRINT_KEY, LIMITS, toSarif } from '../../scripts/lib/sarif.ts';
import { makeTree } from './helpers.ts';

const require = createRequire(import.meta.url);
const schemaFile = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib/schemas/sarif-2.1.0-rtm.5.json');
// Both packages are CommonJS with a default export; the class and plugin are that export.
const { default: Ajv } = require('ajv-draft-04') as typeof import('ajv-draft-04');
const addFormats = require('ajv-formats') as (ajv: InstanceType<typeof Ajv>) => unknown;
// The schema's `language` pattern is not valid with the `u` flag (`…-[a-zA-Z]{2}]?$`), so
// patterns are compiled without it, as JSON Schema's draft-04 validators did.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const checkSarif = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

/** Schema errors of a log, as `path message` lines; empty when valid. */
function schemaErrors(log: unknown): string[] {
  return checkSarif(log) ? [] : (checkSarif.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? ''}`);
}

function validateSarif(args: string[]): { code: number; log: Log } {
  const out: string[] = [];
  const code = validate([...args, '--format=sarif', '--no-cache'], { out: (t) => out.push(t), err: () => {} });
  return { code, log: JSON.parse(out.join('\n')) as Log };
}

describe('validate --format=sarif', () => {
  it('of the shipped docs, baseline off, is valid SARIF 2.1.0 with a full region on every result', () => {
    const { log } = validateSarif(['--no-baseline']);
    assert.deepEqual(schemaErrors(log), []);
    const run = log.runs[0];
    assert.ok(run && log.runs.length === 1);
    const rules = run.tool.driver.rules ?? [];
    assert.deepEqual(rules.map((r) => r.id), [...Object.keys(RULES), ...Object.keys(GENERATED_RULES)]);
    assert.ok(rules.every((r) => r.shortDescription?.text && r.fullDescription?.text && r.help?.text && r.help.markdown));
    assert.ok((run.results ?? []).length > 0);
    for (const result of run.results ?? []) {
      assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
      assert.ok(result.level === 'error' || result.level === 'warning' || result.level === 'note');
      const location = result.locations?.[0]?.physicalLocation;
      assert.match(location?.artifactLocation?.uri ?? '', /^docs\/[a-zA-Z-]+\/.+\.md$/);
      const region = location?.region;
      assert.ok(region && region.startLine && region.startColumn && region.endLine === region.startLine && (region.endColumn ?? 0) > region.startColumn);
      // The region ends where the line ends in the file.
      const text = readFileSync(location?.artifactLocation?.uri ?? '', 'utf8').split('\n')[region.startLine - 1] ?? '';
      assert.equal(region.endColumn, Math.max(text.length + 1, region.startColumn + 1));
    }
  });

  it('carries the fingerprints the baseline records, so code scanning tracks a finding as the baseline does', () => {
    const docs = makeTree({});
    cpSync('tests/unit/fixtures/widget-repo/docs', docs, { recursive: true });
    writeFileSync(path.join(docs, 'xx-XX/widgets/frobnicate-errors.md'), readFileSync(path.join(docs, 'xx-XX/widgets/frobnicate-errors.md'), 'utf8').replace('## Xx widget missing', '### Xx widget missing'));
    const baselineFile = path.join(makeTree({}), 'baseline.yaml');
    assert.equal(validate([`--docs=${docs}`, `--baseline=${baselineFile}`, '--update-baseline', '--no-cache'], { out: () => {}, err: () => {} }), 0);
    const recorded = parseBaseline(readFileSync(baselineFile, 'utf8'), baselineFile).entries.map((e) => e.fingerprint).sort();
    assert.ok(recorded.length > 0);
    const { code, log } = validateSarif([`--docs=${docs}`, '--no-baseline']);
    assert.equal(code, 1);
    assert.deepEqual(schemaErrors(log), []);
    assert.deepEqual((log.runs[0]?.results ?? []).map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]).sort(), recorded);
  });

  it('the schema check fails on a log that breaks the schema', () => {
    const { log } = validateSarif(['--no-baseline']);
    const result = log.runs[0]?.results?.[0];
    assert.ok(result);
    (result as { level: string }).level = 'fatal';
    assert.notDeepEqual(schemaErrors(log), []);
  });
});

describe('drift --format=sarif', () => {
  it('reports a stale generated file at its first differing line, as an error, in valid SARIF', () => {
    const root = makeTree({});
    cpSync('tests/unit/fixtures/widget-repo', root, { recursive: true });
    const flags = [`--docs=${root}/docs`, `--recipes=${root}/tests/profiles.yaml`, `--out=${root}`, '--no-cache'];
    assert.equal(generate(flags, () => {}), 0);
    const schema = path.join(root, 'schemas/widgets/frobnicate-errors/widget_jammed.schema.json');
    const lines = readFileSync(schema, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('Synthetic prose about widget_jammed.'));
    assert.ok(at > 0);
    writeFileSync(schema, lines.map((l, i) => (i === at ? l.replace('Synthetic prose', 'Edited prose') : l)).join('\n'));
    const out: string[] = [];
    const cwd = process.cwd();
    process.chdir(root);
    let code: number;
    try {
      code = drift([...flags, '--format=sarif'], (t) => out.push(t), () => {});
    } finally {
      process.chdir(cwd);
    }
    assert.equal(code, 1);
    const log = JSON.parse(out.join('\n')) as Log;
    assert.deepEqual(schemaErrors(log), []);
    const results = log.runs[0]?.results ?? [];
    assert.equal(results.length, 1);
    assert.equal(results[0]?.ruleId, 'generated-stale');
    assert.equal(results[0]?.level, 'error');
    const location = results[0]?.locations?.[0]?.physicalLocation;
    assert.equal(location?.artifactLocation?.uri, 'schemas/widgets/frobnicate-errors/widget_jammed.schema.json');
    assert.equal(location?.region?.startLine, at + 1);
    assert.match(results[0]?.message.text ?? '', /^changed schemas\/widgets\/frobnicate-errors\/widget_jammed\.schema\.json\ndescription: "Edited prose about widget_jammed\." → "Synthetic prose about widget_jammed\."\nRun `npm run generate`/);
  });
});

describe('GitHub code scanning limits', () => {
  it(`keeps at most ${LIMITS.results} results per run and says how many were left out`, () => {
    const many = Array.from({ length: LIMITS.results + 2 }, (_, i) => diagnostic({ file: 'xx-XX/widgets.md', line: i + 1, locale: 'xx-XX' }, 'warning', 'json-not-response', `widget ${i}`));
    const log = toSarif(many, { version: '0.0.0', command: 'validate', uri: (f) => `docs/${f}`, lineText: () => null });
    const run = log.runs[0];
    assert.equal(run?.results?.length, LIMITS.results);
    assert.match(run?.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text ?? '', /^2 more results were left out: code scanning takes at most 25000 per run\./);
  });
});
