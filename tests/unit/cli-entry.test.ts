/**
 * The `docs-contract` executable: subcommands, `--help` on each, usage errors, and the config
 * file (`docs-contract.config.json` or package.json's `"docs-contract"` key).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { configArgs, readConfig } from '../../scripts/cli/config.ts';
import { COMMANDS, dispatch } from '../../scripts/cli/index.ts';
import { UsageError } from '../../scripts/lib/util.ts';
import { makeTree, WARNING_PAGE as PAGE } from './helpers.ts';

const OPTIONS = new Map([...COMMANDS].map(([name, c]) => [name, c.options]));


/** Runs dispatch with console.log captured; returns the exit code and what was printed. */
async function captured(args: string[], cwd: string): Promise<{ code: number; printed: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    const code = await dispatch(args, cwd, (t) => lines.push(t));
    return { code, printed: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

describe('subcommands', () => {
  it('lists every subcommand of the command-line contract', () => {
    assert.deepEqual([...COMMANDS.keys()], ['test', 'validate', 'generate', 'drift', 'mock', 'export']);
  });

  for (const name of ['validate', 'generate', 'drift', 'mock', 'export']) {
    it(`${name} --help prints its usage and exits 0`, async () => {
      const { code, printed } = await captured([name, '--help'], makeTree({}));
      assert.equal(code, 0);
      assert.match(printed, new RegExp(`^docs-contract ${name}: .+\\nusage: docs-contract ${name} [[-]`));
    });
  }

  it('--help, and no command at all, print the overview (exit 0 and 2)', async () => {
    const help = await captured(['--help'], makeTree({}));
    assert.equal(help.code, 0);
    for (const name of COMMANDS.keys()) assert.match(help.printed, new RegExp(`^  ${name} +\\S`, 'm'));
    assert.equal((await captured([], makeTree({}))).code, 2);
  });

  it('an unknown command is a usage error naming it', async () => {
    await assert.rejects(dispatch(['valdate'], makeTree({})), (e: unknown) => e instanceof UsageError && e.message.startsWith('unknown command `valdate`\nusage: docs-contract <command>'));
  });

  it('export writes the committed contract as an OpenAPI 3.1 document', async () => {
    const out = path.join(makeTree({}), 'openapi.json');
    assert.equal(await dispatch(['export', `--out=${out}`], makeTree({})), 0);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { openapi?: unknown }).openapi, '3.1.0');
  });

  it('the executable runs through tsx and sets the exit code: --help 0, a usage error 2 with one line and no stack', () => {
    const help = spawnSync(process.execPath, ['scripts/docs-contract.js', 'drift', '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^docs-contract drift: /);
    const bad = spawnSync(process.execPath, ['scripts/docs-contract.js', 'frobnicate'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^docs-contract: unknown command `frobnicate`\n/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});

describe('config file', () => {
  it('gives shared flags to the commands that take them and a section to its command; paths are read from its folder', () => {
    const dir = makeTree({ 'docs-contract.config.json': JSON.stringify({ docs: 'content', recipes: 'profiles.yaml', validate: { strict: true, locale: ['xx-XX'] } }) });
    const config = readConfig(dir, OPTIONS);
    assert.deepEqual(configArgs(config, 'validate', OPTIONS.get('validate') ?? {}, []), [`--docs=${path.join(dir, 'content')}`, '--strict', '--locale=xx-XX']);
    // mock takes neither --docs nor --recipes.
    assert.deepEqual(configArgs(config, 'mock', OPTIONS.get('mock') ?? {}, []), []);
    assert.deepEqual(configArgs(config, 'drift', OPTIONS.get('drift') ?? {}, []), [`--docs=${path.join(dir, 'content')}`, `--recipes=${path.join(dir, 'profiles.yaml')}`]);
  });

  it('a flag on the command line wins, and --no-X overrides a configured X', () => {
    const dir = makeTree({ 'docs-contract.config.json': JSON.stringify({ validate: { format: 'json', baseline: 'b.yaml', strict: true } }) });
    const config = readConfig(dir, OPTIONS);
    assert.deepEqual(configArgs(config, 'validate', OPTIONS.get('validate') ?? {}, ['--format=text', '--no-baseline']), ['--strict']);
  });

  it('is read from package.json when there is no config file', () => {
    const dir = makeTree({ 'package.json': JSON.stringify({ name: 'x', 'docs-contract': { test: { 'base-url': 'http://127.0.0.1:9' } } }) });
    const config = readConfig(dir, OPTIONS);
    assert.equal(config?.source, 'package.json#docs-contract');
    assert.deepEqual(configArgs(config, 'test', OPTIONS.get('test') ?? {}, []), ['--base-url=http://127.0.0.1:9']);
    assert.equal(readConfig(makeTree({ 'package.json': '{"name": "x"}' }), OPTIONS), null);
  });

  const bad: Array<[string, string]> = [
    ['{"docs": ', 'docs-contract.config.json is not valid JSON'],
    ['[]', 'docs-contract.config.json: must be an object of flags'],
    ['{"validate": {"stric": true}}', 'docs-contract.config.json: `validate.stric` is not a flag of `docs-contract validate`'],
    ['{"widgets": "x"}', 'docs-contract.config.json: `widgets` is not a flag of any command'],
    ['{"validate": {"strict": "yes"}}', 'docs-contract.config.json: `validate.strict` must be true or false, not "yes"'],
    ['{"test": {"client-secret": "s3cr3t"}}', 'docs-contract.config.json: `test.client-secret`: a secret does not belong in a file others read; set OAUTH_CLIENT_SECRET'],
    ['{"validate": []}', 'docs-contract.config.json: `validate` must be an object of the flags of `docs-contract validate`'],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${text} with a usage error`, () => {
      const dir = makeTree({ 'docs-contract.config.json': text });
      assert.throws(() => readConfig(dir, OPTIONS), (e: unknown) => e instanceof UsageError && e.message.startsWith(message) && !e.message.includes('s3cr3t'));
    });
  }

  it('drives a real run: the configured --strict turns a warning into exit 1', async () => {
    const docs = makeTree({ 'en/widgets/frobnicate-errors.md': PAGE });
    const plain = makeTree({});
    const strict = makeTree({ 'docs-contract.config.json': JSON.stringify({ docs, validate: { strict: true, 'no-baseline': true, 'no-cache': true } }) });
    assert.equal((await captured(['validate', `--docs=${docs}`, '--no-baseline', '--no-cache'], plain)).code, 0);
    const run = await captured(['validate'], strict);
    assert.equal(run.code, 1);
    assert.match(run.printed, /\(json-not-response\)\nvalidate: 0 errors, 1 warning \(1 file: en\)\.$/);
  });
});
