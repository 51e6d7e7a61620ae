/**
 * The package as another repository gets it: `npm pack`, installed offline into a temporary
 * project with its own docs (github/docs layout, synthetic widget pages) and request recipes,
 * then every subcommand run there through `npx docs-contract`: --help, validate (text and
 * SARIF), generate, drift, mock, test against that mock with the project's docs, and export.
 *
 * Offline install: a project's lockfile with `resolved` and `integrity` lets npm take every
 * tarball from its cache without asking the registry; the lockfile is this repository's own,
 * less its dev dependencies, so the project gets the versions this repository is tested with.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/lib/util.ts';

const WIDGETS = path.join(ROOT, 'tests/unit/fixtures/widget-repo');
/** A hang guard per command, not a measure. */
const LIMIT_MS = 120_000;
const SECRET = 'synthetic-widget-secret';
const CLIENT_ID = 'widget-client';

let work: string;
let project: string;
let tmp: string;

/** Runs `npx docs-contract …args` in the project, offline, with its own temporary folder. */
function npx(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync('npx', ['--no', 'docs-contract', ...args], {
    cwd: project,
    encoding: 'utf8',
    timeout: LIMIT_MS,
    env: { ...process.env, npm_config_offline: 'true', TMPDIR: tmp, CI: '', ...env },
  });
}

