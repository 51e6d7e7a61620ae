/**
 * `npm run drift` on a copy of a small synthetic repository (tests/unit/fixtures/widget-repo)
 * generated in a temp dir: clean as generated, stale after a doc changes (with the exact report:
 * file, case, field, old → new, and the fix), clean again after `npm run generate`.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run as drift } from '../../scripts/cli/drift.ts';
import { run as generate } from '../../scripts/cli/generate.ts';
import { MARK } from '../../scripts/lib/build.ts';
import { escapeRegExp } from '../../scripts/lib/util.ts';
import { listGenerated } from '../../scripts/lib/write.ts';
import { makeTree } from './helpers.ts';

const PAGE = 'widgets/frobnicate-errors';
const SCHEMAS = `schemas/${PAGE}`;

/** A copy of the synthetic repository (docs/ and the recipes), with its files generated. */
function copyOfRepository(): string {
  const root = makeTree({});
  cpSync('tests/unit/fixtures/widget-repo', root, { recursive: true });
  assert.equal(generate([`--docs=${root}/docs`, `--recipes=${root}/tests/profiles.yaml`, `--out=${root}`, '--no-cache'], () => {}), 0);
  return root;
}

function runDrift(root: string): { code: number; out: string } {
  const lines: string[] = [];
  const code = drift([`--docs=${root}/docs`, `--recipes=${root}/tests/profiles.yaml`, `--out=${root}`, '--no-cache'], (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

/** Replaces text in a file of the copy; the text must be there. */
function change(root: string, file: string, from: string, to: string): void {
  const abs = path.join(root, file);
  const text = readFileSync(abs, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  writeFileSync(abs, text.split(from).join(to));
}

const committed = (root: string, file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

describe('drift', () => {
  it('is clean on the committed files, in one line', () => {
    const root = copyOfRepository();
    const count = listGenerated(root).length;
    assert.ok(count >= 3);
    assert.deepEqual(runDrift(root), { code: 0, out: `drift: the ${count} generated files in schemas/ and tests/fixtures/ match the docs.` });
  });

  it('fails on a changed description, naming the file, the field, old → new and the fix; passes after generate', () => {
    const root = copyOfRepository();
    const schema = `${SCHEMAS}/widget_jammed.schema.json`;
    const old = committed(root, schema)['description'];
    assert.equal(old, 'Synthetic prose about widget_jammed.');
    change(root, `docs/en/${PAGE}.md`, 'Synthetic prose about widget_jammed.', 'Synthetic changed description.');
    assert.deepEqual(runDrift(root), {
      code: 1,
      out: [
        'drift: 1 generated file differs from what the docs produce now:',
        `changed ${schema}`,
        `  description: ${JSON.stringify(old)} → "Synthetic changed description."`,
        'Run `npm run generate` to update it, and commit the result.',
      ].join('\n'),
    });

    const written: string[] = [];
    assert.equal(generate([`--docs=${root}/docs`, `--recipes=${root}/tests/profiles.yaml`, `--out=${root}`], (l) => written.push(l)), 0);
    assert.ok(written.includes(`wrote ${schema}`), written.join('\n'));
    assert.equal(runDrift(root).code, 0);
  });

  it('names the case and the JSON path of every field that changed, in the schema and in the cases', () => {
    const root = copyOfRepository();
    for (const locale of ['en', 'xx-XX']) {
      change(root, `docs/${locale}/${PAGE}.md`, '"The widget missing happened."', '"Synthetic: the widget is gone."');
    }
    const old = JSON.stringify('The widget missing happened.');
    const now = JSON.stringify('Synthetic: the widget is gone.');
    assert.deepEqual(runDrift(root), {
      code: 1,
      out: [
        'drift: 2 generated files differ from what the docs produce now:',
        `changed ${SCHEMAS}/widget_missing.schema.json`,
        `  examples[0].error_description: ${old} → ${now}`,
        `  properties.error_description.const: ${old} → ${now}`,
        'changed tests/fixtures/cases.json',
        `  cases[${PAGE}#widget_missing]`,
        `    expected.error_description: ${old} → ${now}`,
        'Run `npm run generate` to update them, and commit the result.',
      ].join('\n'),
    });
  });

  it('lists generated files that are missing or no longer produced', () => {
    const root = copyOfRepository();
    rmSync(path.join(root, 'schemas/index.json'));
    mkdirSync(path.join(root, 'schemas/widgets'), { recursive: true });
    writeFileSync(path.join(root, 'schemas/widgets/widget_jammed.schema.json'), `${JSON.stringify({ $comment: `${MARK} Sources: gone.md:1.` })}\n`);
    // A file of the user's own, without the marker, is neither extra nor touched.
    writeFileSync(path.join(root, 'schemas/widgets/mine.json'), '{}\n');
    assert.deepEqual(runDrift(root), {
      code: 1,
      out: [
        'drift: 2 generated files differ from what the docs produce now:',
        'missing schemas/index.json: the docs produce it, but it is not committed',
        'extra schemas/widgets/widget_jammed.schema.json: committed, but the docs no longer produce it',
        'Run `npm run generate` to update them, and commit the result.',
      ].join('\n'),
    });
  });

  it('tells a hand-formatted or broken committed file from a changed one', () => {
    const root = copyOfRepository();
    const index = path.join(root, 'schemas/index.json');
    writeFileSync(index, JSON.stringify(JSON.parse(readFileSync(index, 'utf8')), null, 4));
    writeFileSync(path.join(root, 'tests/fixtures/cases.json'), '{"cases": [');
    const out = runDrift(root).out.split('\n');
    assert.deepEqual(out.slice(0, 4), [
      'drift: 2 generated files differ from what the docs produce now:',
      'changed schemas/index.json',
      '  formatting only: generate writes sorted keys, 2-space indent and a trailing newline',
      'changed tests/fixtures/cases.json',
    ]);
    assert.match(out[4] ?? '', /^ {2}the committed file is not valid JSON \(.+\); generate rewrites it whole$/);
    assert.deepEqual(out.slice(5), ['Run `npm run generate` to update them, and commit the result.']);
  });

  it('fails without comparing when the docs have errors, and says what to run', () => {
    const root = copyOfRepository();
    change(root, `docs/xx-XX/${PAGE}.md`, '"The widget missing happened."', '"Synthetic: only in one locale."');
    const { code, out } = runDrift(root);
    assert.equal(code, 1);
    assert.deepEqual(out.split('\n').slice(1), [
      'drift: the docs or recipes have 1 error, so nothing can be generated to compare with; fix them (`npm run validate` lists every problem), then run `npm run generate`.',
    ]);
    // The file is named from the working folder, as text output names every file.
    const docs = path.relative(process.cwd(), path.join(root, 'docs'));
    assert.match(out.split('\n')[0] ?? '', new RegExp(`^${escapeRegExp(docs)}/xx-XX/.*:28:1: error \`widget_missing\` example differs from en .*\\(response-disagrees\\)$`));
  });
});
