/**
 * The suite's global setup on a small synthetic repository: it prepares the cases and the docs
 * report in one file for the workers, and stops the run with one line naming the file when the
 * cases or a schema are broken.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run as generate } from '../../scripts/cli/generate.ts';
import { PREPARED_ENV, type Prepared } from '../../scripts/suite/prepared.ts';
import { SetupError } from '../../scripts/suite/probe.ts';
import { setUp } from '../../scripts/suite/setup.ts';
import { makeTree } from './helpers.ts';

/** A copy of the synthetic repository with its files generated, laid out as the suite expects (docs/, schemas/, tests/). */
function repository(): string {
  const root = makeTree({});
  cpSync('tests/unit/fixtures/widget-repo', root, { recursive: true });
  assert.equal(generate([`--docs=${root}/docs`, `--recipes=${root}/tests/profiles.yaml`, `--out=${root}`, '--no-cache'], () => {}), 0);
  return root;
}

describe('suite: global setup', () => {
  it('writes the checked cases and the docs report to one file named in the environment, removed by the teardown', async () => {
    const root = repository();
    const env: NodeJS.ProcessEnv = {};
    const teardown = await setUp(env, root);
    const file = env[PREPARED_ENV] ?? '';
    const data = JSON.parse(readFileSync(file, 'utf8')) as Prepared;
    assert.deepEqual(data.cases.cases.map((c) => c.error), ['widget_jammed', 'widget_missing']);
    assert.ok(data.docs.ok);
    assert.deepEqual(data.docs.ok && data.docs.report.locales, ['en', 'xx-XX']);
    teardown();
    assert.ok(!existsSync(file));
  });

  it('stops the run in one line naming a schema file that is not JSON', async () => {
    const root = repository();
    const schema = path.join(root, 'schemas/widgets/frobnicate-errors/widget_jammed.schema.json');
    writeFileSync(schema, '{broken');
    await assert.rejects(setUp({}, root), (e: unknown) => e instanceof SetupError && e.message.includes('widget_jammed.schema.json is not JSON') && e.message.endsWith('run `npm run generate`'));
  });

  it('stops the run in one line naming a cases file that is not one', async () => {
    const root = repository();
    writeFileSync(path.join(root, 'tests/fixtures/cases.json'), '{"locales": ["en"], "cases": [{}]}');
    await assert.rejects(setUp({}, root), (e: unknown) => e instanceof SetupError && /cases file `.*cases\.json` is not a cases file: `cases\[0\]\.id` must be a string/.test(e.message));
  });

  it('reports docs that cannot be checked as the docs tests\' failure, not as a crash', async () => {
    const root = repository();
    writeFileSync(path.join(root, 'tests/docs-baseline.yaml'), 'docs: [unclosed\n');
    const env: NodeJS.ProcessEnv = {};
    const teardown = await setUp(env, root);
    const data = JSON.parse(readFileSync(env[PREPARED_ENV] ?? '', 'utf8')) as Prepared;
    teardown();
    assert.equal(data.docs.ok, false);
    assert.match(data.docs.ok ? '' : data.docs.problem, /^cannot validate docs\/: tests\/docs-baseline\.yaml:2: baseline YAML does not parse/);
  });
});