function shows(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

/** The lockfile of a project depending on the tarball only: this repository's, less dev dependencies, each with its registry URL. */
function projectLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const own = lock.packages[''] ?? {};
  const packages: Record<string, unknown> = {
    '': { name: 'widget-docs', dependencies: { 'docs-contract': `file:${tarball}` } },
    'node_modules/docs-contract': { version: own['version'] ?? '0.1.0', resolved: `file:${tarball}`, dependencies: own['dependencies'], bin: own['bin'] ?? { 'docs-contract': 'scripts/docs-contract.js' }, engines: own['engines'] },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry['dev'] === true || entry['link'] === true) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[key] = { ...entry, resolved: entry['resolved'] ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop() ?? name}-${String(entry['version'])}.tgz` };
  }
  return { name: 'widget-docs', lockfileVersion: 3, requires: true, packages };
}

before(() => {
  work = mkdtempSync(path.join(tmpdir(), 'docs-contract-pack-'));
  project = path.join(work, 'widget-docs');
  tmp = path.join(work, 'tmp');
  mkdirSync(project);
  mkdirSync(tmp);
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', timeout: LIMIT_MS });
  assert.equal(packed.status, 0, shows(packed));
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  assert.ok(info);
  const shipped = info.files.map((f) => f.path);
  assert.ok(shipped.includes('scripts/docs-contract.js') && shipped.includes('tests/contract/error-responses.spec.ts'));
  assert.ok(!shipped.some((f) => f.startsWith('tests/unit/') || f.startsWith('node_modules/') || f.startsWith('scripts/selftest/')), shipped.join('\n'));
  const tarball = path.join(work, info.filename);

  // The project: github/docs layout (content/ and translations/<locale>/content/), its endpoint
  // profiles, and a config file with the flags it always passes.
  cpSync(path.join(WIDGETS, 'docs/en'), path.join(project, 'content'), { recursive: true });
  cpSync(path.join(WIDGETS, 'docs/xx-XX'), path.join(project, 'translations/xx-XX/content'), { recursive: true });
  cpSync(path.join(WIDGETS, 'tests/profiles.yaml'), path.join(project, 'widget-recipes.yaml'));
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'widget-docs', private: true, dependencies: { 'docs-contract': `file:${tarball}` } }, null, 2));
  writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(projectLock(tarball), null, 2));
  writeFileSync(path.join(project, 'docs-contract.config.json'), JSON.stringify({ recipes: 'widget-recipes.yaml', validate: { 'no-baseline': true } }, null, 2));

  const install = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', timeout: LIMIT_MS });
  assert.equal(install.status, 0, shows(install));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package, installed into another project', () => {
  it('--help on every subcommand prints its usage and exits 0', () => {
    for (const command of ['validate', 'generate', 'drift', 'mock', 'export']) {
      const help = npx([command, '--help']);
      assert.equal(help.status, 0, shows(help));
      assert.match(help.stdout, new RegExp(`^docs-contract ${command}: .+\\nusage: docs-contract ${command} `), shows(help));
    }
    const test = npx(['test', '--help']);
    assert.equal(test.status, 0, shows(test));
    assert.match(test.stderr, /^usage: docs-contract test /);
    assert.match(test.stdout, /Usage: .* test \[options\] \[test-filter\.\.\.\]/);
  });

  it('validate reads the project\'s docs in the github/docs layout, as text and as SARIF', () => {
    const text = npx(['validate', '--docs=.']);
    assert.equal(text.status, 0, shows(text));
    assert.equal(text.stdout, 'validate: 0 errors, 0 warnings (2 files: en, xx-XX).\n');
    // A broken anchor in the translation is found and placed in SARIF at its line in the project.
    const page = path.join(project, 'translations/xx-XX/content/widgets/frobnicate-errors.md');
    const before = readFileSync(page, 'utf8');
    writeFileSync(page, before.replace('#widget-jammed"', '#widget-jamed"'));
    try {
      const sarif = npx(['validate', '--docs=.', '--format=sarif']);
      assert.equal(sarif.status, 1, shows(sarif));
      const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
      const results = log.runs[0]?.results ?? [];
      // The anchor is missing, and the translation's example now differs from the source's.
      assert.deepEqual(results.map((r) => r.ruleId).sort(), ['missing-anchor', 'response-disagrees']);
      const where = results.find((r) => r.ruleId === 'missing-anchor')?.locations[0]?.physicalLocation;
      assert.equal(where?.artifactLocation.uri, 'translations/xx-XX/content/widgets/frobnicate-errors.md');
      // The finding is placed at the example that carries the anchor: its opening fence.
      assert.equal(where?.region.startLine, before.split('\n').indexOf('```json') + 1);
    } finally {
      writeFileSync(page, before);
    }
  });

  it('generate writes the contract into the project, and drift then finds it current', () => {
    const generate = npx(['generate', '--docs=.']);
    assert.equal(generate.status, 0, shows(generate));
    assert.match(generate.stdout, /^generate: 2 cases from 2 files \(en, xx-XX\); 4 written, 0 removed, 0 unchanged; 0 errors, 0 warnings\.$/m);
    assert.ok(existsSync(path.join(project, 'tests/fixtures/cases.json')));
    assert.ok(existsSync(path.join(project, 'schemas/widgets/frobnicate-errors/widget_jammed.schema.json')));
    const drift = npx(['drift', '--docs=.']);
    assert.equal(drift.status, 0, shows(drift));
    assert.equal(drift.stdout, 'drift: the 4 generated files in schemas/ and tests/fixtures/ match the docs.\n');
  });

  it('test holds the project\'s mock to the project\'s docs, generating into a temporary folder it removes', async () => {
    // The mock answers from the cases generate wrote; it is stopped by its process id.
    const bin = path.join(project, 'node_modules/.bin/docs-contract');
    const mock = spawn(bin, ['mock', '--port=0', `--client-id=${CLIENT_ID}`], { cwd: project, env: { ...process.env, OAUTH_CLIENT_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`the mock did not start:\n${out}`)), LIMIT_MS);
        mock.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /mock: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        mock.once('exit', () => reject(new Error(`the mock exited:\n${out}`)));
      });
      const run = npx(['test', '--docs=.', `--base-url=${url}`, `--client-id=${CLIENT_ID}`], { OAUTH_CLIENT_SECRET: SECRET });
      assert.equal(run.status, 0, shows(run));
      assert.match(run.stderr, /npm test: the contract of `\.` \(2 cases, en, xx-XX\) generated into a temporary folder for this run/);
      assert.match(run.stdout, /^ {2}7 passed /m, shows(run));
      assert.doesNotMatch(run.stdout, /skipped|failed/);
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(SECRET));
      assert.deepEqual(readdirSync(tmp).filter((name) => name.startsWith('docs-contract-generated-')), []);
      // Reports go to the project, never into the installed package.
      assert.ok(existsSync(path.join(project, 'test-results')));
      assert.ok(!existsSync(path.join(project, 'node_modules/docs-contract/test-results')));
    } finally {
      mock.kill('SIGINT');
    }
  });

  it('export writes the contract generate wrote into the project as an OpenAPI 3.1 document', () => {
    const result = npx(['export', '--out=openapi.json']);
    assert.equal(result.status, 0, shows(result));
    const doc = JSON.parse(readFileSync(path.join(project, 'openapi.json'), 'utf8')) as { openapi?: unknown; paths?: Record<string, unknown> };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(Object.keys(doc.paths ?? {}).length > 0, shows(result));
  });
});
